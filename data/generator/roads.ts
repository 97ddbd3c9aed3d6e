/**
 * Road network: named expressways across the district, arterials between every 街镇 centre
 * (Gabriel graph) plus a coarse grid in the urban cores, dense slightly rotated local grids in
 * the cores and a sparse village web in towns. Everything is clipped to land and kept out of
 * reservoirs.
 */
import { Delaunay } from 'd3-delaunay';
import type { Feature, LineString } from 'geojson';
import type { RoadClass, RoadProps } from '../../src/lib/domain/city.ts';
import type { Admin } from './admin.ts';
import {
	KX,
	M_PER_DEG_LAT,
	M_PER_DEG_LON,
	PolyIndex,
	chaikin,
	clipLine,
	closeRing,
	distM,
	lineLengthM,
	roundPt,
	simplifyLine,
	type Pt,
	type Ring
} from './geom.ts';
import { CITY_ROAD_NAMES, MOUNTAIN_LAKE_NAMES, cnNumber } from './names.ts';
import type { Rng } from './rng.ts';

export type RoadFeature = Feature<LineString, RoadProps>;

interface Expressway {
	name: string;
	waypoints: Pt[];
}

const EXPRESSWAYS: Expressway[] = [
	{
		name: '京津塘高速',
		waypoints: [
			[117.298, 39.105],
			[117.42, 39.086],
			[117.52, 39.066],
			[117.6, 39.061],
			[117.655, 39.066],
			[117.695, 39.072]
		]
	},
	{
		name: '津滨高速',
		waypoints: [
			[117.298, 39.036],
			[117.42, 39.035],
			[117.52, 39.03],
			[117.58, 39.025],
			[117.623, 39.018]
		]
	},
	{
		name: '海滨大道',
		waypoints: [
			[117.965, 39.285],
			[117.87, 39.245],
			[117.805, 39.195],
			[117.765, 39.15],
			[117.735, 39.1],
			[117.722, 39.06],
			[117.716, 39.02],
			[117.705, 38.985],
			[117.703, 38.95],
			[117.7, 38.915],
			[117.665, 38.862],
			[117.61, 38.812],
			[117.578, 38.76],
			[117.572, 38.7],
			[117.562, 38.598]
		]
	},
	{
		name: '唐津高速',
		waypoints: [
			[117.598, 38.998],
			[117.603, 39.06],
			[117.628, 39.12],
			[117.69, 39.18],
			[117.748, 39.238],
			[117.778, 39.3],
			[117.795, 39.352]
		]
	},
	{
		name: '津晋高速',
		waypoints: [
			[117.64, 38.985],
			[117.585, 38.94],
			[117.52, 38.885],
			[117.44, 38.795],
			[117.37, 38.763],
			[117.298, 38.752]
		]
	},
	{
		name: '长深高速',
		waypoints: [
			[117.44, 39.352],
			[117.452, 39.2],
			[117.47, 39.05],
			[117.462, 38.93],
			[117.415, 38.8],
			[117.395, 38.7],
			[117.382, 38.598]
		]
	},
	{
		name: '京津高速',
		waypoints: [
			[117.298, 39.172],
			[117.45, 39.157],
			[117.58, 39.142],
			[117.682, 39.134]
		]
	}
];

const ARTERIAL_NAMES = [
	'津塘公路',
	'津汉公路',
	'津沽公路',
	'海防路',
	'唐津路',
	'港塘路',
	'西中环快速路',
	'津歧公路',
	'津港公路',
	'汉北路',
	'杨北公路',
	'中塘公路',
	'太平路',
	'港城大道',
	'津北公路',
	'北塘大道',
	'黄港路',
	'东海路',
	'南海路',
	'港南路',
	'世纪大道',
	'塘汉快速路',
	'港航路',
	'轻纺大道',
	'西外环',
	'东外环',
	'汉南路',
	'大港西路',
	'古林大道',
	'海滨东路',
	'新城大道',
	'茶淀路',
	'寨上大道',
	'杨家泊路',
	'小王庄路',
	'中塘大道',
	'太平镇路',
	'胡家园路',
	'新北公路',
	'北塘公路',
	'津港快速路',
	'滨石公路',
	'港西公路',
	'生态城大道'
];
const CORE_ARTERIAL_NAMES = [
	'新港路',
	'河北路',
	'解放路',
	'新华路',
	'天津大道',
	'中央大道',
	'新北路',
	'黄海路',
	'渤海路',
	'海河路',
	'胜利路',
	'向阳路',
	'远洋大道',
	'上海道',
	'北海路',
	'福州道',
	'杭州道',
	'营口道',
	'洞庭路',
	'泰达大街',
	'新城路',
	'胡家园大道',
	'宁海路',
	'大连东道',
	'东风路',
	'新开路',
	'建设路',
	'振华路',
	'光明路',
	'学府路',
	'创新路',
	'和顺路',
	'育梁道',
	'福建路',
	'迎宾大道',
	'幸福路',
	'滨河路',
	'海景大道',
	'金江路',
	'石化路',
	'中心大道',
	'港西街',
	'港东路',
	'天河路',
	'南环路',
	'北环路',
	'西环路',
	'东环路',
	'和平路',
	'团结路'
];

interface Core {
	name: string;
	center: Pt;
	rxM: number;
	ryM: number;
	rotDeg: number;
	spacingM: number;
	style: 'city' | 'teda' | 'prefix';
	prefix: string;
}

const CORES: Core[] = [
	{
		name: '泰达',
		center: [117.697, 39.055],
		rxM: 4200,
		ryM: 3300,
		rotDeg: -8,
		spacingM: 380,
		style: 'teda',
		prefix: '泰达'
	},
	{
		name: '塘沽',
		center: [117.645, 39.025],
		rxM: 6000,
		ryM: 4200,
		rotDeg: 20,
		spacingM: 290,
		style: 'city',
		prefix: '塘沽'
	},
	{
		name: '新北',
		center: [117.615, 39.075],
		rxM: 3600,
		ryM: 2800,
		rotDeg: 12,
		spacingM: 320,
		style: 'prefix',
		prefix: '新北'
	},
	{
		name: '大沽',
		center: [117.68, 38.984],
		rxM: 3400,
		ryM: 2300,
		rotDeg: 32,
		spacingM: 300,
		style: 'city',
		prefix: '大沽'
	},
	{
		name: '新港',
		center: [117.722, 39.004],
		rxM: 2600,
		ryM: 1700,
		rotDeg: -22,
		spacingM: 450,
		style: 'prefix',
		prefix: '新港'
	},
	{
		name: '汉沽',
		center: [117.8, 39.246],
		rxM: 4000,
		ryM: 3400,
		rotDeg: 4,
		spacingM: 300,
		style: 'city',
		prefix: '汉沽'
	},
	{
		name: '大港',
		center: [117.462, 38.828],
		rxM: 5200,
		ryM: 4200,
		rotDeg: -6,
		spacingM: 320,
		style: 'prefix',
		prefix: '大港'
	},
	{
		name: '生态城',
		center: [117.735, 39.135],
		rxM: 3000,
		ryM: 2800,
		rotDeg: 0,
		spacingM: 420,
		style: 'prefix',
		prefix: '生态城'
	},
	// Industrial zones and the port: coarse blocks.
	{
		name: '南港工业区',
		center: [117.615, 38.732],
		rxM: 6200,
		ryM: 4200,
		rotDeg: 12,
		spacingM: 750,
		style: 'prefix',
		prefix: '南港'
	},
	{
		name: '临港经济区',
		center: [117.735, 38.93],
		rxM: 4200,
		ryM: 2600,
		rotDeg: -18,
		spacingM: 650,
		style: 'prefix',
		prefix: '临港'
	},
	{
		name: '东疆',
		center: [117.8, 39.04],
		rxM: 3000,
		ryM: 2400,
		rotDeg: 65,
		spacingM: 550,
		style: 'prefix',
		prefix: '东疆'
	},
	{
		name: '汉沽化工区',
		center: [117.845, 39.212],
		rxM: 2600,
		ryM: 2000,
		rotDeg: 8,
		spacingM: 550,
		style: 'prefix',
		prefix: '汉沽化工'
	},
	{
		name: '大港石化',
		center: [117.505, 38.79],
		rxM: 3200,
		ryM: 2600,
		rotDeg: -10,
		spacingM: 600,
		style: 'prefix',
		prefix: '石化'
	},
	{
		name: '保税区',
		center: [117.76, 39.075],
		rxM: 2600,
		ryM: 2000,
		rotDeg: 25,
		spacingM: 500,
		style: 'prefix',
		prefix: '保税'
	}
];

/** An irregular blob around the core's ellipse. */
function coreShape(c: Core, rng: Rng): Ring {
	const pts: Pt[] = [];
	const rot = (c.rotDeg * Math.PI) / 180;
	const ph = [rng.range(0, 6.283), rng.range(0, 6.283), rng.range(0, 6.283)];
	for (let i = 0; i < 64; i++) {
		const t = (2 * Math.PI * i) / 64;
		const k =
			1 +
			0.14 * Math.sin(2 * t + ph[0]) +
			0.09 * Math.sin(3 * t + ph[1]) +
			0.05 * Math.sin(5 * t + ph[2]);
		const x = Math.cos(t) * c.rxM * k;
		const y = Math.sin(t) * c.ryM * k;
		pts.push([
			c.center[0] + (x * Math.cos(rot) - y * Math.sin(rot)) / M_PER_DEG_LON,
			c.center[1] + (x * Math.sin(rot) + y * Math.cos(rot)) / M_PER_DEG_LAT
		]);
	}
	return closeRing(pts);
}

class NamePool {
	private readonly used = new Set<string>();
	constructor(private readonly rng: Rng) {}
	take(list: readonly string[], fallback: () => string): string {
		const free = list.filter((n) => !this.used.has(n));
		let name = free.length > 0 ? free[0] : fallback();
		for (let k = 2; this.used.has(name); k++) name = fallback() + (k > 50 ? k : '');
		this.used.add(name);
		return name;
	}
	shuffled(list: readonly string[]): string[] {
		return this.rng.shuffle(list.slice());
	}
	has(name: string): boolean {
		return this.used.has(name);
	}
	add(name: string): void {
		this.used.add(name);
	}
}

export interface RoadLine {
	coords: Pt[];
	cls: RoadClass;
	name: string;
}

export function buildRoads(
	admin: Admin,
	landIdx: PolyIndex,
	reservoirs: Ring[],
	rng: Rng
): RoadLine[] {
	const out: RoadLine[] = [];
	const waterIdx = new PolyIndex(reservoirs);
	const names = new NamePool(rng.fork('names'));
	const coreIdx: PolyIndex[] = [];
	const emit = (
		line: Pt[],
		cls: RoadClass,
		name: string,
		extraOutside: PolyIndex[] = [],
		minM = 120
	) => {
		let pieces = clipLine(line, landIdx, true);
		for (const idx of [waterIdx, ...extraOutside])
			pieces = pieces.flatMap((p) => clipLine(p, idx, false));
		for (const p of pieces) {
			const coords = simplifyLine(p, 3).map(roundPt);
			if (coords.length >= 2 && lineLengthM(coords) >= minM) out.push({ coords, cls, name });
		}
	};

	// Expressways.
	for (const e of EXPRESSWAYS) {
		names.add(e.name);
		emit(chaikin(e.waypoints, 3), 'expressway', e.name, [], 300);
	}

	// Arterials between 街镇 centres: Gabriel graph (a planar, connected subgraph of Delaunay).
	const centres = admin.streets.map((s) => s.center);
	const del = Delaunay.from(
		centres,
		(p) => p[0] * KX,
		(p) => p[1]
	);
	const artRng = rng.fork('arterials');
	const edges = new Set<string>();
	for (let t = 0; t < del.triangles.length; t += 3) {
		for (let k = 0; k < 3; k++) {
			const a = del.triangles[t + k];
			const b = del.triangles[t + ((k + 1) % 3)];
			edges.add(a < b ? a + ':' + b : b + ':' + a);
		}
	}
	const edgeList = [...edges]
		.map((e) => e.split(':').map(Number))
		.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
	const arterialNames = names.shuffled(ARTERIAL_NAMES);
	for (const [a, b] of edgeList) {
		const pa = centres[a];
		const pb = centres[b];
		const mid: Pt = [(pa[0] + pb[0]) / 2, (pa[1] + pb[1]) / 2];
		const r2 = (distM(pa, pb) / 2) ** 2;
		const gabriel = centres.every((c, i) => i === a || i === b || distM(c, mid) ** 2 >= r2);
		if (!gabriel) continue;
		const len = distM(pa, pb);
		const ex = ((pb[0] - pa[0]) * M_PER_DEG_LON) / len;
		const ey = ((pb[1] - pa[1]) * M_PER_DEG_LAT) / len;
		const bend = artRng.range(-0.08, 0.08) * len;
		const ctrl: Pt[] = [pa];
		for (const t of [0.3, 0.7]) {
			const off = bend * Math.sin(Math.PI * t) + artRng.range(-0.02, 0.02) * len;
			ctrl.push([
				pa[0] + (pb[0] - pa[0]) * t + (-ey * off) / M_PER_DEG_LON,
				pa[1] + (pb[1] - pa[1]) * t + (ex * off) / M_PER_DEG_LAT
			]);
		}
		ctrl.push(pb);
		const name = names.take(
			arterialNames,
			() => admin.streets[a].feature.properties.name.slice(0, 2) + '联络线'
		);
		emit(chaikin(ctrl, 3), 'arterial', name);
	}

	// Urban cores: rotated, jittered grids; every 4th line is an arterial.
	const coreArterials = names.shuffled(CORE_ARTERIAL_NAMES);
	const cityNames = names.shuffled(CITY_ROAD_NAMES);
	const lakeNames = names.shuffled(MOUNTAIN_LAKE_NAMES);
	let cityCursor = 0;
	let lakeCursor = 0;
	// Town centres of the suburban streets and towns get a small street grid of their own.
	const townCores: Core[] = admin.streets
		.filter((s) => s.profile !== 'core')
		.map((s) => {
			const short = s.feature.properties.name.replace(/(街道|镇)$/, '');
			return {
				name: short,
				center: s.center,
				rxM: s.profile === 'town' ? 1500 : 1900,
				ryM: s.profile === 'town' ? 1200 : 1500,
				rotDeg: ((s.center[0] * 1000) % 30) - 15,
				spacingM: 260,
				style: 'prefix' as const,
				prefix: short
			};
		});
	for (const core of [...CORES, ...townCores]) {
		const r = rng.fork('core:' + core.name);
		const shape = coreShape(core, r);
		const shapeIdx = new PolyIndex([shape]);
		const prev = coreIdx.slice();
		coreIdx.push(shapeIdx);
		const rot = (core.rotDeg * Math.PI) / 180;
		const reach = Math.max(core.rxM, core.ryM) * 1.35;
		const counter = [0, 0];
		for (let dir = 0; dir < 2; dir++) {
			const ang = rot + (dir * Math.PI) / 2;
			// Unit vectors (metres) along the lines (u) and across them (v).
			for (
				let off = -reach + r.range(0, core.spacingM);
				off < reach;
				off += core.spacingM * r.range(0.85, 1.2)
			) {
				const a = ang + (r.range(-1.5, 1.5) * Math.PI) / 180;
				const ux = Math.cos(a);
				const uy = Math.sin(a);
				const vx = -Math.sin(ang);
				const vy = Math.cos(ang);
				const toPt = (s: number): Pt => [
					core.center[0] + (vx * off + ux * s) / M_PER_DEG_LON,
					core.center[1] + (vy * off + uy * s) / M_PER_DEG_LAT
				];
				const full: Pt[] = [toPt(-reach), toPt(reach)];
				const inside = clipLine(full, shapeIdx, true, 0);
				if (inside.length === 0) continue;
				counter[dir]++;
				const n = counter[dir];
				const isArterial = n % 4 === 1;
				let name: string;
				if (isArterial)
					name = names.take(
						coreArterials,
						() => core.prefix + cnNumber(Math.min(99, n)) + (dir === 0 ? '号大道' : '号大街')
					);
				else if (core.style === 'teda' && dir === 0)
					name = names.take([], () => '第' + cnNumber(Math.min(99, n)) + '大街');
				else if (core.style === 'teda') {
					const base = lakeNames[lakeCursor++ % lakeNames.length];
					name = names.take([base + '路'], () => core.prefix + base + '路');
				} else if (core.style === 'city') {
					const base = cityNames[cityCursor++ % cityNames.length];
					const suffix = dir === 0 ? '道' : '路';
					name = names.take([base + suffix], () => core.prefix + base + suffix);
				} else {
					name = names.take([], () =>
						dir === 0
							? core.prefix + cnNumber(Math.min(99, n)) + '号路'
							: core.prefix + '纬' + cnNumber(Math.min(99, n)) + '路'
					);
				}
				for (const seg of inside) {
					if (isArterial) {
						emit(seg, 'arterial', name, prev);
						continue;
					}
					// Local streets: broken into blocks with occasional gaps.
					const len = lineLengthM(seg);
					let s = 0;
					while (s < len) {
						const piece = r.range(500, 2200);
						const e = Math.min(len, s + piece);
						if (e - s > 150) {
							const t0 = s / len;
							const t1 = e / len;
							emit(
								[
									[
										seg[0][0] + (seg[1][0] - seg[0][0]) * t0,
										seg[0][1] + (seg[1][1] - seg[0][1]) * t0
									],
									[
										seg[0][0] + (seg[1][0] - seg[0][0]) * t1,
										seg[0][1] + (seg[1][1] - seg[0][1]) * t1
									]
								],
								'local',
								name,
								prev
							);
						}
						s = e + (r.chance(0.35) ? core.spacingM * r.range(0.8, 1.6) : 0);
					}
				}
			}
		}
	}

	// Towns and suburbs: a village web (Gabriel graph over village centres + street centre).
	const bigCores = coreIdx.slice(0, CORES.length);
	const webRng = rng.fork('villages');
	admin.streets.forEach((street, si) => {
		if (street.profile === 'core') return;
		const pts: Pt[] = [street.center];
		const labels: string[] = [street.feature.properties.name.replace(/(街道|镇)$/, '')];
		admin.communities.forEach((c) => {
			if (c.streetIndex !== si) return;
			pts.push([c.feature.properties.labelLon, c.feature.properties.labelLat]);
			labels.push(c.feature.properties.name.replace(/(社区|村)$/, ''));
		});
		if (pts.length < 3) return;
		const d = Delaunay.from(
			pts,
			(p) => p[0] * KX,
			(p) => p[1]
		);
		const seen = new Set<string>();
		for (let t = 0; t < d.triangles.length; t += 3)
			for (let k = 0; k < 3; k++) {
				const a = d.triangles[t + k];
				const b = d.triangles[t + ((k + 1) % 3)];
				const key = a < b ? a + ':' + b : b + ':' + a;
				if (seen.has(key)) continue;
				seen.add(key);
				const pa = pts[a];
				const pb = pts[b];
				const mid: Pt = [(pa[0] + pb[0]) / 2, (pa[1] + pb[1]) / 2];
				const r2 = (distM(pa, pb) / 2) ** 2;
				if (!pts.every((c, i) => i === a || i === b || distM(c, mid) ** 2 >= r2)) continue;
				if (distM(pa, pb) > 9000) continue;
				const len = distM(pa, pb);
				const ex = ((pb[0] - pa[0]) * M_PER_DEG_LON) / len;
				const ey = ((pb[1] - pa[1]) * M_PER_DEG_LAT) / len;
				const ctrl: Pt[] = [pa];
				for (const tt of [0.33, 0.66]) {
					const off = webRng.range(-0.07, 0.07) * len;
					ctrl.push([
						pa[0] + (pb[0] - pa[0]) * tt + (-ey * off) / M_PER_DEG_LON,
						pa[1] + (pb[1] - pa[1]) * tt + (ex * off) / M_PER_DEG_LAT
					]);
				}
				ctrl.push(pb);
				const from = labels[Math.min(a, b)];
				const name = names.take(
					[from + '路', labels[Math.max(a, b)] + '路', from + '公路'],
					() => from + '支路'
				);
				emit(chaikin(ctrl, 2), 'local', name, bigCores);
			}
		// A few short streets through each village.
		for (let i = 1; i < pts.length; i++) {
			const n = webRng.int(2, 4);
			const base = webRng.range(0, Math.PI);
			for (let k = 0; k < n; k++) {
				const a = base + (k % 2) * (Math.PI / 2) + webRng.range(-0.15, 0.15);
				const half = webRng.range(250, 650);
				const sh = webRng.range(-200, 200);
				const cx = pts[i][0] + (-Math.sin(a) * sh) / M_PER_DEG_LON;
				const cy = pts[i][1] + (Math.cos(a) * sh) / M_PER_DEG_LAT;
				const line: Pt[] = [
					[cx - (Math.cos(a) * half) / M_PER_DEG_LON, cy - (Math.sin(a) * half) / M_PER_DEG_LAT],
					[cx + (Math.cos(a) * half) / M_PER_DEG_LON, cy + (Math.sin(a) * half) / M_PER_DEG_LAT]
				];
				const name = names.take(
					[labels[i] + (k === 0 ? '大街' : cnNumber(k) + '街')],
					() => labels[i] + cnNumber(k + 1) + '巷'
				);
				emit(line, 'local', name, bigCores, 80);
			}
		}
	});
	return out;
}

export function roadFeatures(lines: RoadLine[]): RoadFeature[] {
	return lines.map((l, i) => ({
		type: 'Feature',
		properties: { id: 'R' + String(i + 1).padStart(5, '0'), class: l.cls, name: l.name },
		geometry: { type: 'LineString', coordinates: l.coords }
	}));
}
