/**
 * Make a set of polygon rings topologically consistent on the 1e-6° grid the files are written
 * with. Rounding alone would open hairline gaps/overlaps between neighbours (a shared boundary
 * computed twice rounds differently, and a vertex of one polygon lying on an edge of another
 * is moved off that edge). So, globally over all rings of all levels:
 *  1. quantise every vertex to integer micro-degrees;
 *  2. merge vertices that are within one unit of an earlier one;
 *  3. insert every vertex that lies on (within `tol` of) another ring's edge into that edge.
 * Afterwards every shared boundary is the same vertex sequence in every ring that uses it, so
 * children tile their parent exactly.
 */
import type { Pt, Ring } from './geom.ts';

const SCALE = 1e6;
const CELL = 2000; // hash cell size in micro-degrees (0.002°)

type IPt = [number, number];

function key(x: number, y: number): string {
	return x + ',' + y;
}

function cleanRing(ring: IPt[]): IPt[] {
	let pts = ring.slice();
	if (pts.length > 1) {
		const a = pts[0];
		const b = pts[pts.length - 1];
		if (a[0] === b[0] && a[1] === b[1]) pts.pop();
	}
	let changed = true;
	while (changed && pts.length >= 3) {
		changed = false;
		const out: IPt[] = [];
		for (let i = 0; i < pts.length; i++) {
			const p = pts[i];
			const prev = out.length > 0 ? out[out.length - 1] : pts[pts.length - 1];
			if (p[0] === prev[0] && p[1] === prev[1]) {
				changed = true;
				continue;
			}
			out.push(p);
		}
		// Remove spikes a → b → a.
		const out2: IPt[] = [];
		const n = out.length;
		for (let i = 0; i < n; i++) {
			const prev = out[(i - 1 + n) % n];
			const next = out[(i + 1) % n];
			if (n > 3 && prev[0] === next[0] && prev[1] === next[1]) {
				changed = true;
				// Drop this vertex; the duplicate neighbours collapse in the next pass.
				continue;
			}
			out2.push(out[i]);
		}
		pts = out2;
	}
	return pts;
}

export interface SnapResult {
	rings: Ring[];
	insertedVertices: number;
	mergedVertices: number;
}

/** Neighbour offsets within the merge radius, nearest first (deterministic order). */
function mergeOffsets(radius: number): [number, number][] {
	const out: [number, number][] = [];
	for (let dx = -radius; dx <= radius; dx++)
		for (let dy = -radius; dy <= radius; dy++)
			if ((dx !== 0 || dy !== 0) && dx * dx + dy * dy <= radius * radius) out.push([dx, dy]);
	return out.sort(
		(a, b) => a[0] * a[0] + a[1] * a[1] - (b[0] * b[0] + b[1] * b[1]) || a[0] - b[0] || a[1] - b[1]
	);
}

/**
 * @param tolUnits a vertex closer than this (micro-degrees) to an edge is inserted into it
 * @param mergeUnits vertices closer than this to an earlier vertex are merged into it; at
 *   least tolUnits, so a vertex is never T-inserted right next to an edge's own end point
 */
export function snapRings(input: readonly Ring[], tolUnits = 2, mergeUnits = 3): SnapResult {
	// 1 + 2: quantise and merge near-duplicates (first seen wins).
	const canon = new Map<string, IPt>();
	const offsets = mergeOffsets(Math.max(mergeUnits, tolUnits));
	let merged = 0;
	const lookup = (x: number, y: number): IPt => {
		const exact = canon.get(key(x, y));
		if (exact) return exact;
		for (const [dx, dy] of offsets) {
			const near = canon.get(key(x + dx, y + dy));
			if (near && near[0] === x + dx && near[1] === y + dy) {
				merged++;
				canon.set(key(x, y), near);
				return near;
			}
		}
		const p: IPt = [x, y];
		canon.set(key(x, y), p);
		return p;
	};
	let rings: IPt[][] = input.map((ring) =>
		cleanRing(ring.map((p) => lookup(Math.round(p[0] * SCALE), Math.round(p[1] * SCALE))))
	);

	// Spatial hash of distinct (canonical) vertices; vertices are compared by identity below.
	const cellKey = (cx: number, cy: number) => cx * 1_000_000 + cy;
	const hash = new Map<number, IPt[]>();
	const known = new Set<IPt>();
	for (const r of rings)
		for (const p of r) {
			if (known.has(p)) continue;
			known.add(p);
			const k = cellKey(Math.floor(p[0] / CELL), Math.floor(p[1] / CELL));
			const list = hash.get(k);
			if (list) list.push(p);
			else hash.set(k, [p]);
		}

	// 3: T-junctions.
	let inserted = 0;
	const tol2 = tolUnits * tolUnits;
	const seen = new Set<number>();
	for (let pass = 0; pass < 3; pass++) {
		let passInserted = 0;
		rings = rings.map((ring) => {
			const own = new Set<IPt>(ring);
			const out: IPt[] = [];
			const n = ring.length;
			for (let i = 0; i < n; i++) {
				const a = ring[i];
				const b = ring[(i + 1) % n];
				out.push(a);
				const ex = b[0] - a[0];
				const ey = b[1] - a[1];
				const len2 = ex * ex + ey * ey;
				if (len2 === 0) continue;
				let hits: { t: number; p: IPt }[] | null = null;
				const visit = (ck: number) => {
					if (seen.has(ck)) return;
					seen.add(ck);
					const list = hash.get(ck);
					if (!list) return;
					for (const v of list) {
						if (own.has(v)) continue;
						const t = ((v[0] - a[0]) * ex + (v[1] - a[1]) * ey) / len2;
						if (t <= 0 || t >= 1) continue;
						const cross = (v[0] - a[0]) * ey - (v[1] - a[1]) * ex;
						if ((cross * cross) / len2 > tol2) continue;
						(hits ??= []).push({ t, p: v });
					}
				};
				seen.clear();
				const cx0 = Math.floor((Math.min(a[0], b[0]) - tolUnits) / CELL);
				const cx1 = Math.floor((Math.max(a[0], b[0]) + tolUnits) / CELL);
				const cy0 = Math.floor((Math.min(a[1], b[1]) - tolUnits) / CELL);
				const cy1 = Math.floor((Math.max(a[1], b[1]) + tolUnits) / CELL);
				if ((cx1 - cx0 + 1) * (cy1 - cy0 + 1) <= 64) {
					for (let cx = cx0; cx <= cx1; cx++)
						for (let cy = cy0; cy <= cy1; cy++) visit(cellKey(cx, cy));
				} else {
					const steps = Math.ceil(Math.sqrt(len2) / (CELL / 2));
					for (let s2 = 0; s2 <= steps; s2++) {
						const cx = Math.floor((a[0] + (ex * s2) / steps) / CELL);
						const cy = Math.floor((a[1] + (ey * s2) / steps) / CELL);
						for (let dx = -1; dx <= 1; dx++)
							for (let dy = -1; dy <= 1; dy++) visit(cellKey(cx + dx, cy + dy));
					}
				}
				const found = hits as { t: number; p: IPt }[] | null;
				if (found) {
					found.sort((h1, h2) => h1.t - h2.t || h1.p[0] - h2.p[0] || h1.p[1] - h2.p[1]);
					for (const h of found) {
						if (own.has(h.p)) continue;
						own.add(h.p);
						out.push(h.p);
						passInserted++;
					}
				}
			}
			return cleanRing(out);
		});
		inserted += passInserted;
		if (passInserted === 0) break;
	}

	return {
		rings: rings.map((r) => {
			const pts: Pt[] = r.map((p) => [p[0] / SCALE, p[1] / SCALE]);
			pts.push([pts[0][0], pts[0][1]]);
			return pts;
		}),
		insertedVertices: inserted,
		mergedVertices: merged
	};
}
