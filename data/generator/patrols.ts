/**
 * Patrol routes (land loops on the road graph, sea loops offshore, drone ellipses) and units
 * with simulated 24 h tracks.
 */
import type { PatrolMode, PatrolRoute, PatrolUnit, Patrols } from '../../src/lib/domain/city.ts';
import {
	M_PER_DEG_LAT,
	M_PER_DEG_LON,
	PolyIndex,
	closeRing,
	cumulativeLengths,
	distM,
	offsetM,
	pointAlong,
	pointSegDist2M,
	round6,
	roundPt,
	simplifyLine,
	type Pt,
	type Ring
} from './geom.ts';
import type { RoadGraph } from './graph.ts';
import type { Rng } from './rng.ts';

const LAND_AREAS: { name: string; center: Pt }[] = [
	{ name: '塘沽', center: [117.648, 39.022] },
	{ name: '泰达', center: [117.7, 39.056] },
	{ name: '新河', center: [117.618, 39.04] },
	{ name: '大沽', center: [117.685, 38.985] },
	{ name: '新北', center: [117.625, 39.078] },
	{ name: '新港', center: [117.718, 39.006] },
	{ name: '汉沽', center: [117.8, 39.248] },
	{ name: '大港', center: [117.462, 38.832] },
	{ name: '古林', center: [117.487, 38.806] },
	{ name: '生态城', center: [117.735, 39.135] }
];

const SEA_SECTIONS: { name: string; latMin: number; latMax: number }[] = [
	{ name: '北部近岸海上巡逻线（北塘—汉沽）', latMin: 39.1, latMax: 39.23 },
	{ name: '天津港港区海上巡逻线', latMin: 38.96, latMax: 39.1 },
	{ name: '南部近岸海上巡逻线（临港—南港）', latMin: 38.68, latMax: 38.96 }
];

const AIR_AREAS: { name: string; center: Pt }[] = [
	{ name: '南港工业区', center: [117.612, 38.735] },
	{ name: '临港经济区', center: [117.735, 38.93] },
	{ name: '大港石化产业园', center: [117.5, 38.795] },
	{ name: '汉沽化工区', center: [117.845, 39.212] },
	{ name: '天津港', center: [117.76, 39.01] },
	{ name: '塘沽城区', center: [117.655, 39.03] }
];

function dedupe(path: Pt[]): Pt[] {
	const out: Pt[] = [];
	for (const p of path) {
		const q = out[out.length - 1];
		if (!q || q[0] !== p[0] || q[1] !== p[1]) out.push(p);
	}
	return out;
}

function landRoute(graph: RoadGraph, center: Pt, rng: Rng): Pt[] | null {
	const k = rng.int(4, 5);
	const radius = rng.range(1100, 2000);
	const rot = rng.range(0, 2 * Math.PI);
	const ok = (id: number) => graph.nodeClass[id] !== 'expressway' && graph.adj[id].length >= 2;
	const wps: number[] = [];
	for (let i = 0; i < k; i++) {
		const a = rot + (2 * Math.PI * i) / k;
		const id = graph.nearest(offsetM(center, Math.cos(a) * radius, Math.sin(a) * radius), ok);
		if (!wps.includes(id)) wps.push(id);
	}
	if (wps.length < 3) return null;
	const path: Pt[] = [];
	for (let i = 0; i < wps.length; i++) {
		const to = wps[(i + 1) % wps.length];
		const ids = graph.route(wps[i], (id) => id === to);
		if (!ids) return null;
		path.push(...graph.path(ids));
	}
	return dedupe(path.map(roundPt));
}

/**
 * Offset lines of the coast at given distances into the sea: marching squares on a raster of
 * the distance to the sea boundary (0 on land). Returns, per level, the longest contour.
 */
function seaContours(
	seaRings: Ring[],
	bbox: [number, number, number, number],
	levels: number[]
): Pt[][] {
	const [x0, y0, x1, y1] = bbox;
	const dx = 0.002;
	const dy = 0.0015;
	const nx = Math.ceil((x1 - x0) / dx) + 1;
	const ny = Math.ceil((y1 - y0) / dy) + 1;
	const sea = new PolyIndex(seaRings);
	const maxLevel = Math.max(...levels);
	// Boundary segments near the window only.
	const segs: number[] = [];
	const mx = (maxLevel + 3000) / M_PER_DEG_LON;
	const my = (maxLevel + 3000) / M_PER_DEG_LAT;
	for (const ring of seaRings)
		for (let i = 1; i < ring.length; i++) {
			const a = ring[i - 1];
			const b = ring[i];
			if (Math.max(a[0], b[0]) < x0 - mx || Math.min(a[0], b[0]) > x1 + mx) continue;
			if (Math.max(a[1], b[1]) < y0 - my || Math.min(a[1], b[1]) > y1 + my) continue;
			segs.push(a[0], a[1], b[0], b[1]);
		}
	const field = new Float64Array(nx * ny);
	for (let j = 0; j < ny; j++)
		for (let i = 0; i < nx; i++) {
			const x = x0 + i * dx;
			const y = y0 + j * dy;
			if (!sea.contains(x, y)) continue;
			let best = Infinity;
			for (let k = 0; k < segs.length; k += 4) {
				const d = pointSegDist2M(x, y, segs[k], segs[k + 1], segs[k + 2], segs[k + 3]);
				if (d < best) best = d;
			}
			field[j * nx + i] = Math.sqrt(best);
		}
	return levels.map((level) => {
		// Segments keyed by the grid edges they cross; stitched into polylines.
		const pointOf = new Map<number, Pt>();
		const links = new Map<number, number[]>();
		const v = (i: number, j: number) => field[j * nx + i] - level;
		const edgePoint = (i: number, j: number, horizontal: boolean): number => {
			const key = (j * nx + i) * 2 + (horizontal ? 0 : 1);
			if (!pointOf.has(key)) {
				const a = v(i, j);
				const b = horizontal ? v(i + 1, j) : v(i, j + 1);
				const t = a / (a - b);
				pointOf.set(
					key,
					horizontal ? [x0 + (i + t) * dx, y0 + j * dy] : [x0 + i * dx, y0 + (j + t) * dy]
				);
			}
			return key;
		};
		const link = (a: number, b: number) => {
			(links.get(a) ?? links.set(a, []).get(a)!).push(b);
			(links.get(b) ?? links.set(b, []).get(b)!).push(a);
		};
		for (let j = 0; j + 1 < ny; j++)
			for (let i = 0; i + 1 < nx; i++) {
				const c0 = v(i, j) > 0;
				const c1 = v(i + 1, j) > 0;
				const c2 = v(i + 1, j + 1) > 0;
				const c3 = v(i, j + 1) > 0;
				const ends: number[] = [];
				if (c0 !== c1) ends.push(edgePoint(i, j, true));
				if (c1 !== c2) ends.push(edgePoint(i + 1, j, false));
				if (c3 !== c2) ends.push(edgePoint(i, j + 1, true));
				if (c0 !== c3) ends.push(edgePoint(i, j, false));
				if (ends.length === 2) link(ends[0], ends[1]);
				else if (ends.length === 4) {
					link(ends[0], ends[1]);
					link(ends[2], ends[3]);
				}
			}
		const seen = new Set<number>();
		let longest: Pt[] = [];
		const keys = [...links.keys()].sort((a, b) => a - b);
		// Start at open ends first, then any remaining (closed loops).
		const starts = [...keys.filter((k) => links.get(k)!.length === 1), ...keys];
		for (const s0 of starts) {
			if (seen.has(s0)) continue;
			const line: Pt[] = [];
			let prev = -1;
			let cur = s0;
			while (cur >= 0 && !seen.has(cur)) {
				seen.add(cur);
				line.push(pointOf.get(cur)!);
				const next = links.get(cur)!.find((n) => n !== prev && !seen.has(n));
				prev = cur;
				cur = next ?? -1;
			}
			if (line.length > longest.length) longest = line;
		}
		return longest;
	});
}

/** The longest run of a polyline whose vertices lie within [latMin, latMax]. */
function bandRun(line: Pt[], latMin: number, latMax: number): Pt[] {
	let best: Pt[] = [];
	let cur: Pt[] = [];
	for (const p of line) {
		if (p[1] >= latMin && p[1] <= latMax) cur.push(p);
		else {
			if (cur.length > best.length) best = cur;
			cur = [];
		}
	}
	return cur.length > best.length ? cur : best;
}

function seaRoute(
	inner: Pt[],
	outer: Pt[],
	latMin: number,
	latMax: number,
	valid: (p: Pt) => boolean
): Pt[] {
	const a = bandRun(inner, latMin, latMax);
	let b = bandRun(outer, latMin, latMax);
	if (a.length < 2 || b.length < 2) return [];
	// Go out along the inner line, come back along the outer one.
	if (distM(a[a.length - 1], b[0]) > distM(a[a.length - 1], b[b.length - 1]))
		b = b.slice().reverse();
	const loop = simplifyLine([...a, ...b], 40)
		.map(roundPt)
		.filter(valid);
	return loop.length >= 3 ? closeRing(loop) : [];
}

function airRoute(center: Pt, rng: Rng): Pt[] {
	const a = rng.range(2300, 3500);
	const b = rng.range(1400, 2300);
	const rot = rng.range(0, Math.PI);
	const pts: Pt[] = [];
	for (let i = 0; i < 40; i++) {
		const t = (2 * Math.PI * i) / 40;
		const x = Math.cos(t) * a;
		const y = Math.sin(t) * b;
		pts.push(
			roundPt(
				offsetM(
					center,
					x * Math.cos(rot) - y * Math.sin(rot),
					x * Math.sin(rot) + y * Math.cos(rot)
				)
			)
		);
	}
	return closeRing(pts);
}

const kmh = (v: number) => v / 3.6;

/** 24 h track along a closed route. */
function simulate(path: Pt[], mode: PatrolMode, rng: Rng): PatrolUnit['track'] {
	const cum = cumulativeLengths(path);
	const total = cum[cum.length - 1];
	const times: number[] = [0];
	while (times[times.length - 1] < 86400) {
		const last = times[times.length - 1];
		const rest = 86400 - last;
		// Every gap in [60, 120] s, ending exactly at 86400.
		times.push(rest <= 120 ? 86400 : last + rng.int(60, Math.min(120, rest - 60)));
	}
	const lon: number[] = [];
	const lat: number[] = [];
	const push = (p: Pt) => {
		lon.push(round6(p[0]));
		lat.push(round6(p[1]));
	};
	let s = rng.range(0, total);
	if (mode === 'air') {
		// Sorties from the base (path[0]) between 06:00 and 22:00, recharging in between.
		const base = path[0];
		let phase: 'ground' | 'flight' | 'return' = 'ground';
		let until = rng.int(6 * 3600, 7 * 3600);
		let speed = kmh(rng.range(40, 60));
		let retFrom: Pt = base;
		let retStart = 0;
		let retDur = 1;
		s = 0;
		let prevT = 0;
		for (const t of times) {
			const dt = t - prevT;
			prevT = t;
			if (phase === 'flight') s += speed * dt;
			while (t >= until) {
				if (phase === 'ground') {
					if (until >= 22 * 3600) {
						until = 86400 + 1;
						break;
					}
					phase = 'flight';
					s = speed * (t - until);
					until += rng.int(25 * 60, 40 * 60);
				} else if (phase === 'flight') {
					retFrom = pointAlong(path, cum, Math.max(0, s - speed * (t - until)) % total);
					retStart = until;
					retDur = Math.max(60, distM(retFrom, base) / speed);
					phase = 'return';
					until += retDur;
				} else {
					phase = 'ground';
					speed = kmh(rng.range(40, 60));
					until += rng.int(15 * 60, 30 * 60);
				}
			}
			if (phase === 'ground') push(base);
			else if (phase === 'flight') push(pointAlong(path, cum, s % total));
			else {
				const f = Math.min(1, (t - retStart) / retDur);
				push([retFrom[0] + (base[0] - retFrom[0]) * f, retFrom[1] + (base[1] - retFrom[1]) * f]);
			}
		}
		return { lon, lat, t: times };
	}
	const [vMin, vMax] = mode === 'land' ? [20, 40] : [15, 25];
	const stopP = mode === 'land' ? 0.07 : 0.03;
	let speed = kmh(rng.range(vMin, vMax));
	let stopUntil = -1;
	let prevT = 0;
	for (const t of times) {
		const dt = t - prevT;
		prevT = t;
		if (t > stopUntil) {
			const moving = stopUntil < 0 ? dt : Math.min(dt, t - stopUntil);
			s = (s + speed * moving) % total;
			stopUntil = -1;
			if (rng.chance(stopP)) stopUntil = t + rng.int(3 * 60, mode === 'land' ? 15 * 60 : 25 * 60);
			if (rng.chance(0.2)) speed = kmh(rng.range(vMin, vMax));
		}
		push(pointAlong(path, cum, s));
	}
	return { lon, lat, t: times };
}

export function buildPatrols(
	graph: RoadGraph,
	seaRings: Ring[],
	sea: PolyIndex,
	land: PolyIndex,
	rng: Rng
): Patrols {
	const routes: PatrolRoute[] = [];
	const addRoute = (name: string, mode: PatrolMode, path: Pt[]) => {
		routes.push({ id: 'PR' + String(routes.length + 1).padStart(2, '0'), name, mode, path });
	};
	const landRng = rng.fork('land');
	for (const area of LAND_AREAS) {
		const path = landRoute(graph, area.center, landRng);
		if (path && path.length >= 4) addRoute(area.name + '街面巡逻线', 'land', path);
	}
	const [inner, outer] = seaContours(seaRings, [117.55, 38.6, 118.12, 39.3], [2000, 4000]);
	const valid = (p: Pt) => sea.contains(p[0], p[1]) && !land.contains(p[0], p[1]);
	for (const sec of SEA_SECTIONS) {
		const path = seaRoute(inner, outer, sec.latMin, sec.latMax, valid);
		if (path.length >= 4) addRoute(sec.name, 'sea', path);
	}
	const airRng = rng.fork('air');
	for (const area of AIR_AREAS)
		addRoute(area.name + '无人机巡查航线', 'air', airRoute(area.center, airRng));

	const units: PatrolUnit[] = [];
	const unitRng = rng.fork('units');
	const seq: Record<PatrolMode, number> = { land: 0, sea: 0, air: 0 };
	const prefix: Record<PatrolMode, string> = { land: '陆巡', sea: '海巡', air: '空巡' };
	for (const route of routes) {
		const n =
			route.mode === 'land'
				? unitRng.int(2, 3)
				: route.mode === 'sea'
					? unitRng.int(2, 3)
					: unitRng.int(1, 2);
		for (let k = 0; k < n; k++) {
			seq[route.mode]++;
			const r = unitRng.fork(route.id + ':' + k);
			const status = (['on_patrol', 'responding', 'standby'] as const)[
				r.weighted([0.7, 0.15, 0.15])
			];
			units.push({
				id: 'PU' + String(units.length + 1).padStart(2, '0'),
				callsign: prefix[route.mode] + '-' + String(seq[route.mode]).padStart(2, '0'),
				mode: route.mode,
				routeId: route.id,
				status,
				track: simulate(route.path, route.mode, r)
			});
		}
	}
	return { routes, units };
}
