/** Rivers (LineStrings, clipped to land) and reservoirs (Polygons on land). */
import type { Feature, LineString, Polygon } from 'geojson';
import type { WaterProps } from '../../src/lib/domain/city.ts';
import {
	M_PER_DEG_LAT,
	M_PER_DEG_LON,
	chaikin,
	clipLine,
	closeRing,
	densify,
	roundPt,
	simplifyLine,
	type PolyIndex,
	type Pt,
	type Ring
} from './geom.ts';
import type { Rng } from './rng.ts';

interface RiverSpec {
	id: string;
	name: string;
	waypoints: Pt[];
	/** Meander amplitude in metres. */
	amplitude: number;
}

const RIVERS: RiverSpec[] = [
	{
		id: 'river-haihe',
		name: '海河',
		amplitude: 260,
		waypoints: [
			[117.3, 39.078],
			[117.38, 39.062],
			[117.45, 39.035],
			[117.52, 39.005],
			[117.57, 38.986],
			[117.61, 38.99],
			[117.645, 38.999],
			[117.675, 38.991],
			[117.7, 38.984],
			[117.712, 38.981],
			[117.725, 38.976]
		]
	},
	{
		id: 'river-jiyun',
		name: '蓟运河',
		amplitude: 300,
		waypoints: [
			[117.66, 39.352],
			[117.72, 39.31],
			[117.765, 39.272],
			[117.79, 39.24],
			[117.782, 39.19],
			[117.762, 39.152],
			[117.735, 39.12],
			[117.728, 39.104]
		]
	},
	{
		id: 'river-yongdingxin',
		name: '永定新河',
		amplitude: 120,
		waypoints: [
			[117.298, 39.145],
			[117.4, 39.137],
			[117.5, 39.128],
			[117.6, 39.121],
			[117.68, 39.115],
			[117.726, 39.106]
		]
	},
	{
		id: 'river-duliujian',
		name: '独流减河',
		amplitude: 60,
		waypoints: [
			[117.298, 38.792],
			[117.4, 38.786],
			[117.48, 38.781],
			[117.54, 38.776],
			[117.6, 38.772]
		]
	}
];

interface ReservoirSpec {
	id: string;
	name: string;
	center: Pt;
	rxM: number;
	ryM: number;
}

const RESERVOIRS: ReservoirSpec[] = [
	{ id: 'reservoir-beidagang', name: '北大港水库', center: [117.4, 38.742], rxM: 4200, ryM: 3700 },
	{ id: 'reservoir-guangang', name: '官港湖', center: [117.53, 38.88], rxM: 1400, ryM: 1100 },
	{ id: 'reservoir-huanggang', name: '黄港水库', center: [117.63, 39.175], rxM: 1700, ryM: 1200 },
	{ id: 'reservoir-yingcheng', name: '营城湖', center: [117.755, 39.268], rxM: 900, ryM: 700 }
];

export type WaterFeature = Feature<LineString | Polygon, WaterProps>;

export interface Water {
	features: WaterFeature[];
	reservoirs: Ring[];
	rivers: Pt[][];
}

function meander(waypoints: Pt[], amplitude: number, rng: Rng): Pt[] {
	const base = densify(chaikin(waypoints, 2), 250);
	const phases = [rng.range(0, 6.283), rng.range(0, 6.283), rng.range(0, 6.283)];
	const out: Pt[] = [];
	let s = 0;
	for (let i = 0; i < base.length; i++) {
		const a = base[Math.max(0, i - 1)];
		const b = base[Math.min(base.length - 1, i + 1)];
		const tx = (b[0] - a[0]) * M_PER_DEG_LON;
		const ty = (b[1] - a[1]) * M_PER_DEG_LAT;
		const tl = Math.hypot(tx, ty) || 1;
		if (i > 0)
			s += Math.hypot(
				(base[i][0] - base[i - 1][0]) * M_PER_DEG_LON,
				(base[i][1] - base[i - 1][1]) * M_PER_DEG_LAT
			);
		// Fade the meander out at both ends so the river meets its endpoints.
		const fade = Math.min(1, i / 6, (base.length - 1 - i) / 6);
		const off =
			fade *
			amplitude *
			(0.6 * Math.sin(s / 1800 + phases[0]) +
				0.3 * Math.sin(s / 700 + phases[1]) +
				0.15 * Math.sin(s / 330 + phases[2]));
		out.push([
			base[i][0] + ((-ty / tl) * off) / M_PER_DEG_LON,
			base[i][1] + ((tx / tl) * off) / M_PER_DEG_LAT
		]);
	}
	return simplifyLine(chaikin(out, 2), 4);
}

function blob(spec: ReservoirSpec, rng: Rng, scale: number): Ring {
	const ph = [rng.range(0, 6.283), rng.range(0, 6.283), rng.range(0, 6.283)];
	const pts: Pt[] = [];
	const n = 72;
	for (let i = 0; i < n; i++) {
		const t = (2 * Math.PI * i) / n;
		const r =
			scale *
			(1 +
				0.12 * Math.sin(2 * t + ph[0]) +
				0.07 * Math.sin(3 * t + ph[1]) +
				0.04 * Math.sin(5 * t + ph[2]));
		pts.push(
			roundPt([
				spec.center[0] + (Math.cos(t) * spec.rxM * r) / M_PER_DEG_LON,
				spec.center[1] + (Math.sin(t) * spec.ryM * r) / M_PER_DEG_LAT
			])
		);
	}
	return closeRing(pts);
}

export function buildWater(land: PolyIndex, rng: Rng): Water {
	const features: WaterFeature[] = [];
	const reservoirs: Ring[] = [];
	const rivers: Pt[][] = [];
	for (const spec of RIVERS) {
		const line = meander(spec.waypoints, spec.amplitude, rng.fork(spec.id));
		const pieces = clipLine(line, land, true, 2)
			.map((p) => p.map(roundPt))
			.sort((a, b) => b.length - a.length);
		if (pieces.length === 0) throw new Error(`river ${spec.name} is not on land`);
		// A river is one line: keep its longest stretch on land.
		const coords = pieces[0];
		rivers.push(coords);
		features.push({
			type: 'Feature',
			properties: { id: spec.id, kind: 'river', name: spec.name },
			geometry: { type: 'LineString', coordinates: coords }
		});
	}
	for (const spec of RESERVOIRS) {
		const r = rng.fork(spec.id);
		let ring: Ring | null = null;
		for (let scale = 1; scale > 0.3 && !ring; scale -= 0.1) {
			const cand = blob(spec, r, scale);
			if (cand.every((p) => land.contains(p[0], p[1]))) ring = cand;
		}
		if (!ring) throw new Error(`reservoir ${spec.name} is not on land`);
		reservoirs.push(ring);
		features.push({
			type: 'Feature',
			properties: { id: spec.id, kind: 'reservoir', name: spec.name },
			geometry: { type: 'Polygon', coordinates: [ring] }
		});
	}
	return { features, reservoirs, rivers };
}
