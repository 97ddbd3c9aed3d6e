/**
 * Planar primitives for the grid planner, in WGS84 degrees (the same plane PostGIS uses for
 * SRID 4326 geometry). Rings are handled *open* here (the closing vertex is not repeated) and
 * closed again only when a GeoJSON Polygon is written.
 *
 * Two numbers hold the topology together:
 * - every coordinate the planner writes is rounded to `COORD_DECIMALS` (terra-draw refuses
 *   more than 9 decimals, and a fixed lattice makes "the same vertex" an exact comparison);
 * - `VERTEX_EPS`: vertices closer than this are one vertex, and a vertex closer than this to an
 *   edge lies on it. It is a little more than one lattice step, so a point computed on an edge
 *   and then rounded is still "on" that edge.
 */
import type { Polygon, Position } from 'geojson';

export type Pt = [number, number];
/** Rings of one polygon, shell first, each open (first vertex not repeated at the end). */
export type Rings = Pt[][];

export const COORD_DECIMALS = 9;
const SCALE = 10 ** COORD_DECIMALS;
/** Degrees (≈ 0.17 mm): near-duplicate vertices and vertex-on-edge tolerance. */
export const VERTEX_EPS = 1.5e-9;
/** Metres per degree of latitude (mean); only used for tolerances and suggestions. */
export const M_PER_DEG = 111_320;

export function roundCoord(x: number): number {
	return Math.round(x * SCALE) / SCALE;
}

export function roundPt(p: Position): Pt {
	return [roundCoord(p[0]), roundCoord(p[1])];
}

export function samePt(a: Position, b: Position): boolean {
	return a[0] === b[0] && a[1] === b[1];
}

export function ptKey(p: Position): string {
	return p[0] + ',' + p[1];
}

/** Undirected edge key: the same for a→b and b→a. */
export function edgeKey(a: Position, b: Position): string {
	const forward = a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
	return forward ? ptKey(a) + ';' + ptKey(b) : ptKey(b) + ';' + ptKey(a);
}

export function isFinitePos(p: unknown): p is Position {
	return Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]);
}

/** A Polygon whose rings are arrays of at least four finite positions (shape, not validity). */
export function isWellFormedPolygon(geom: unknown): geom is Polygon {
	const g = geom as { type?: unknown; coordinates?: unknown } | null;
	return (
		!!g &&
		g.type === 'Polygon' &&
		Array.isArray(g.coordinates) &&
		g.coordinates.length > 0 &&
		g.coordinates.every((r) => Array.isArray(r) && r.length >= 4 && r.every(isFinitePos))
	);
}

/** Open copies of a polygon's rings. */
export function ringsOf(poly: Polygon): Rings {
	return poly.coordinates.map((ring) => {
		const pts = ring.map((p): Pt => [p[0], p[1]]);
		if (pts.length > 1 && samePt(pts[0], pts[pts.length - 1])) pts.pop();
		return pts;
	});
}

/** A closed GeoJSON Polygon from open rings (copies). */
export function polygonOf(rings: Rings): Polygon {
	return {
		type: 'Polygon',
		coordinates: rings.map((r) => [...r.map((p): Position => [p[0], p[1]]), [r[0][0], r[0][1]]])
	};
}

/** Shoelace area of an open ring (counter-clockwise positive), taken about the first vertex. */
export function signedArea(ring: readonly Pt[]): number {
	if (ring.length < 3) return 0;
	const [ox, oy] = ring[0];
	let s = 0;
	for (let i = 1; i + 1 < ring.length; i++)
		s += (ring[i][0] - ox) * (ring[i + 1][1] - oy) - (ring[i + 1][0] - ox) * (ring[i][1] - oy);
	return s / 2;
}

/** Outer ring counter-clockwise, holes clockwise (RFC 7946). Copies. */
export function orientRfc7946(rings: Rings): Rings {
	return rings.map((r, k) => {
		const ccw = signedArea(r) > 0;
		return (k === 0) === ccw ? r.slice() : r.slice().reverse();
	});
}

export interface Closest {
	/** Parameter along a→b, clamped to [0, 1]. */
	t: number;
	x: number;
	y: number;
	/** Squared distance in degrees². */
	d2: number;
}

export function closestOnSegment(p: Position, a: Position, b: Position): Closest {
	const dx = b[0] - a[0];
	const dy = b[1] - a[1];
	const len2 = dx * dx + dy * dy;
	let t = len2 === 0 ? 0 : ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	const x = a[0] + t * dx;
	const y = a[1] + t * dy;
	return { t, x, y, d2: (p[0] - x) ** 2 + (p[1] - y) ** 2 };
}

/**
 * Proper crossing of segments p1→p2 and q1→q2 (not parallel, both parameters strictly inside):
 * the point and its parameters on each segment, unrounded. Touching at ends and collinear
 * overlaps are left to the vertex-on-segment tests of the callers.
 */
export function segmentCrossing(
	p1: Position,
	p2: Position,
	q1: Position,
	q2: Position
): { t: number; u: number; x: number; y: number } | null {
	const rx = p2[0] - p1[0];
	const ry = p2[1] - p1[1];
	const sx = q2[0] - q1[0];
	const sy = q2[1] - q1[1];
	const d = rx * sy - ry * sx;
	if (d === 0) return null;
	const qpx = q1[0] - p1[0];
	const qpy = q1[1] - p1[1];
	const t = (qpx * sy - qpy * sx) / d;
	const u = (qpx * ry - qpy * rx) / d;
	if (!(t > 0 && t < 1 && u > 0 && u < 1)) return null;
	return { t, u, x: p1[0] + t * rx, y: p1[1] + t * ry };
}

/** Even-odd ray casting on an open ring (boundary points may fall either way). */
export function pointInRing(p: Position, ring: readonly Pt[]): boolean {
	let inside = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const [xi, yi] = ring[i];
		const [xj, yj] = ring[j];
		if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi)
			inside = !inside;
	}
	return inside;
}

export function pointInRings(p: Position, rings: Rings): boolean {
	if (rings.length === 0 || !pointInRing(p, rings[0])) return false;
	for (let k = 1; k < rings.length; k++) if (pointInRing(p, rings[k])) return false;
	return true;
}

/** Distance (degrees) from a point to the nearest edge of any ring. */
export function distanceToRings(p: Position, rings: Rings): number {
	let best = Infinity;
	for (const ring of rings)
		for (let i = 0; i < ring.length; i++) {
			const c = closestOnSegment(p, ring[i], ring[(i + 1) % ring.length]);
			if (c.d2 < best) best = c.d2;
		}
	return Math.sqrt(best);
}

export function bboxOfRings(rings: Rings): [number, number, number, number] {
	let minX = Infinity;
	let minY = Infinity;
	let maxX = -Infinity;
	let maxY = -Infinity;
	for (const ring of rings)
		for (const p of ring) {
			if (p[0] < minX) minX = p[0];
			if (p[1] < minY) minY = p[1];
			if (p[0] > maxX) maxX = p[0];
			if (p[1] > maxY) maxY = p[1];
		}
	return [minX, minY, maxX, maxY];
}

/** Local equirectangular scale at a latitude: metres per degree of longitude and latitude. */
export function metresPerDegree(lat: number): { kx: number; ky: number } {
	return { kx: M_PER_DEG * Math.cos((lat * Math.PI) / 180), ky: M_PER_DEG };
}

/** Short-range distance in metres (equirectangular; plenty for snapping tolerances). */
export function distanceM(a: Position, b: Position): number {
	const { kx, ky } = metresPerDegree((a[1] + b[1]) / 2);
	return Math.hypot((a[0] - b[0]) * kx, (a[1] - b[1]) * ky);
}

/** Remove consecutive duplicates (cyclically) and spikes a→b→a until none are left. */
export function cleanRing(ring: readonly Pt[]): Pt[] {
	let pts = ring.slice();
	for (;;) {
		const out: Pt[] = [];
		for (const p of pts) if (out.length === 0 || !samePt(out[out.length - 1], p)) out.push(p);
		while (out.length > 1 && samePt(out[0], out[out.length - 1])) out.pop();
		let spike = -1;
		const n = out.length;
		if (n > 2)
			for (let i = 0; i < n; i++)
				if (samePt(out[(i - 1 + n) % n], out[(i + 1) % n])) {
					spike = i;
					break;
				}
		if (spike < 0) return out;
		// Drop the tip; its two equal neighbours collapse on the next pass.
		out.splice(spike, 1);
		pts = out;
	}
}

/**
 * Make a set of polygons share their vertices exactly:
 *  1. round every vertex to the lattice;
 *  2. merge vertices within `eps` of an earlier one (earlier polygons win, so a fixed outline
 *     passed first keeps its coordinates);
 *  3. insert every vertex that lies within `eps` of an edge into that edge (no T-junctions);
 *  4. drop the duplicates and spikes this may leave.
 * Polygons before `fixedCount` take part as sources but are returned unchanged. Afterwards a
 * boundary shared by two polygons is the same vertex sequence in both, which is what lets the
 * tiling check use its exact certificate and lets a shared vertex be moved in every grid at once.
 */
export function nodePolygons(polys: readonly Rings[], fixedCount = 0, eps = VERTEX_EPS): Rings[] {
	const cell = eps * 8;
	const buckets = new Map<string, Pt[]>();
	const reps: Pt[] = [];
	const eps2 = eps * eps;
	const canon = (p: Pt): Pt => {
		const q = roundPt(p);
		const cx = Math.floor(q[0] / cell);
		const cy = Math.floor(q[1] / cell);
		let best: Pt | null = null;
		let bestD = eps2;
		for (let dx = -1; dx <= 1; dx++)
			for (let dy = -1; dy <= 1; dy++) {
				const b = buckets.get(cx + dx + ',' + (cy + dy));
				if (!b) continue;
				for (const r of b) {
					const d = (r[0] - q[0]) ** 2 + (r[1] - q[1]) ** 2;
					if (d <= bestD) {
						best = r;
						bestD = d;
					}
				}
			}
		if (best) return best;
		const k = cx + ',' + cy;
		const b = buckets.get(k);
		if (b) b.push(q);
		else buckets.set(k, [q]);
		reps.push(q);
		return q;
	};
	const merged = polys.map((rings, i) => {
		if (i >= fixedCount) return rings.map((r) => r.map(canon));
		for (const r of rings) for (const p of r) canon(p);
		return rings;
	});
	const sources = reps.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	return merged.map((rings, i) =>
		i < fixedCount ? polys[i] : rings.map((r) => cleanRing(nodeRing(r, sources, eps)))
	);
}

/** First index in `sorted` (by x) whose x is ≥ x. */
function lowerBound(sorted: readonly Pt[], x: number): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (sorted[mid][0] < x) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/** Insert into an open ring every source vertex (sorted by x) lying within `eps` of an edge. */
export function nodeRing(ring: readonly Pt[], sources: readonly Pt[], eps = VERTEX_EPS): Pt[] {
	const out: Pt[] = [];
	const eps2 = eps * eps;
	const n = ring.length;
	for (let i = 0; i < n; i++) {
		const a = ring[i];
		const b = ring[(i + 1) % n];
		out.push(a);
		if (samePt(a, b)) continue;
		const maxX = Math.max(a[0], b[0]) + eps;
		const minY = Math.min(a[1], b[1]) - eps;
		const maxY = Math.max(a[1], b[1]) + eps;
		let hits: { t: number; p: Pt }[] | null = null;
		for (let k = lowerBound(sources, Math.min(a[0], b[0]) - eps); k < sources.length; k++) {
			const v = sources[k];
			if (v[0] > maxX) break;
			if (v[1] < minY || v[1] > maxY || samePt(v, a) || samePt(v, b)) continue;
			const c = closestOnSegment(v, a, b);
			if (c.t > 0 && c.t < 1 && c.d2 <= eps2) (hits ??= []).push({ t: c.t, p: v });
		}
		if (hits) {
			hits.sort((h, k) => h.t - k.t);
			for (const h of hits) if (!samePt(out[out.length - 1], h.p)) out.push(h.p);
		}
	}
	return out;
}

/** Deep equality of two sets of open rings (exact coordinates). */
export function sameRings(a: Rings, b: Rings): boolean {
	if (a.length !== b.length) return false;
	for (let k = 0; k < a.length; k++) {
		if (a[k].length !== b[k].length) return false;
		for (let i = 0; i < a[k].length; i++) if (!samePt(a[k][i], b[k][i])) return false;
	}
	return true;
}
