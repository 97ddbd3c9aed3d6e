/**
 * Move a shared vertex: every grid that has it moves it together, and a vertex on the
 * community outline slides along the outline (the community never changes shape).
 */
import { area as turfArea } from '@turf/turf';
import type { Position } from 'geojson';
import type { GridFeature } from '../../domain/city.ts';
import {
	M_PER_DEG,
	VERTEX_EPS,
	cleanRing,
	closestOnSegment,
	isFinitePos,
	metresPerDegree,
	nodeRing,
	polygonOf,
	ptKey,
	ringsOf,
	roundPt,
	samePt,
	type Pt
} from '../geometry.ts';
import {
	BOUNDARY_SLIDE_BLOCKED,
	BOUNDARY_SLIDE_UNSUPPORTED,
	BOUNDARY_VERTEX_FIXED,
	INVALID_POSITION,
	VERTEX_NOT_FOUND
} from '../reasons.ts';
import type { Draft, EditRefused, EditResult, MoveOptions } from '../types.ts';
import { commit, km2, refuse, withRings } from './commit.ts';

interface Occurrence {
	g: number;
	r: number;
	i: number;
}

export type Plan = { ok: true; grids: GridFeature[]; changed: string[] } | EditRefused;

export function nearestVertex(draft: Draft, p: Position, toleranceM: number): Pt | null {
	const { kx, ky } = metresPerDegree(p[1]);
	const tol = Math.max(toleranceM, 0);
	let best: Pt | null = null;
	let bestD = Infinity;
	for (const g of draft.grids)
		for (const ring of g.geometry.coordinates)
			for (const v of ring) {
				const exact = v[0] === p[0] && v[1] === p[1];
				const d = exact ? -1 : Math.hypot((v[0] - p[0]) * kx, (v[1] - p[1]) * ky);
				if (d < bestD) {
					bestD = d;
					best = [v[0], v[1]];
				}
			}
	if (!best) return null;
	return bestD <= Math.max(tol, VERTEX_EPS * M_PER_DEG) ? best : null;
}

/**
 * Plan moving vertex V (exact coordinates of a grid vertex) towards `to`, in every grid that
 * has it, without checking the result. A vertex on the community outline may only slide along
 * the outline: `to` is projected onto the stretch of outline between the previous and next
 * division points (outline points shared by two or more grids), and the outline vertices it
 * passes change hands from the grid ahead to the grid behind. An outline vertex of a single
 * grid is fixed (moving it would change the community, which planning does not do).
 */
export function planVertexMove(draft: Draft, V: Pt, to: Pt): Plan {
	const rings = draft.grids.map((g) => ringsOf(g.geometry));
	const occ: Occurrence[] = [];
	const owners = new Map<string, Set<number>>();
	rings.forEach((rs, g) =>
		rs.forEach((ring, r) =>
			ring.forEach((v, i) => {
				if (samePt(v, V)) occ.push({ g, r, i });
				const k = ptKey(v);
				const s = owners.get(k);
				if (s) s.add(g);
				else owners.set(k, new Set([g]));
			})
		)
	);
	if (occ.length === 0) return refuse(VERTEX_NOT_FOUND, V, []);
	const unique = new Map<string, Pt>();
	for (const v of rings.flat(2)) unique.set(ptKey(v), v);
	const sources = [...unique.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	const outline = ringsOf(draft.outline);
	let R: Pt[] | null = null;
	let iV = -1;
	for (const ring of outline) {
		const noded = nodeRing(ring, sources);
		const i = noded.findIndex((p) => samePt(p, V));
		if (i >= 0) {
			R = noded;
			iV = i;
			break;
		}
	}
	const changedIdx = new Set<number>();
	const edit = (g: number, r: number, ring: Pt[]) => {
		rings[g][r] = ring;
		changedIdx.add(g);
	};

	if (!R) {
		const P = roundPt(to);
		if (samePt(P, V)) return { ok: true, grids: draft.grids.slice(), changed: [] };
		for (const o of occ) {
			const ring = rings[o.g][o.r].slice();
			ring[o.i] = P;
			edit(o.g, o.r, ring);
		}
	} else {
		const n = R.length;
		const count = (p: Pt) => owners.get(ptKey(p))?.size ?? 0;
		const ids = [...(owners.get(ptKey(V)) ?? [])].map((g) => draft.grids[g].properties.id);
		if (count(V) < 2) return refuse(BOUNDARY_VERTEX_FIXED, V, ids);
		let back = 1;
		while (back < n && count(R[(iV - back + n) % n]) < 2) back++;
		let fwd = 1;
		while (fwd < n && count(R[(iV + fwd) % n]) < 2) fwd++;
		if (back >= n) return refuse(BOUNDARY_SLIDE_UNSUPPORTED, V, ids);
		const S: Pt[] = [];
		for (let k = -back; k <= fwd; k++) S.push(R[(((iV + k) % n) + n) % n]);
		const m = back;

		// Project in metres so "nearest" means what the planner sees on the map.
		const { kx, ky } = metresPerDegree(V[1]);
		const sc = (p: Position): Pt => [p[0] * kx, p[1] * ky];
		let s = 0;
		let t = 0;
		let bestD = Infinity;
		for (let k = 0; k + 1 < S.length; k++) {
			const c = closestOnSegment(sc(to), sc(S[k]), sc(S[k + 1]));
			if (c.d2 < bestD) {
				bestD = c.d2;
				s = k;
				t = c.t;
			}
		}
		let P = roundPt([S[s][0] + t * (S[s + 1][0] - S[s][0]), S[s][1] + t * (S[s + 1][1] - S[s][1])]);
		const eps2 = VERTEX_EPS * VERTEX_EPS;
		const near = (a: Pt, b: Pt) => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 <= eps2;
		let j = near(P, S[s]) ? s : near(P, S[s + 1]) ? s + 1 : -1;
		if (j === 0 || j === S.length - 1) return refuse(BOUNDARY_SLIDE_BLOCKED, S[j], ids);
		if (j >= 0) P = S[j];
		const pos = j >= 0 ? j : s + t;
		if (pos === m) return { ok: true, grids: draft.grids.slice(), changed: [] };
		const forward = pos > m;
		if (j < 0) j = forward ? s + 1 : s;
		const passed = forward ? S.slice(m + 1, j) : S.slice(j + 1, m).reverse();
		const ahead = forward ? S[m + 1] : S[m - 1];
		const behind = forward ? S[m - 1] : S[m + 1];
		const keepOld = outline.some((ring) => ring.some((p) => samePt(p, V)));
		let aheadSeen = false;
		let behindSeen = false;
		for (const o of occ) {
			const ring = rings[o.g][o.r];
			const L = ring.length;
			const prev = ring[(o.i - 1 + L) % L];
			const next = ring[(o.i + 1) % L];
			const isAhead = samePt(prev, ahead) || samePt(next, ahead);
			const isBehind = samePt(prev, behind) || samePt(next, behind);
			if ((isAhead && isBehind) || (isAhead && aheadSeen) || (isBehind && behindSeen))
				return refuse(BOUNDARY_SLIDE_UNSUPPORTED, V, ids);
			if (isAhead) {
				aheadSeen = true;
				const dir = samePt(next, ahead) ? 1 : -1;
				for (let k = 0; k < passed.length; k++)
					if (!samePt(ring[(((o.i + (k + 1) * dir) % L) + L) % L], passed[k]))
						return refuse(BOUNDARY_SLIDE_UNSUPPORTED, V, ids);
				edit(o.g, o.r, replaceRun(ring, o.i, dir, passed.length, [P]));
			} else if (isBehind) {
				behindSeen = true;
				const gained = [...(keepOld ? [V] : []), ...passed, P];
				// In ring order: behind, V, … → V is followed by what the ring gains.
				const seq = samePt(prev, behind) ? gained : gained.slice().reverse();
				edit(o.g, o.r, replaceRun(ring, o.i, 1, 0, seq));
			} else {
				const copy = ring.slice();
				copy[o.i] = P;
				edit(o.g, o.r, copy);
			}
		}
		if (!aheadSeen || !behindSeen) return refuse(BOUNDARY_SLIDE_UNSUPPORTED, V, ids);
	}

	const grids = draft.grids.slice();
	const changed: string[] = [];
	for (const g of changedIdx) {
		const rs = rings[g].map(cleanRing);
		grids[g] = withRings(draft.grids[g], rs, { areaKm2: km2(turfArea(polygonOf(rs))) });
		changed.push(draft.grids[g].properties.id);
	}
	return { ok: true, grids, changed };
}

/**
 * Replace ring[i] and the `count` vertices after it in direction `dir` with `seq` (given in
 * the ring's forward order), keeping the ring's start where it survives.
 */
function replaceRun(ring: readonly Pt[], i: number, dir: 1 | -1, count: number, seq: Pt[]): Pt[] {
	const L = ring.length;
	const first = dir === 1 ? i : (((i - count) % L) + L) % L;
	const removed = new Set<number>();
	for (let k = 0; k <= count; k++) removed.add((first + k) % L);
	const out: Pt[] = [];
	for (let k = 0; k < L; k++) {
		if (k === first) out.push(...seq);
		else if (!removed.has(k)) out.push(ring[k]);
	}
	return out;
}

/**
 * Move a vertex (and every occurrence of it: neighbours move together) to `to`. Vertices on the
 * community outline slide along it (see `planVertexMove`); the result must keep every grid
 * valid and the tiling exact, or the move is refused (a bow-tie reports the crossing).
 */
export function moveVertex(
	draft: Draft,
	from: Position,
	to: Position,
	opts: MoveOptions = {}
): EditResult {
	if (!isFinitePos(from) || !isFinitePos(to)) return refuse(INVALID_POSITION, null, []);
	const V = nearestVertex(draft, from, opts.pickToleranceM ?? 0);
	if (!V) return refuse(VERTEX_NOT_FOUND, from, []);
	const plan = planVertexMove(draft, V, roundPt(to));
	if (!plan.ok) return plan;
	if (plan.changed.length === 0) return { ok: true, draft, changed: [], removed: [] };
	return commit(draft, plan.grids, plan.changed, []);
}
