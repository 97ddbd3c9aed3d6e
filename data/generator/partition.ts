/**
 * Split a polygon into child polygons: Voronoi cells of seed points (d3-delaunay), clipped to
 * the parent. A child may own several seeds (its cells are merged). Pieces of a child that end
 * up disconnected from its main piece are handed to the neighbouring sibling they share the
 * longest border with, so every child is a single Polygon and the children tile the parent.
 */
import { Delaunay } from 'd3-delaunay';
import { featureCollection, intersect, polygon, union } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import {
	KX,
	clipRingByConvex,
	closeRing,
	distM,
	openRing,
	pointInRing,
	ringBBox,
	ringSignedArea,
	type Pt,
	type Ring
} from './geom.ts';
import type { Rng } from './rng.ts';
import { snapRings } from './snap.ts';

export interface Seed {
	lon: number;
	lat: number;
	/** Index of the child this seed belongs to. */
	owner: number;
}

type PolyResult = Feature<Polygon | MultiPolygon> | null;

function outerRings(f: PolyResult): Ring[] {
	if (!f) return [];
	const g = f.geometry;
	const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
	return polys.map((rings) => rings[0].map((p) => [p[0], p[1]] as Pt));
}

function polyIntersect(a: Ring, b: Ring): Ring[] {
	return outerRings(intersect(featureCollection([polygon([a]), polygon([b])])) as PolyResult);
}

function polyUnion(rings: Ring[]): Ring[] {
	if (rings.length === 1) return [rings[0]];
	return outerRings(union(featureCollection(rings.map((r) => polygon([r])))) as PolyResult);
}

const absArea = (r: Ring) => Math.abs(ringSignedArea(r));

/** Voronoi cells (lon/lat rings) of the seeds, bounded by a box around the parent. */
function voronoiCells(parent: Ring, seeds: Seed[]): Ring[] {
	const [minX, minY, maxX, maxY] = ringBBox(parent);
	const pad = Math.max(maxX - minX, maxY - minY) * 0.5 + 0.01;
	const delaunay = Delaunay.from(
		seeds,
		(s) => s.lon * KX,
		(s) => s.lat
	);
	const voronoi = delaunay.voronoi([(minX - pad) * KX, minY - pad, (maxX + pad) * KX, maxY + pad]);
	return seeds.map((_, i) => {
		const cell = voronoi.cellPolygon(i);
		if (!cell) throw new Error(`degenerate Voronoi cell for seed ${i}`);
		return closeRing(openRing(cell.map((p) => [p[0] / KX, p[1]] as Pt)));
	});
}

const vkey = (p: Pt) => p[0] + ',' + p[1];
const ekey = (a: Pt, b: Pt) => vkey(a) + ';' + vkey(b);

function ccwRing(r: Ring): Ring {
	return ringSignedArea(r) < 0 ? r.slice().reverse() : r;
}

/** Length (m) of the boundary two snapped rings share (edges present in both, reversed). */
function sharedLength(a: Ring, bEdges: Set<string>): number {
	let len = 0;
	for (let i = 0; i + 1 < a.length; i++)
		if (bEdges.has(ekey(a[i + 1], a[i]))) len += distM(a[i], a[i + 1]);
	return len;
}

function edgeSet(r: Ring): Set<string> {
	const s = new Set<string>();
	for (let i = 0; i + 1 < r.length; i++) s.add(ekey(r[i], r[i + 1]));
	return s;
}

/**
 * Union of two counter-clockwise rings on the same vertex grid that share boundary edges:
 * drop the edges they share (opposite directions) and walk what is left. Returns null when the
 * result is not a single simple ring (the caller then falls back to polygon clipping).
 */
function mergeRings(a: Ring, b: Ring): Ring | null {
	const edges: [Pt, Pt][] = [];
	for (const r of [a, b]) for (let i = 0; i + 1 < r.length; i++) edges.push([r[i], r[i + 1]]);
	const count = new Map<string, number>();
	for (const [p, q] of edges) count.set(ekey(p, q), (count.get(ekey(p, q)) ?? 0) + 1);
	const out = new Map<string, [Pt, Pt]>();
	let kept = 0;
	for (const [p, q] of edges) {
		const rev = ekey(q, p);
		if ((count.get(rev) ?? 0) > 0) continue;
		if (out.has(vkey(p))) return null; // two outgoing edges: pinch point
		out.set(vkey(p), [p, q]);
		kept++;
	}
	if (kept < 3) return null;
	const start = out.values().next().value as [Pt, Pt];
	const ring: Pt[] = [start[0]];
	let cur = start;
	for (let guard = 0; guard <= kept; guard++) {
		ring.push(cur[1]);
		if (vkey(cur[1]) === vkey(start[0])) break;
		const next = out.get(vkey(cur[1]));
		if (!next) return null;
		cur = next;
	}
	if (ring.length - 1 !== kept || vkey(ring[ring.length - 1]) !== vkey(ring[0])) return null;
	return ring;
}

/** Union of two adjacent rings: exact merge, or polygon clipping as a fallback. */
function unionTwo(a: Ring, b: Ring): Ring[] {
	const m = mergeRings(ccwRing(a), ccwRing(b));
	return m ? [m] : polyUnion([a, b]).map(ccwRing);
}

export interface Partition {
	/** The parent ring on the 1e-6° grid, with the children's boundary vertices inserted. */
	parent: Ring;
	children: Ring[];
}

export function partitionPolygon(parentIn: Ring, seeds: Seed[], owners: number): Partition {
	const cells = voronoiCells(parentIn, seeds);
	const raw: { owner: number; ring: Ring }[] = [];
	for (let i = 0; i < seeds.length; i++) {
		const clipped = clipRingByConvex(parentIn, cells[i]);
		const rings =
			clipped === 'complex' ? polyIntersect(parentIn, cells[i]) : clipped ? [clipped] : [];
		for (const ring of rings) raw.push({ owner: seeds[i].owner, ring });
	}
	// Put all pieces and the parent on the output grid with shared boundaries made identical,
	// so that the unions below are exact.
	const snapped = snapRings([parentIn, ...raw.map((r) => r.ring)]).rings;
	const parent = snapped[0];
	const piecesByOwner: Ring[][] = Array.from({ length: owners }, () => []);
	raw.forEach((r, i) => {
		const ring = snapped[i + 1];
		if (ring.length >= 4 && absArea(ring) > 0) piecesByOwner[r.owner].push(ring);
	});
	// Merge each child's pieces that share edges; pieces left apart become fragments.
	const main: Ring[] = [];
	const fragments: { owner: number; ring: Ring }[] = [];
	for (let o = 0; o < owners; o++) {
		let pending = piecesByOwner[o].map(ccwRing).sort((a, b) => absArea(b) - absArea(a));
		if (pending.length === 0) throw new Error(`child ${o} has no area inside its parent`);
		let acc = pending[0];
		pending = pending.slice(1);
		for (let progress = true; progress && pending.length > 0;) {
			progress = false;
			const accEdges = edgeSet(acc);
			for (let k = 0; k < pending.length; k++) {
				if (sharedLength(pending[k], accEdges) <= 0) continue;
				const merged = unionTwo(acc, pending[k]).sort((a, b) => absArea(b) - absArea(a));
				if (merged.length !== 1) continue;
				acc = merged[0];
				pending.splice(k, 1);
				progress = true;
				break;
			}
		}
		main.push(acc);
		for (const r of pending) fragments.push({ owner: o, ring: r });
	}
	// Hand each fragment to the sibling it shares the longest border with; repeat while
	// fragments only touch other fragments.
	let pending = fragments;
	while (pending.length > 0) {
		const next: typeof pending = [];
		const edges = main.map(edgeSet);
		for (const frag of pending) {
			let best = -1;
			let bestLen = 0;
			for (let o = 0; o < owners; o++) {
				const len = sharedLength(frag.ring, edges[o]);
				if (len > bestLen) {
					bestLen = len;
					best = o;
				}
			}
			if (best < 0) {
				next.push(frag);
				continue;
			}
			const merged = unionTwo(main[best], frag.ring).sort((a, b) => absArea(b) - absArea(a));
			if (merged.length !== 1) throw new Error('fragment union did not merge');
			main[best] = merged[0];
			edges[best] = edgeSet(main[best]);
		}
		if (next.length === pending.length) {
			(globalThis as Record<string, unknown>).__fail = {
				parent,
				main,
				next,
				parentIn,
				raw,
				seeds,
				piecesByOwner
			};
			throw new Error('Voronoi fragments without neighbours');
		}
		pending = next;
	}
	return { parent, children: main };
}

/**
 * Seed points for k children inside a ring, spread by a weighted k-means over random samples
 * (density(lon, lat) > 0 biases where children are small).
 */
export function kMeansSeeds(
	ring: Ring,
	k: number,
	rng: Rng,
	density: (lon: number, lat: number) => number = () => 1
): Pt[] {
	const [minX, minY, maxX, maxY] = ringBBox(ring);
	const m = Math.max(40 * k, 240);
	const samples: Pt[] = [];
	let maxD = 0;
	for (let i = 0; i < 50; i++)
		maxD = Math.max(maxD, density(rng.range(minX, maxX), rng.range(minY, maxY)));
	maxD = Math.max(maxD, 1e-9);
	let guard = 0;
	while (samples.length < m && guard++ < m * 400) {
		const x = rng.range(minX, maxX);
		const y = rng.range(minY, maxY);
		if (!pointInRing(x, y, ring)) continue;
		const d = density(x, y);
		if (d > maxD) maxD = d;
		if (rng.next() * maxD > d) continue;
		samples.push([x, y]);
	}
	if (samples.length < k) throw new Error('ring too small to seed');
	if (k === 1) return [samples[0]];
	// k-means++ style initialisation.
	const seeds: Pt[] = [samples[0]];
	const d2 = new Float64Array(samples.length).fill(Infinity);
	while (seeds.length < k) {
		const last = seeds[seeds.length - 1];
		for (let i = 0; i < samples.length; i++) {
			const dx = (samples[i][0] - last[0]) * KX;
			const dy = samples[i][1] - last[1];
			d2[i] = Math.min(d2[i], dx * dx + dy * dy);
		}
		seeds.push(samples[rng.weighted(d2)]);
	}
	const assign = new Int32Array(samples.length);
	for (let iter = 0; iter < 10; iter++) {
		for (let i = 0; i < samples.length; i++) {
			let best = 0;
			let bestD = Infinity;
			for (let j = 0; j < k; j++) {
				const dx = (samples[i][0] - seeds[j][0]) * KX;
				const dy = samples[i][1] - seeds[j][1];
				const dd = dx * dx + dy * dy;
				if (dd < bestD) {
					bestD = dd;
					best = j;
				}
			}
			assign[i] = best;
		}
		const sx = new Float64Array(k);
		const sy = new Float64Array(k);
		const cnt = new Float64Array(k);
		for (let i = 0; i < samples.length; i++) {
			sx[assign[i]] += samples[i][0];
			sy[assign[i]] += samples[i][1];
			cnt[assign[i]]++;
		}
		for (let j = 0; j < k; j++) if (cnt[j] > 0) seeds[j] = [sx[j] / cnt[j], sy[j] / cnt[j]];
	}
	// Centroids of non-convex clusters can fall outside: use the nearest own sample instead.
	return seeds.map((s, j) => {
		if (pointInRing(s[0], s[1], ring)) return s;
		let best: Pt = samples[0];
		let bestD = Infinity;
		for (let i = 0; i < samples.length; i++) {
			if (assign[i] !== j) continue;
			const dd = distM(samples[i], s);
			if (dd < bestD) {
				bestD = dd;
				best = samples[i];
			}
		}
		return best;
	});
}
