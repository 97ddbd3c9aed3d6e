/**
 * Digitising noise within a tolerance (issue 12): grids read from a file (another GIS, a
 * re-saved export, a coordinate-system round trip at 6–8 decimals) rarely hit the stored
 * community outline or each other's vertices exactly. `snapGrids` moves every vertex that lies
 * within `toleranceM` metres of the outline or of an earlier grid onto it — with the planner's
 * own `snapPosition` (nearest vertex first, else the nearest point of an edge) — and lists each
 * move. Vertices farther away are left where they are, for the invariants to refuse; those a
 * little farther (up to `nearM`, default ten times the tolerance) are listed as misses, so that
 * a refusal can point at the very vertex.
 *
 * Grids are taken in order and each one snaps to the outline and to the grids before it (as
 * snapped), so the first grid of a shared boundary wins, as in `nodePolygons`. Nothing here
 * re-nodes or cleans rings: `createDraft` does that next (duplicate vertices left by two
 * vertices snapping to one target collapse there).
 */
import type { Polygon } from 'geojson';
import type { GridFeature, GridProps } from '../domain/city.ts';
import { createDraft } from './draft.ts';
import { snapPosition } from './edits/snap.ts';
import {
	bboxOfRings,
	distanceM,
	isWellFormedPolygon,
	metresPerDegree,
	polygonOf,
	ptKey,
	ringsOf,
	samePt,
	type Pt
} from './geometry.ts';
import type { Draft } from './types.ts';

export interface VertexSnap {
	/** Index of the grid in the input. */
	index: number;
	/** Ring (0: shell) and position in it (open ring). */
	ring: number;
	position: number;
	from: Pt;
	to: Pt;
	distanceM: number;
	/** What it snapped to: a vertex or an edge of the outline or of an earlier grid. */
	kind: 'vertex' | 'edge';
}

/** A vertex beyond the tolerance but within `nearM` of the outline or an earlier grid. */
export interface VertexMiss {
	index: number;
	ring: number;
	position: number;
	at: Pt;
	/** Distance to the nearest vertex or edge of the outline or of an earlier grid. */
	distanceM: number;
	/** Whether that nearest thing is the community outline. */
	outline: boolean;
}

export interface SnapGridsResult {
	/** The grids with snapped vertices (the same object where nothing moved; null stays null). */
	grids: (Polygon | null)[];
	snaps: VertexSnap[];
	misses: VertexMiss[];
}

/**
 * Snap the grids' vertices within `toleranceM` metres to the community outline and to each
 * other. `grids[i]` null (or not a well-formed Polygon) is passed through untouched.
 */
export function snapGrids(
	outline: Polygon,
	grids: readonly (Polygon | null)[],
	toleranceM: number,
	nearM = toleranceM * 10
): SnapGridsResult {
	const base = createDraft({ id: '', geometry: outline }, []);
	const out: (Polygon | null)[] = grids.slice();
	const snaps: VertexSnap[] = [];
	const misses: VertexMiss[] = [];
	const missAt = new Map<string, VertexMiss>();
	if (!(toleranceM > 0)) return { grids: out, snaps, misses };
	const reach = Math.max(nearM, toleranceM);

	// Exact vertices of the outline and of the grids done so far: those need no search.
	const exact = new Set<string>();
	for (const ring of ringsOf(base.outline)) for (const p of ring) exact.add(ptKey(p));
	const done: GridFeature[] = [];
	const boxes: [number, number, number, number][] = [];
	const feature = (k: number, geometry: Polygon): GridFeature => ({
		type: 'Feature',
		properties: { id: String(k) } as GridProps,
		geometry
	});

	grids.forEach((geom, k) => {
		if (!geom || !isWellFormedPolygon(geom)) return;
		const rings = ringsOf(geom);
		const draft: Draft = { ...base, grids: done };
		let moved = false;
		const snapped = rings.map((ring, r) =>
			ring.map((p, i): Pt => {
				if (exact.has(ptKey(p))) {
					// An earlier grid's vertex that missed: this grid has the same miss.
					const m = missAt.get(ptKey(p));
					if (m) misses.push({ ...m, index: k, ring: r, position: i });
					return p;
				}
				// Only the earlier grids whose box (grown by `reach`) holds the vertex.
				const { kx, ky } = metresPerDegree(p[1]);
				const [dx, dy] = [reach / kx, reach / ky];
				const near = boxes.flatMap((b, j) =>
					p[0] >= b[0] - dx && p[0] <= b[2] + dx && p[1] >= b[1] - dy && p[1] <= b[3] + dy
						? [String(j)]
						: []
				);
				const s = snapPosition(draft, p, toleranceM, { gridIds: near });
				if (s.kind === 'none') {
					if (s.distanceM <= reach) {
						const o = snapPosition(base, p, reach);
						const outline = o.kind !== 'none' && o.distanceM <= s.distanceM;
						const miss = { index: k, ring: r, position: i, at: p, distanceM: s.distanceM, outline };
						misses.push(miss);
						missAt.set(ptKey(p), miss);
					}
					return p;
				}
				if (samePt(s.position, p)) return p;
				moved = true;
				snaps.push({
					index: k,
					ring: r,
					position: i,
					from: p,
					to: s.position,
					distanceM: distanceM(p, s.position),
					kind: s.kind
				});
				return s.position;
			})
		);
		const result = moved ? polygonOf(snapped) : geom;
		out[k] = result;
		for (const ring of snapped) for (const p of ring) exact.add(ptKey(p));
		done.push(feature(done.length, result));
		boxes.push(bboxOfRings(snapped));
	});
	return { grids: out, snaps, misses };
}
