/**
 * Merge two adjacent grids. As for a split, the union is computed on the shared vertices
 * themselves (not with turf's union), so the merged grid and its neighbours keep one boundary.
 */
import { area as turfArea } from '@turf/turf';
import {
	edgeKey,
	orientRfc7946,
	polygonOf,
	ptKey,
	ringsOf,
	signedArea,
	type Pt,
	type Rings
} from '../geometry.ts';
import {
	GRID_NOT_FOUND,
	MERGE_CORNER_ONLY,
	MERGE_NOT_ADJACENT,
	MERGE_NOT_CONTIGUOUS,
	MERGE_SAME_GRID
} from '../reasons.ts';
import type { Draft, EditResult } from '../types.ts';
import { commit, gridIndex, km2, refuse, withRings } from './commit.ts';

/**
 * Union of two polygons that share boundary edges exactly: the shared edges (present in both,
 * in opposite directions once both are oriented with the inside on the left) cancel, and the
 * remaining edges are chained into rings, turning as far left as possible where several
 * continue from one vertex so that a pinch gives two rings rather than one self-touching
 * ring. Returns the shell and holes, or null unless there is exactly one shell.
 */
function unionRings(a: Rings, b: Rings): Rings | null {
	interface E {
		from: Pt;
		to: Pt;
		dead: boolean;
		used: boolean;
	}
	const all: E[] = [];
	const byDir = new Map<string, E[]>();
	for (const rings of [a, b])
		for (const ring of orientRfc7946(rings))
			for (let i = 0; i < ring.length; i++) {
				const from = ring[i];
				const to = ring[(i + 1) % ring.length];
				const twin = byDir.get(ptKey(to) + '>' + ptKey(from))?.find((e) => !e.dead);
				if (twin) {
					twin.dead = true;
					continue;
				}
				const e: E = { from, to, dead: false, used: false };
				all.push(e);
				const k = ptKey(from) + '>' + ptKey(to);
				const list = byDir.get(k);
				if (list) list.push(e);
				else byDir.set(k, [e]);
			}
	const live = all.filter((e) => !e.dead);
	const out = new Map<string, E[]>();
	for (const e of live) {
		const k = ptKey(e.from);
		const list = out.get(k);
		if (list) list.push(e);
		else out.set(k, [e]);
	}
	const next = (e: E): E | null => {
		const dx = e.to[0] - e.from[0];
		const dy = e.to[1] - e.from[1];
		let best: E | null = null;
		let bestTurn = -Infinity;
		for (const c of out.get(ptKey(e.to)) ?? []) {
			const cx = c.to[0] - c.from[0];
			const cy = c.to[1] - c.from[1];
			const turn = Math.atan2(dx * cy - dy * cx, dx * cx + dy * cy);
			if (turn > bestTurn) {
				best = c;
				bestTurn = turn;
			}
		}
		return best;
	};
	const rings: Pt[][] = [];
	for (const e0 of live) {
		if (e0.used) continue;
		const ring: Pt[] = [];
		let e: E | null = e0;
		while (e && !e.used) {
			e.used = true;
			ring.push(e.from);
			e = next(e);
		}
		if (e !== e0) return null;
		rings.push(ring);
	}
	const shells = rings.filter((r) => signedArea(r) > 0);
	if (shells.length !== 1) return null;
	return [shells[0], ...rings.filter((r) => signedArea(r) < 0)];
}

/**
 * Merge grid `b` into grid `a`. They must share a boundary of positive length (a common edge;
 * touching at a corner is refused). The result keeps a's id, name and worker, with population
 * and households summed.
 */
export function mergeGrids(draft: Draft, aId: string, bId: string): EditResult {
	if (aId === bId) return refuse(MERGE_SAME_GRID, null, [aId]);
	const ia = gridIndex(draft, aId);
	const ib = gridIndex(draft, bId);
	if (ia < 0 || ib < 0) return refuse(GRID_NOT_FOUND, null, [ia < 0 ? aId : bId]);
	const a = draft.grids[ia];
	const b = draft.grids[ib];
	const ra = ringsOf(a.geometry);
	const rb = ringsOf(b.geometry);
	const edgesA = new Set<string>();
	const vertsA = new Set<string>();
	for (const ring of ra)
		ring.forEach((v, i) => {
			edgesA.add(edgeKey(v, ring[(i + 1) % ring.length]));
			vertsA.add(ptKey(v));
		});
	let shared = false;
	let corner: Pt | null = null;
	for (const ring of rb)
		ring.forEach((v, i) => {
			if (edgesA.has(edgeKey(v, ring[(i + 1) % ring.length]))) shared = true;
			if (!corner && vertsA.has(ptKey(v))) corner = v;
		});
	if (!shared)
		return corner
			? refuse(MERGE_CORNER_ONLY, corner, [aId, bId])
			: refuse(MERGE_NOT_ADJACENT, null, [aId, bId]);
	const rings = unionRings(ra, rb);
	if (!rings) return refuse(MERGE_NOT_CONTIGUOUS, null, [aId, bId]);
	const poly = polygonOf(rings);
	const merged = withRings(a, rings, {
		population: a.properties.population + b.properties.population,
		households: a.properties.households + b.properties.households,
		areaKm2: km2(turfArea(poly))
	});
	const grids = draft.grids.slice();
	grids[ia] = merged;
	grids.splice(ib, 1);
	return commit(draft, grids, [aId], [bId]);
}
