/**
 * Small planar geometry helpers in WGS84 degrees. The city spans < 1° so a local
 * equirectangular approximation (metres per degree at ~39° N) is accurate enough for
 * distances, speeds and spacing. Exact area numbers written to files use turf.
 */

export type Pt = [number, number];
/** Closed ring: first point === last point (same coordinates). */
export type Ring = Pt[];

export const LAT0 = 38.97;
/** cos(LAT0): scale applied to longitudes to get an (almost) conformal local plane. */
export const KX = Math.cos((LAT0 * Math.PI) / 180);
export const M_PER_DEG_LAT = 111_000;
export const M_PER_DEG_LON = 111_320 * KX;

export function round6(v: number): number {
	const r = Math.round(v * 1e6) / 1e6;
	return r === 0 ? 0 : r;
}

export function roundPt(p: readonly number[]): Pt {
	return [round6(p[0]), round6(p[1])];
}

export function distM(a: readonly number[], b: readonly number[]): number {
	const dx = (a[0] - b[0]) * M_PER_DEG_LON;
	const dy = (a[1] - b[1]) * M_PER_DEG_LAT;
	return Math.sqrt(dx * dx + dy * dy);
}

/** Move `dist` metres from p at a bearing given as a unit vector in metres (east, north). */
export function offsetM(p: readonly number[], eastM: number, northM: number): Pt {
	return [p[0] + eastM / M_PER_DEG_LON, p[1] + northM / M_PER_DEG_LAT];
}

export function lineLengthM(line: readonly Pt[]): number {
	let s = 0;
	for (let i = 1; i < line.length; i++) s += distM(line[i - 1], line[i]);
	return s;
}

export function closeRing(points: Pt[]): Ring {
	if (points.length === 0) return points;
	const a = points[0];
	const b = points[points.length - 1];
	if (a[0] === b[0] && a[1] === b[1]) return points;
	return [...points, [a[0], a[1]]];
}

/** Points of a closed ring without the repeated closing point. */
export function openRing(ring: Ring): Pt[] {
	if (ring.length > 1) {
		const a = ring[0];
		const b = ring[ring.length - 1];
		if (a[0] === b[0] && a[1] === b[1]) return ring.slice(0, -1);
	}
	return ring.slice();
}

/** Shoelace area in degree² (positive = counter-clockwise). */
export function ringSignedArea(ring: readonly Pt[]): number {
	let s = 0;
	for (let i = 0, n = ring.length; i < n; i++) {
		const a = ring[i];
		const b = ring[(i + 1) % n];
		s += a[0] * b[1] - b[0] * a[1];
	}
	return s / 2;
}

/** Approximate planar area in km². */
export function ringAreaKm2(ring: readonly Pt[]): number {
	return (Math.abs(ringSignedArea(ring)) * M_PER_DEG_LON * M_PER_DEG_LAT) / 1e6;
}

export function ringBBox(ring: readonly Pt[]): [number, number, number, number] {
	let minX = Infinity;
	let minY = Infinity;
	let maxX = -Infinity;
	let maxY = -Infinity;
	for (const p of ring) {
		if (p[0] < minX) minX = p[0];
		if (p[1] < minY) minY = p[1];
		if (p[0] > maxX) maxX = p[0];
		if (p[1] > maxY) maxY = p[1];
	}
	return [minX, minY, maxX, maxY];
}

/** Even-odd point-in-ring test (ray casting). */
export function pointInRing(x: number, y: number, ring: readonly Pt[]): boolean {
	let inside = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const xi = ring[i][0];
		const yi = ring[i][1];
		const xj = ring[j][0];
		const yj = ring[j][1];
		if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
	}
	return inside;
}

/** Squared distance in m² from p to segment ab. */
export function pointSegDist2M(
	px: number,
	py: number,
	ax: number,
	ay: number,
	bx: number,
	by: number
): number {
	const x = (px - ax) * M_PER_DEG_LON;
	const y = (py - ay) * M_PER_DEG_LAT;
	const dx = (bx - ax) * M_PER_DEG_LON;
	const dy = (by - ay) * M_PER_DEG_LAT;
	const len2 = dx * dx + dy * dy;
	let t = len2 > 0 ? (x * dx + y * dy) / len2 : 0;
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	const ex = x - t * dx;
	const ey = y - t * dy;
	return ex * ex + ey * ey;
}

/** Distance in metres from p to the nearest point of a polyline or ring. */
export function distToLineM(p: readonly number[], line: readonly Pt[]): number {
	let best = Infinity;
	for (let i = 1; i < line.length; i++) {
		const a = line[i - 1];
		const b = line[i];
		const d = pointSegDist2M(p[0], p[1], a[0], a[1], b[0], b[1]);
		if (d < best) best = d;
	}
	return Math.sqrt(best);
}

/**
 * Spatial index over the edges of one or more rings (outer ring + holes, or several
 * polygons): fast even-odd containment and segment/boundary intersection queries.
 */
export class PolyIndex {
	private readonly ax: Float64Array;
	private readonly ay: Float64Array;
	private readonly bx: Float64Array;
	private readonly by: Float64Array;
	private readonly strips: Int32Array[];
	private readonly minY: number;
	private readonly stripH: number;
	private readonly stripCount: number;
	private readonly stamp: Int32Array;
	private stampId = 0;
	readonly bbox: [number, number, number, number];

	constructor(rings: readonly (readonly Pt[])[]) {
		const edges: number[] = [];
		let minX = Infinity;
		let minY = Infinity;
		let maxX = -Infinity;
		let maxY = -Infinity;
		for (const ring of rings) {
			for (let i = 0; i + 1 < ring.length; i++) {
				const a = ring[i];
				const b = ring[i + 1];
				if (a[0] === b[0] && a[1] === b[1]) continue;
				edges.push(a[0], a[1], b[0], b[1]);
				minX = Math.min(minX, a[0], b[0]);
				maxX = Math.max(maxX, a[0], b[0]);
				minY = Math.min(minY, a[1], b[1]);
				maxY = Math.max(maxY, a[1], b[1]);
			}
		}
		const n = edges.length / 4;
		this.ax = new Float64Array(n);
		this.ay = new Float64Array(n);
		this.bx = new Float64Array(n);
		this.by = new Float64Array(n);
		for (let i = 0; i < n; i++) {
			this.ax[i] = edges[4 * i];
			this.ay[i] = edges[4 * i + 1];
			this.bx[i] = edges[4 * i + 2];
			this.by[i] = edges[4 * i + 3];
		}
		this.bbox = [minX, minY, maxX, maxY];
		const k = Math.max(1, Math.min(2048, Math.ceil(Math.sqrt(n) * 2)));
		this.minY = minY;
		this.stripCount = k;
		this.stripH = (maxY - minY) / k || 1;
		const lists: number[][] = Array.from({ length: k }, () => []);
		for (let i = 0; i < n; i++) {
			const s0 = this.strip(Math.min(this.ay[i], this.by[i]));
			const s1 = this.strip(Math.max(this.ay[i], this.by[i]));
			for (let s = s0; s <= s1; s++) lists[s].push(i);
		}
		this.strips = lists.map((l) => Int32Array.from(l));
		this.stamp = new Int32Array(n);
	}

	private strip(y: number): number {
		const s = Math.floor((y - this.minY) / this.stripH);
		return s < 0 ? 0 : s >= this.stripCount ? this.stripCount - 1 : s;
	}

	contains(x: number, y: number): boolean {
		const b = this.bbox;
		if (x < b[0] || x > b[2] || y < b[1] || y > b[3]) return false;
		const list = this.strips[this.strip(y)];
		let inside = false;
		for (let k = 0; k < list.length; k++) {
			const i = list[k];
			const yi = this.ay[i];
			const yj = this.by[i];
			if (yi > y !== yj > y) {
				const xi = this.ax[i];
				const xj = this.bx[i];
				if (x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
			}
		}
		return inside;
	}

	/** Parameters t in (0, 1) where segment p→q crosses an indexed edge, sorted ascending. */
	crossings(px: number, py: number, qx: number, qy: number): number[] {
		const out: number[] = [];
		const b = this.bbox;
		if (
			Math.max(px, qx) < b[0] ||
			Math.min(px, qx) > b[2] ||
			Math.max(py, qy) < b[1] ||
			Math.min(py, qy) > b[3]
		)
			return out;
		const s0 = this.strip(Math.min(py, qy));
		const s1 = this.strip(Math.max(py, qy));
		this.stampId++;
		if (this.stampId > 2_000_000_000) {
			this.stamp.fill(0);
			this.stampId = 1;
		}
		const rx = qx - px;
		const ry = qy - py;
		const minX = Math.min(px, qx);
		const maxX = Math.max(px, qx);
		for (let s = s0; s <= s1; s++) {
			const list = this.strips[s];
			for (let k = 0; k < list.length; k++) {
				const i = list[k];
				if (this.stamp[i] === this.stampId) continue;
				this.stamp[i] = this.stampId;
				const ax = this.ax[i];
				const ay = this.ay[i];
				const bx = this.bx[i];
				const by = this.by[i];
				if (Math.max(ax, bx) < minX || Math.min(ax, bx) > maxX) continue;
				const sx = bx - ax;
				const sy = by - ay;
				const den = rx * sy - ry * sx;
				if (den === 0) continue;
				const t = ((ax - px) * sy - (ay - py) * sx) / den;
				const u = ((ax - px) * ry - (ay - py) * rx) / den;
				if (t > 1e-12 && t < 1 - 1e-12 && u >= 0 && u <= 1) out.push(t);
			}
		}
		out.sort((a, b2) => a - b2);
		return out;
	}
}

/**
 * Parts of a polyline inside (keepInside) or outside the indexed area. Where a piece ends on
 * the boundary, the end is pulled back `insetM` metres so every vertex lies strictly on one
 * side (point-in-polygon tests on vertices are then unambiguous).
 */
export function clipLine(
	line: readonly Pt[],
	index: PolyIndex,
	keepInside: boolean,
	insetM = 1.5
): Pt[][] {
	const pieces: Pt[][] = [];
	let cur: Pt[] | null = null;
	const flush = () => {
		if (cur && cur.length >= 2) pieces.push(cur);
		cur = null;
	};
	for (let i = 1; i < line.length; i++) {
		const p = line[i - 1];
		const q = line[i];
		const ts = index.crossings(p[0], p[1], q[0], q[1]);
		const cuts = [0, ...ts, 1];
		for (let k = 1; k < cuts.length; k++) {
			const t0 = cuts[k - 1];
			const t1 = cuts[k];
			if (t1 - t0 < 1e-12) continue;
			const tm = (t0 + t1) / 2;
			const mx = p[0] + (q[0] - p[0]) * tm;
			const my = p[1] + (q[1] - p[1]) * tm;
			const keep = index.contains(mx, my) === keepInside;
			if (!keep) {
				flush();
				continue;
			}
			const segLen = distM(p, q) * (t1 - t0);
			const inset = Math.min(insetM, segLen * 0.25);
			const dt = segLen > 0 ? (inset / segLen) * (t1 - t0) : 0;
			const startT = k - 1 > 0 ? t0 + dt : t0;
			const endT = k < cuts.length - 1 ? t1 - dt : t1;
			const a: Pt = [p[0] + (q[0] - p[0]) * startT, p[1] + (q[1] - p[1]) * startT];
			const b: Pt = [p[0] + (q[0] - p[0]) * endT, p[1] + (q[1] - p[1]) * endT];
			if (!cur || k - 1 > 0) {
				flush();
				cur = [a];
			}
			(cur as Pt[]).push(b);
			if (k < cuts.length - 1) flush();
		}
	}
	flush();
	return pieces;
}

/** Chaikin corner cutting (keeps the end points of open lines). */
export function chaikin(line: readonly Pt[], iterations: number): Pt[] {
	let pts: Pt[] = line.map((p) => [p[0], p[1]]);
	for (let it = 0; it < iterations; it++) {
		if (pts.length < 3) return pts;
		const out: Pt[] = [pts[0]];
		for (let i = 0; i + 1 < pts.length; i++) {
			const a = pts[i];
			const b = pts[i + 1];
			out.push([0.75 * a[0] + 0.25 * b[0], 0.75 * a[1] + 0.25 * b[1]]);
			out.push([0.25 * a[0] + 0.75 * b[0], 0.25 * a[1] + 0.75 * b[1]]);
		}
		out.push(pts[pts.length - 1]);
		pts = out;
	}
	return pts;
}

/** Insert vertices so that no segment is longer than stepM metres. */
export function densify(line: readonly Pt[], stepM: number): Pt[] {
	const out: Pt[] = [];
	for (let i = 0; i + 1 < line.length; i++) {
		const a = line[i];
		const b = line[i + 1];
		const n = Math.max(1, Math.ceil(distM(a, b) / stepM));
		for (let k = 0; k < n; k++) {
			const t = k / n;
			out.push([a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]);
		}
	}
	if (line.length > 0) out.push([line[line.length - 1][0], line[line.length - 1][1]]);
	return out;
}

/** Douglas–Peucker simplification with a tolerance in metres. */
export function simplifyLine(line: readonly Pt[], tolM: number): Pt[] {
	if (line.length <= 2) return line.map((p) => [p[0], p[1]]);
	const keep = new Uint8Array(line.length);
	keep[0] = 1;
	keep[line.length - 1] = 1;
	const stack: [number, number][] = [[0, line.length - 1]];
	const tol2 = tolM * tolM;
	while (stack.length > 0) {
		const [s, e] = stack.pop() as [number, number];
		let best = -1;
		let bestD = tol2;
		for (let i = s + 1; i < e; i++) {
			const d = pointSegDist2M(
				line[i][0],
				line[i][1],
				line[s][0],
				line[s][1],
				line[e][0],
				line[e][1]
			);
			if (d > bestD) {
				bestD = d;
				best = i;
			}
		}
		if (best >= 0) {
			keep[best] = 1;
			stack.push([s, best], [best, e]);
		}
	}
	const out: Pt[] = [];
	for (let i = 0; i < line.length; i++) if (keep[i]) out.push([line[i][0], line[i][1]]);
	return out;
}

/** Point at arc length s (metres) along a polyline with precomputed cumulative lengths. */
export function pointAlong(line: readonly Pt[], cum: readonly number[], s: number): Pt {
	const total = cum[cum.length - 1];
	if (s <= 0) return [line[0][0], line[0][1]];
	if (s >= total) return [line[line.length - 1][0], line[line.length - 1][1]];
	let lo = 0;
	let hi = cum.length - 1;
	while (hi - lo > 1) {
		const mid = (lo + hi) >> 1;
		if (cum[mid] <= s) lo = mid;
		else hi = mid;
	}
	const seg = cum[hi] - cum[lo];
	const t = seg > 0 ? (s - cum[lo]) / seg : 0;
	return [
		line[lo][0] + (line[hi][0] - line[lo][0]) * t,
		line[lo][1] + (line[hi][1] - line[lo][1]) * t
	];
}

export function cumulativeLengths(line: readonly Pt[]): number[] {
	const cum = [0];
	for (let i = 1; i < line.length; i++) cum.push(cum[i - 1] + distM(line[i - 1], line[i]));
	return cum;
}

/**
 * A label point well inside a ring: a coarse-to-fine search for the point farthest from the
 * boundary (a light "pole of inaccessibility").
 */
export function labelPoint(ring: Ring): Pt {
	const [minX, minY, maxX, maxY] = ringBBox(ring);
	let best: Pt | null = null;
	let bestD = -1;
	const evaluate = (x: number, y: number) => {
		if (!pointInRing(x, y, ring)) return;
		const d = distToLineM([x, y], ring);
		if (d > bestD) {
			bestD = d;
			best = [x, y];
		}
	};
	const n = 16;
	const cw = (maxX - minX) / n;
	const ch = (maxY - minY) / n;
	for (let i = 0; i < n; i++)
		for (let j = 0; j < n; j++) evaluate(minX + (i + 0.5) * cw, minY + (j + 0.5) * ch);
	let w = cw;
	let h = ch;
	for (let it = 0; it < 4 && best; it++) {
		const c: Pt = best;
		for (let i = -3; i <= 3; i++)
			for (let j = -3; j <= 3; j++) evaluate(c[0] + (i * w) / 3, c[1] + (j * h) / 3);
		w /= 3;
		h /= 3;
	}
	if (best) return best;
	// Very thin ring: fall back to the midpoint of the first edge nudged inwards.
	const pts = openRing(ring);
	for (let i = 0; i < pts.length; i++) {
		const a = pts[i];
		const b = pts[(i + 1) % pts.length];
		const mx = (a[0] + b[0]) / 2;
		const my = (a[1] + b[1]) / 2;
		const nx = -(b[1] - a[1]) * 1e-3;
		const ny = (b[0] - a[0]) * 1e-3;
		if (pointInRing(mx + nx, my + ny, ring)) return [mx + nx, my + ny];
		if (pointInRing(mx - nx, my - ny, ring)) return [mx - nx, my - ny];
	}
	return [pts[0][0], pts[0][1]];
}

/**
 * Clip a simple ring by a convex ring (Sutherland–Hodgman). Returns the clipped ring, null if
 * the result is empty, or 'complex' when some clip line crosses the subject more than twice
 * (the result could then have several parts; callers fall back to a general clipper).
 */
export function clipRingByConvex(subject: Ring, convex: Ring): Ring | null | 'complex' {
	let pts = openRing(subject);
	const clip = openRing(convex);
	const orient = ringSignedArea(clip) >= 0 ? 1 : -1;
	for (let e = 0; e < clip.length; e++) {
		const a = clip[e];
		const b = clip[(e + 1) % clip.length];
		const ex = b[0] - a[0];
		const ey = b[1] - a[1];
		if (ex === 0 && ey === 0) continue;
		const n = pts.length;
		const d = new Float64Array(n);
		let anyOut = false;
		let anyIn = false;
		for (let i = 0; i < n; i++) {
			d[i] = orient * (ex * (pts[i][1] - a[1]) - ey * (pts[i][0] - a[0]));
			if (d[i] < 0) anyOut = true;
			else anyIn = true;
		}
		if (!anyOut) continue;
		if (!anyIn) return null;
		let transitions = 0;
		for (let i = 0; i < n; i++) if (d[i] < 0 !== d[(i + 1) % n] < 0) transitions++;
		if (transitions > 2) return 'complex';
		const out: Pt[] = [];
		for (let i = 0; i < n; i++) {
			const p = pts[i];
			const q = pts[(i + 1) % n];
			const pin = d[i] >= 0;
			const qin = d[(i + 1) % n] >= 0;
			if (pin) out.push(p);
			if (pin !== qin) {
				const t = d[i] / (d[i] - d[(i + 1) % n]);
				out.push([p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t]);
			}
		}
		pts = out;
		if (pts.length < 3) return null;
	}
	if (Math.abs(ringSignedArea(pts)) < 1e-14) return null;
	return closeRing(pts);
}
