/**
 * Administrative units: 21 街道/镇 (real names and NBS codes, synthetic boundaries) → ~440
 * 社区/村 → ~740 网格, each level a Voronoi partition of its parent, then globally snapped so
 * every level tiles its parent exactly.
 */
import { area as turfArea, polygon as turfPolygon } from '@turf/turf';
import type {
	CommunityFeature,
	CommunityKind,
	GridFeature,
	StreetFeature,
	StreetKind
} from '../../src/lib/domain/city.ts';
import {
	distM,
	labelPoint,
	pointInRing,
	ringSignedArea,
	round6,
	type Pt,
	type Ring
} from './geom.ts';
import {
	mobileNumber,
	personName,
	streetShortName,
	urbanCommunityName,
	villageName
} from './names.ts';
import { kMeansSeeds, partitionPolygon, type Seed } from './partition.ts';
import type { Rng } from './rng.ts';
import { snapRings } from './snap.ts';

export type Profile = 'core' | 'suburban' | 'town';

interface StreetSpec {
	name: string;
	center: Pt;
	/** Extra Voronoi seeds owned by this street, to give it a plausible extent. */
	helpers: Pt[];
	profile: Profile;
	communities: number;
	grids: number;
}

/** Approximate real positions; counts sum to 443 communities and 740 grids. */
export const STREET_SPECS: StreetSpec[] = [
	{
		name: '塘沽街道',
		center: [117.65, 39.02],
		helpers: [],
		profile: 'core',
		communities: 22,
		grids: 40
	},
	{
		name: '杭州道街道',
		center: [117.66, 39.05],
		helpers: [],
		profile: 'core',
		communities: 28,
		grids: 52
	},
	{
		name: '新河街道',
		center: [117.62, 39.04],
		helpers: [],
		profile: 'core',
		communities: 25,
		grids: 44
	},
	{
		name: '大沽街道',
		center: [117.69, 38.98],
		helpers: [],
		profile: 'core',
		communities: 22,
		grids: 40
	},
	{
		name: '新北街道',
		center: [117.63, 39.08],
		helpers: [],
		profile: 'core',
		communities: 22,
		grids: 40
	},
	{
		name: '北塘街道',
		center: [117.7, 39.11],
		helpers: [[117.745, 39.14]],
		profile: 'suburban',
		communities: 12,
		grids: 20
	},
	{
		name: '胡家园街道',
		center: [117.57, 39.04],
		helpers: [
			[117.47, 39.06],
			[117.37, 39.05],
			[117.43, 39.14]
		],
		profile: 'suburban',
		communities: 20,
		grids: 30
	},
	{
		name: '新港街道',
		center: [117.71, 39.0],
		helpers: [],
		profile: 'core',
		communities: 20,
		grids: 36
	},
	{
		name: '新村街道',
		center: [117.66, 39.0],
		helpers: [],
		profile: 'core',
		communities: 22,
		grids: 40
	},
	{
		name: '天津经济技术开发区东区泰达街道',
		center: [117.7, 39.05],
		helpers: [],
		profile: 'core',
		communities: 20,
		grids: 38
	},
	{
		name: '汉沽街道',
		center: [117.8, 39.25],
		helpers: [],
		profile: 'core',
		communities: 22,
		grids: 40
	},
	{
		name: '寨上街道',
		center: [117.78, 39.22],
		helpers: [[117.72, 39.19]],
		profile: 'suburban',
		communities: 18,
		grids: 28
	},
	{
		name: '茶淀街道',
		center: [117.72, 39.29],
		helpers: [
			[117.6, 39.3],
			[117.48, 39.3],
			[117.37, 39.29]
		],
		profile: 'suburban',
		communities: 20,
		grids: 28
	},
	{
		name: '大港街道',
		center: [117.45, 38.84],
		helpers: [],
		profile: 'core',
		communities: 30,
		grids: 54
	},
	{
		name: '古林街道',
		center: [117.48, 38.81],
		helpers: [],
		profile: 'core',
		communities: 22,
		grids: 38
	},
	{
		name: '海滨街道',
		center: [117.52, 38.77],
		helpers: [
			[117.57, 38.72],
			[117.56, 38.66]
		],
		profile: 'suburban',
		communities: 20,
		grids: 34
	},
	{
		name: '新城镇',
		center: [117.62, 38.93],
		helpers: [
			[117.55, 38.96],
			[117.7, 38.905],
			[117.64, 38.86]
		],
		profile: 'town',
		communities: 20,
		grids: 28
	},
	{
		name: '杨家泊镇',
		center: [117.93, 39.31],
		helpers: [
			[118.04, 39.31],
			[117.9, 39.25]
		],
		profile: 'town',
		communities: 18,
		grids: 24
	},
	{
		name: '太平镇',
		center: [117.36, 38.72],
		helpers: [],
		profile: 'town',
		communities: 22,
		grids: 30
	},
	{
		name: '小王庄镇',
		center: [117.4, 38.64],
		helpers: [[117.5, 38.63]],
		profile: 'town',
		communities: 20,
		grids: 28
	},
	{
		name: '中塘镇',
		center: [117.34, 38.83],
		helpers: [
			[117.33, 38.92],
			[117.41, 38.93]
		],
		profile: 'town',
		communities: 18,
		grids: 28
	}
];

export interface NbsItem {
	code: string;
	name: string;
	kind: string;
}

export interface AdminStreet {
	feature: StreetFeature;
	profile: Profile;
	center: Pt;
}
export interface AdminCommunity {
	feature: CommunityFeature;
	streetIndex: number;
}
export interface AdminGrid {
	feature: GridFeature;
	communityIndex: number;
	streetIndex: number;
	profile: Profile;
	kind: CommunityKind;
	/** Distance (m) from the grid label to its street centre. */
	centreDistM: number;
}

export interface Admin {
	land: Ring;
	streets: AdminStreet[];
	communities: AdminCommunity[];
	grids: AdminGrid[];
}

/** Reading order: north to south in ~1 km bands, west to east within a band. */
function readingOrder(a: Pt, b: Pt): number {
	const ba = Math.floor(-a[1] / 0.009);
	const bb = Math.floor(-b[1] / 0.009);
	return ba - bb || a[0] - b[0];
}

function bell(rng: Rng): number {
	return (rng.next() + rng.next() + rng.next()) / 3;
}

function ccw(ring: Ring): Ring {
	return ringSignedArea(ring) < 0 ? ring.slice().reverse() : ring;
}

function areaKm2(ring: Ring): number {
	return Math.round((turfArea(turfPolygon([ring])) / 1e6) * 1000) / 1000;
}

function label(ring: Ring): Pt {
	const p = labelPoint(ring);
	const r: Pt = [round6(p[0]), round6(p[1])];
	return pointInRing(r[0], r[1], ring) ? r : [p[0], p[1]];
}

/** Move a point onto land if it falls in the sea: walk towards a land anchor. */
function onLand(p: Pt, land: Ring, anchor: Pt): Pt {
	if (pointInRing(p[0], p[1], land)) return p;
	for (let t = 0.05; t <= 1; t += 0.05) {
		const q: Pt = [p[0] + (anchor[0] - p[0]) * t, p[1] + (anchor[1] - p[1]) * t];
		if (pointInRing(q[0], q[1], land)) return q;
	}
	return anchor;
}

interface DraftCommunity {
	streetIndex: number;
	ring: Ring;
	kind: CommunityKind;
	name: string;
	grids: number;
}

export function buildAdmin(landRing: Ring, nbs: NbsItem[], rng: Rng): Admin {
	const specByName = new Map(STREET_SPECS.map((s) => [s.name, s]));
	const items = nbs.filter((i) => i.kind.startsWith('subdistrict') || i.kind.startsWith('town'));
	if (items.length !== STREET_SPECS.length)
		throw new Error(`expected 21 streets, got ${items.length}`);
	const specs = items.map((item) => {
		const spec = specByName.get(item.name);
		if (!spec) throw new Error(`no layout for ${item.name}`);
		return { item, spec };
	});

	// --- Streets: Voronoi of (jittered) real centres + helper seeds, clipped to land.
	const landAnchor: Pt = [117.65, 39.02];
	const streetRng = rng.fork('streets');
	const seeds: Seed[] = [];
	const centres: Pt[] = [];
	specs.forEach(({ spec }, owner) => {
		const c = onLand(
			[
				spec.center[0] + streetRng.range(-0.003, 0.003),
				spec.center[1] + streetRng.range(-0.003, 0.003)
			],
			landRing,
			landAnchor
		);
		centres.push(c);
		seeds.push({ lon: c[0], lat: c[1], owner });
		for (const h of spec.helpers) {
			const hp: Pt = [h[0] + streetRng.range(-0.008, 0.008), h[1] + streetRng.range(-0.008, 0.008)];
			if (pointInRing(hp[0], hp[1], landRing)) seeds.push({ lon: hp[0], lat: hp[1], owner });
		}
	});
	const streetPartition = partitionPolygon(landRing, seeds, specs.length);
	let land = streetPartition.parent;
	const streetRings = streetPartition.children;

	// --- Communities.
	const usedNames = new Set<string>();
	const drafts: DraftCommunity[] = [];
	specs.forEach(({ item, spec }, si) => {
		const r = rng.fork('communities:' + item.code);
		const centre = centres[si];
		const sigma = spec.profile === 'core' ? 2500 : spec.profile === 'suburban' ? 3000 : 1500;
		const floor = spec.profile === 'core' ? 0.3 : spec.profile === 'suburban' ? 0.12 : 0.6;
		const density = (lon: number, lat: number) => {
			const d = distM([lon, lat], centre);
			return floor + Math.exp(-(d * d) / (2 * sigma * sigma));
		};
		const pts = kMeansSeeds(streetRings[si], spec.communities, r, density);
		const part = partitionPolygon(
			streetRings[si],
			pts.map((p, owner) => ({ lon: p[0], lat: p[1], owner })),
			pts.length
		);
		streetRings[si] = part.parent;
		const rings = part.children;
		const order = rings
			.map((ring, k) => ({ ring, seed: pts[k], d: distM(pts[k], centre) }))
			.sort((a, b) => readingOrder(a.seed, b.seed));
		const byDistance = order.map((o) => o.d).sort((a, b) => a - b);
		const short = streetShortName(item.name);
		for (const o of order) {
			let kind: CommunityKind = 'community';
			if (spec.profile === 'suburban' && o.d > 4000) kind = 'village';
			if (spec.profile === 'town' && o.d > Math.max(1800, byDistance[1])) kind = 'village';
			const name =
				kind === 'community' ? urbanCommunityName(r, short, usedNames) : villageName(r, usedNames);
			drafts.push({ streetIndex: si, ring: o.ring, kind, name, grids: 1 });
		}
		// Distribute the street's remaining grids (D'Hondt on a kind/area weight, max 5 each).
		const mine = drafts.filter((d) => d.streetIndex === si);
		const weight = mine.map(
			(d) =>
				(d.kind === 'community' ? 3 : 0.5) * Math.sqrt(Math.abs(ringSignedArea(d.ring)) * 1e4 + 0.2)
		);
		for (let extra = spec.grids - mine.length; extra > 0; extra--) {
			let best = -1;
			let bestQ = -1;
			mine.forEach((d, k) => {
				const q = d.grids < 5 ? weight[k] / d.grids : -1;
				if (q > bestQ) {
					bestQ = q;
					best = k;
				}
			});
			mine[best].grids++;
		}
	});

	// --- Grids.
	interface DraftGrid {
		communityIndex: number;
		ring: Ring;
	}
	const gridDrafts: DraftGrid[] = [];
	drafts.forEach((c, ci) => {
		if (c.grids === 1) {
			gridDrafts.push({ communityIndex: ci, ring: c.ring });
			return;
		}
		const r = rng.fork('grids:' + ci);
		const pts = kMeansSeeds(c.ring, c.grids, r);
		const part = partitionPolygon(
			c.ring,
			pts.map((p, owner) => ({ lon: p[0], lat: p[1], owner })),
			pts.length
		);
		c.ring = part.parent;
		part.children
			.map((ring, k) => ({ ring, seed: pts[k] }))
			.sort((a, b) => readingOrder(a.seed, b.seed))
			.forEach((g) => gridDrafts.push({ communityIndex: ci, ring: g.ring }));
	});

	// --- Snap all levels together.
	const all: Ring[] = [
		landRing,
		...streetRings,
		...drafts.map((d) => d.ring),
		...gridDrafts.map((g) => g.ring)
	];
	const snapped = snapRings(all).rings.map(ccw);
	let k = 0;
	land = snapped[k++];
	const sRings = streetRings.map(() => snapped[k++]);
	const cRings = drafts.map(() => snapped[k++]);
	const gRings = gridDrafts.map(() => snapped[k++]);

	// --- Properties (bottom-up populations).
	const peopleRng = rng.fork('people');
	const communityIds: string[] = [];
	const perStreetCount = new Map<number, number>();
	drafts.forEach((d) => {
		const n = (perStreetCount.get(d.streetIndex) ?? 0) + 1;
		perStreetCount.set(d.streetIndex, n);
		communityIds.push(specs[d.streetIndex].item.code + String(n).padStart(3, '0'));
	});
	const grids: AdminGrid[] = [];
	const perCommunityCount = new Map<number, number>();
	gridDrafts.forEach((g, gi) => {
		const c = drafts[g.communityIndex];
		const spec = specs[c.streetIndex].spec;
		const n = (perCommunityCount.get(g.communityIndex) ?? 0) + 1;
		perCommunityCount.set(g.communityIndex, n);
		const ring = gRings[gi];
		const lp = label(ring);
		let population: number;
		if (c.kind === 'village') population = 350 + 1500 * bell(peopleRng);
		else if (spec.profile === 'core') population = 1500 + 4500 * bell(peopleRng);
		else if (spec.profile === 'suburban') population = 1500 + 3200 * bell(peopleRng);
		else population = 1500 + 2600 * bell(peopleRng);
		population = Math.round(population);
		const households = Math.round(population / (2.45 + 0.3 * peopleRng.next()));
		grids.push({
			feature: {
				type: 'Feature',
				properties: {
					id: communityIds[g.communityIndex] + String(n).padStart(2, '0'),
					name: '第' + String(n).padStart(2, '0') + '网格',
					communityId: communityIds[g.communityIndex],
					streetId: specs[c.streetIndex].item.code,
					population,
					households,
					areaKm2: areaKm2(ring),
					workerName: personName(peopleRng),
					workerPhone: mobileNumber(peopleRng)
				},
				geometry: { type: 'Polygon', coordinates: [ring] }
			},
			communityIndex: g.communityIndex,
			streetIndex: c.streetIndex,
			profile: spec.profile,
			kind: c.kind,
			centreDistM: distM(lp, centres[c.streetIndex])
		});
	});

	const communities: AdminCommunity[] = drafts.map((d, ci) => {
		const ring = cRings[ci];
		const mine = grids.filter((g) => g.communityIndex === ci);
		const lp = label(ring);
		return {
			feature: {
				type: 'Feature',
				properties: {
					id: communityIds[ci],
					name: d.name,
					kind: d.kind,
					streetId: specs[d.streetIndex].item.code,
					population: mine.reduce((s, g) => s + g.feature.properties.population, 0),
					households: mine.reduce((s, g) => s + g.feature.properties.households, 0),
					areaKm2: areaKm2(ring),
					labelLon: lp[0],
					labelLat: lp[1]
				},
				geometry: { type: 'Polygon', coordinates: [ring] }
			},
			streetIndex: d.streetIndex
		};
	});

	const streets: AdminStreet[] = specs.map(({ item, spec }, si) => {
		const ring = sRings[si];
		const mine = communities.filter((c) => c.streetIndex === si);
		const lp = label(ring);
		const kind: StreetKind = item.kind.startsWith('town') ? 'town' : 'subdistrict';
		return {
			feature: {
				type: 'Feature',
				properties: {
					id: item.code,
					name: item.name,
					kind,
					population: mine.reduce((s, c) => s + c.feature.properties.population, 0),
					households: mine.reduce((s, c) => s + c.feature.properties.households, 0),
					areaKm2: areaKm2(ring),
					labelLon: lp[0],
					labelLat: lp[1]
				},
				geometry: { type: 'Polygon', coordinates: [ring] }
			},
			profile: spec.profile,
			center: centres[si]
		};
	});

	return { land, streets, communities, grids };
}
