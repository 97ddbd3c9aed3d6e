/**
 * Hazardous-chemical sites clustered in the industrial zones, and dedicated transport lanes that
 * follow the road graph from each zone to the nearest expressway.
 */
import type { Feature, LineString, Point } from 'geojson';
import type {
	HazmatClass,
	HazmatLaneProps,
	HazmatSiteProps,
	RiskLevel
} from '../../src/lib/domain/city.ts';
import type { Admin } from './admin.ts';
import {
	distM,
	offsetM,
	ringBBox,
	pointInRing,
	roundPt,
	simplifyLine,
	type PolyIndex,
	type Pt
} from './geom.ts';
import type { RoadGraph } from './graph.ts';
import { companyName, mobileNumber, personName } from './names.ts';
import type { Rng } from './rng.ts';

export interface HazmatZone {
	name: string;
	center: Pt;
	sigmaM: number;
	count: [number, number];
	classWeights: Partial<Record<HazmatClass, number>>;
}

export const HAZMAT_ZONES: HazmatZone[] = [
	{
		name: '南港工业区',
		center: [117.612, 38.735],
		sigmaM: 2800,
		count: [22, 28],
		classWeights: { 2: 3, 3: 5, 8: 2, 6: 1, 5: 1 }
	},
	{
		name: '临港经济区',
		center: [117.735, 38.93],
		sigmaM: 1800,
		count: [12, 16],
		classWeights: { 2: 3, 3: 2, 8: 3, 5: 1, 9: 1 }
	},
	{
		name: '大港石化产业园',
		center: [117.5, 38.795],
		sigmaM: 1500,
		count: [12, 16],
		classWeights: { 3: 6, 2: 3, 8: 1, 4: 1 }
	},
	{
		name: '汉沽化工区',
		center: [117.845, 39.212],
		sigmaM: 1200,
		count: [8, 12],
		classWeights: { 2: 4, 8: 4, 6: 1, 5: 1 }
	},
	{
		name: '天津港保税区',
		center: [117.76, 39.075],
		sigmaM: 1300,
		count: [6, 9],
		classWeights: { 3: 3, 2: 2, 9: 2, 8: 1, 4: 1 }
	},
	{
		name: '东疆保税港区',
		center: [117.8, 39.04],
		sigmaM: 1400,
		count: [6, 9],
		classWeights: { 3: 2, 9: 3, 2: 1, 1: 0.6, 8: 1 }
	}
];

const SUBSTANCES: Record<HazmatClass, string[]> = {
	1: ['工业炸药', '烟花爆竹', '雷管'],
	2: ['液氯', '液氨', '液化石油气', '天然气', '氢气', '乙烯', '丙烯', '环氧乙烷'],
	3: ['甲醇', '苯', '汽油', '柴油', '原油', '甲苯', '二甲苯', '乙醇', '丙酮', '石脑油'],
	4: ['硫磺', '电石', '金属钠'],
	5: ['过氧化氢', '硝酸铵', '氯酸钠', '高锰酸钾'],
	6: ['氰化钠', '苯酚', '农药原药'],
	8: ['硫酸', '盐酸', '氢氧化钠', '硝酸', '氢氟酸'],
	9: ['锂电池', '石棉', '多氯联苯']
};
const INDUSTRY: Record<HazmatClass, string[]> = {
	1: ['民爆器材', '爆破器材'],
	2: ['气体', '燃气', '液化气', '氯碱化工'],
	3: ['石化', '油品储运', '化工', '能源', '石油化工'],
	4: ['精细化工', '化学'],
	5: ['化学品', '精细化工'],
	6: ['农化', '精细化工'],
	8: ['氯碱', '化学', '化工'],
	9: ['新能源', '物流', '港口物流']
};
const RISK_WEIGHTS = [0.07, 0.2, 0.36, 0.37];
const RADIUS: Record<RiskLevel, [number, number]> = {
	1: [2000, 3000],
	2: [1200, 2000],
	3: [600, 1200],
	4: [300, 600]
};
const QUANTITY: Record<RiskLevel, [number, number]> = {
	1: [800, 20000],
	2: [150, 2500],
	3: [20, 500],
	4: [1, 100]
};

export type HazmatSiteFeature = Feature<Point, HazmatSiteProps>;
export type HazmatLaneFeature = Feature<LineString, HazmatLaneProps>;

/** Index of the grid containing a point, or -1. */
export function gridAt(admin: Admin, p: Pt, boxes?: [number, number, number, number][]): number {
	const bbs = boxes ?? admin.grids.map((g) => ringBBox(g.feature.geometry.coordinates[0] as Pt[]));
	for (let i = 0; i < admin.grids.length; i++) {
		const b = bbs[i];
		if (p[0] < b[0] || p[0] > b[2] || p[1] < b[1] || p[1] > b[3]) continue;
		if (pointInRing(p[0], p[1], admin.grids[i].feature.geometry.coordinates[0] as Pt[])) return i;
	}
	return -1;
}

export interface Hazmat {
	sites: HazmatSiteFeature[];
	lanes: HazmatLaneFeature[];
	/** Zone index per site. */
	siteZone: number[];
}

export function buildHazmat(
	admin: Admin,
	land: PolyIndex,
	water: PolyIndex,
	graph: RoadGraph,
	rng: Rng
): Hazmat {
	const sites: HazmatSiteFeature[] = [];
	const siteZone: number[] = [];
	const usedNames = new Set<string>();
	const boxes = admin.grids.map((g) => ringBBox(g.feature.geometry.coordinates[0] as Pt[]));
	HAZMAT_ZONES.forEach((zone, zi) => {
		const r = rng.fork('zone:' + zone.name);
		const n = r.int(zone.count[0], zone.count[1]);
		const classes = Object.keys(zone.classWeights).map(Number) as HazmatClass[];
		const weights = classes.map((c) => zone.classWeights[c] ?? 0);
		const placed: Pt[] = [];
		let guard = 0;
		while (placed.length < n) {
			if (guard++ > 20000) throw new Error(`cannot place hazmat sites in ${zone.name}`);
			const p = roundPt(offsetM(zone.center, r.normal() * zone.sigmaM, r.normal() * zone.sigmaM));
			if (!land.contains(p[0], p[1]) || water.contains(p[0], p[1])) continue;
			if (placed.some((q) => distM(p, q) < 180)) continue;
			const gi = gridAt(admin, p, boxes);
			if (gi < 0) continue;
			placed.push(p);
			const hazardClass = classes[r.weighted(weights)];
			const riskLevel = (r.weighted(RISK_WEIGHTS) + 1) as RiskLevel;
			const pool = SUBSTANCES[hazardClass];
			const substances = r.shuffle(pool.slice()).slice(0, r.int(1, Math.min(3, pool.length)));
			const [q0, q1] = QUANTITY[riskLevel];
			const [r0, r1] = RADIUS[riskLevel];
			sites.push({
				type: 'Feature',
				properties: {
					id: 'HZ' + String(sites.length + 1).padStart(3, '0'),
					name: companyName(r, r.pick(INDUSTRY[hazardClass]), usedNames),
					zone: zone.name,
					hazardClass,
					riskLevel,
					substances,
					quantityTonnes: Math.round(Math.exp(r.range(Math.log(q0), Math.log(q1))) * 10) / 10,
					responsibleName: personName(r),
					responsiblePhone: mobileNumber(r),
					riskRadiusM: Math.round(r.range(r0, r1) / 10) * 10,
					gridId: admin.grids[gi].feature.properties.id
				},
				geometry: { type: 'Point', coordinates: p }
			});
			siteZone.push(zi);
		}
	});

	// Lanes: big zones get two (east/west halves), others one.
	const lanes: HazmatLaneFeature[] = [];
	HAZMAT_ZONES.forEach((zone, zi) => {
		const mine = sites.filter((_, i) => siteZone[i] === zi);
		const groups: HazmatSiteFeature[][] = [];
		if (mine.length >= 18) {
			const sorted = mine
				.slice()
				.sort((a, b) => a.geometry.coordinates[0] - b.geometry.coordinates[0]);
			const half = Math.ceil(sorted.length / 2);
			groups.push(sorted.slice(0, half), sorted.slice(half));
		} else groups.push(mine);
		groups.forEach((group, gi) => {
			const cx = group.reduce((s, f) => s + f.geometry.coordinates[0], 0) / group.length;
			const cy = group.reduce((s, f) => s + f.geometry.coordinates[1], 0) / group.length;
			const start = graph.nearest(
				[cx, cy],
				(id) => graph.nodeClass[id] !== 'expressway' && graph.adj[id].length >= 2
			);
			const ids = graph.route(start, (id) => graph.nodeClass[id] === 'expressway');
			if (!ids || ids.length < 2) throw new Error(`no lane route for ${zone.name}`);
			const coords = simplifyLine(graph.path(ids), 0.5).map(roundPt);
			lanes.push({
				type: 'Feature',
				properties: {
					id: 'HL' + String(lanes.length + 1).padStart(2, '0'),
					name:
						zone.name +
						'危化品运输专用通道' +
						(groups.length > 1 ? (gi === 0 ? '（西线）' : '（东线）') : ''),
					siteIds: group.map((f) => f.properties.id)
				},
				geometry: { type: 'LineString', coordinates: coords }
			});
		});
	});
	return { sites, lanes, siteZone };
}
