/**
 * Edits of a draft: split, merge, move a shared vertex, move a shared edge, reassign a worker,
 * and snapping. Each edit builds a candidate draft, re-nodes it (so shared boundaries stay
 * shared vertex by vertex) and checks every invariant on it before returning it; otherwise it
 * returns a refusal with a reason constant, a spot and the grids involved.
 *
 * The geometry is hand-written rather than done with turf's clipping (lineSplit, union): those
 * compute each output polygon on its own in floating point, so the two halves of a split or a
 * union and its neighbours end up with slightly different vertices along what should be one
 * boundary. Here every output vertex is an input vertex or one crossing point computed once
 * and used by both sides, which keeps the tiling exact (and checkable without area arithmetic).
 */
import { area as turfArea, pointOnFeature } from '@turf/turf';
import type { Polygon, Position } from 'geojson';
import type { GridFeature, GridProps } from '../domain/city.ts';
import { checkPolygon, type PolygonInvalidReason } from '../geo/topology.ts';
import {
	M_PER_DEG,
	VERTEX_EPS,
	cleanRing,
	closestOnSegment,
	distanceToRings,
	edgeKey,
	isFinitePos,
	isWellFormedPolygon,
	metresPerDegree,
	nodePolygons,
	nodeRing,
	orientRfc7946,
	pointInRing,
	pointInRings,
	polygonOf,
	ptKey,
	ringsOf,
	roundPt,
	sameRings,
	samePt,
	segmentCrossing,
	signedArea,
	type Pt,
	type Rings
} from './geometry.ts';
import {
	locateInvalid,
	validateDraft,
	type InvariantFailure,
	type InvariantReason
} from './invariants.ts';
import type { Draft, SplitOptions } from './types.ts';

/** No grid with that id in the draft. */
export const GRID_NOT_FOUND = 'grid_not_found';
/** The cut line has fewer than two distinct finite points. */
export const SPLIT_LINE_INVALID = 'split_line_invalid';
/** The cut line does not touch the grid. */
export const SPLIT_LINE_MISSES = 'split_line_misses';
/** The cut line ends inside the grid, or only grazes its boundary. */
export const SPLIT_LINE_NOT_ACROSS = 'split_line_not_across';
/** The cut would not give exactly two parts (it crosses the grid twice, or ends on a hole). */
export const SPLIT_NOT_TWO_PARTS = 'split_not_two_parts';
/** One part would be a sliver (below the minimum share of the grid and minimum area). */
export const SPLIT_SLIVER = 'split_sliver';
/** A part would not be a valid polygon (e.g. the cut line crosses itself). */
export const SPLIT_INVALID_PART = 'split_invalid_part';
export const MERGE_SAME_GRID = 'merge_same_grid';
/** The two grids only touch at a corner: no common boundary of positive length. */
export const MERGE_CORNER_ONLY = 'merge_corner_only';
/** The two grids do not touch. */
export const MERGE_NOT_ADJACENT = 'merge_not_adjacent';
/** The union is not one polygon (defensive; adjacent valid grids always give one). */
export const MERGE_NOT_CONTIGUOUS = 'merge_not_contiguous';
/** No grid vertex at (within the pick tolerance of) the given position. */
export const VERTEX_NOT_FOUND = 'vertex_not_found';
/** The edge is not an edge of two grids. */
export const EDGE_NOT_SHARED = 'edge_not_shared';
export const INVALID_POSITION = 'invalid_position';
/** A vertex on the community outline that belongs to one grid only: nothing to slide. */
export const BOUNDARY_VERTEX_FIXED = 'boundary_vertex_fixed';
/** Sliding along the outline would reach or pass the next division point on it. */
export const BOUNDARY_SLIDE_BLOCKED = 'boundary_slide_blocked';
/** The grids around this outline vertex are arranged in a way sliding does not handle. */
export const BOUNDARY_SLIDE_UNSUPPORTED = 'boundary_slide_unsupported';

export const EDIT_REASONS = [
	GRID_NOT_FOUND,
	SPLIT_LINE_INVALID,
	SPLIT_LINE_MISSES,
	SPLIT_LINE_NOT_ACROSS,
	SPLIT_NOT_TWO_PARTS,
	SPLIT_SLIVER,
	SPLIT_INVALID_PART,
	MERGE_SAME_GRID,
	MERGE_CORNER_ONLY,
	MERGE_NOT_ADJACENT,
	MERGE_NOT_CONTIGUOUS,
	VERTEX_NOT_FOUND,
	EDGE_NOT_SHARED,
	INVALID_POSITION,
	BOUNDARY_VERTEX_FIXED,
	BOUNDARY_SLIDE_BLOCKED,
	BOUNDARY_SLIDE_UNSUPPORTED
] as const;
export type EditReason = (typeof EDIT_REASONS)[number];

export interface EditApplied {
	ok: true;
	draft: Draft;
	/** Ids of grids created or reshaped (neighbours that gained a vertex included). */
	changed: string[];
	/** Ids of grids that no longer exist. */
	removed: string[];
}

export interface EditRefused {
	ok: false;
	/** An edit reason, or the invariant the result would have broken. */
	reason: EditReason | InvariantReason;
	/** The `checkPolygon` reason behind GRID_INVALID / SPLIT_INVALID_PART. */
	detail: PolygonInvalidReason | null;
	location: Pt | null;
	gridIds: string[];
	/** Every invariant failure of the refused result (empty for edit-level refusals). */
	failures: InvariantFailure[];
}

export type EditResult = EditApplied | EditRefused;

export type { SplitOptions } from './types.ts';

export interface MoveOptions {
	/** How far (m) from `from` a vertex may be to be picked (default: the same vertex only). */
	pickToleranceM?: number;
}

function refuse(
	reason: EditReason | InvariantReason,
	location: Position | null,
	gridIds: string[],
	detail: PolygonInvalidReason | null = null,
	failures: InvariantFailure[] = []
): EditRefused {
	return {
		ok: false,
		reason,
		detail,
		location: location ? roundPt(location) : null,
		gridIds,
		failures
	};
}

function km2(m2: number): number {
	return Math.round((m2 / 1e6) * 1000) / 1000;
}

/** A copy of a grid with new rings and properties (a stale `bbox` is dropped). */
function withRings(g: GridFeature, rings: Rings, props: Partial<GridProps> = {}): GridFeature {
	const { bbox: _bbox, ...rest } = g;
	return {
		...rest,
		type: 'Feature',
		properties: { ...g.properties, ...props },
		geometry: polygonOf(rings)
	};
}

/**
 * Node every Polygon grid against the outline and each other (see `nodePolygons`), keeping
 * the feature objects of grids that did not change. The outline is never modified.
 */
export function renodeGrids(
	outline: Polygon,
	grids: readonly GridFeature[]
): { grids: GridFeature[]; changed: string[] } {
	const idx: number[] = [];
	// Malformed grids (from an import) are left for validateDraft to report.
	grids.forEach((g, i) => {
		if (isWellFormedPolygon(g.geometry)) idx.push(i);
	});
	const input = [ringsOf(outline), ...idx.map((i) => ringsOf(grids[i].geometry))];
	const noded = nodePolygons(input, 1);
	const out = grids.slice();
	const changed: string[] = [];
	idx.forEach((gi, k) => {
		if (sameRings(input[k + 1], noded[k + 1])) return;
		out[gi] = withRings(grids[gi], noded[k + 1]);
		changed.push(grids[gi].properties.id);
	});
	return { grids: out, changed };
}

/** Re-node, check every invariant, and answer with the new draft or the first failure. */
function commit(
	draft: Draft,
	grids: GridFeature[],
	changed: string[],
	removed: string[]
): EditResult {
	const r = renodeGrids(draft.outline, grids);
	const next: Draft = { communityId: draft.communityId, outline: draft.outline, grids: r.grids };
	const check = validateDraft(next);
	if (!check.valid) {
		const f = check.failures[0];
		return refuse(f.reason, f.location, f.gridIds, f.detail, check.failures);
	}
	const all = changed.slice();
	for (const id of r.changed) if (!all.includes(id)) all.push(id);
	return { ok: true, draft: next, changed: all, removed };
}

function gridIndex(draft: Draft, id: string): number {
	return draft.grids.findIndex((g) => g.properties.id === id);
}

// ---------------------------------------------------------------------------------------------
// Split

export type CutResult =
	| { ok: true; parts: [Rings, Rings]; chord: Pt[] }
	| {
			ok: false;
			reason:
				| typeof SPLIT_LINE_INVALID
				| typeof SPLIT_LINE_MISSES
				| typeof SPLIT_LINE_NOT_ACROSS
				| typeof SPLIT_NOT_TWO_PARTS;
			location: Pt | null;
	  };

/**
 * Cut a polygon (open rings) along a polyline into two parts. The line and the rings are first
 * noded against each other: a line vertex within `eps` of a ring vertex becomes that vertex,
 * ring vertices near the line are inserted into it, and each proper crossing is computed once,
 * rounded, and inserted into both. Between consecutive points of the noded line the line is
 * then wholly inside, outside or along the boundary; the inside runs that go from boundary to
 * boundary are the chords. Exactly one chord, from the shell to the shell, is required: it
 * splits the polygon into exactly two parts, which both use the chord's vertices.
 */
export function cutRings(rings: Rings, line: readonly Pt[], eps = VERTEX_EPS): CutResult {
	const eps2 = eps * eps;
	const d2 = (a: Position, b: Position) => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2;

	const L: Pt[] = [];
	for (const p0 of line) {
		let p: Pt = p0;
		outer: for (const ring of rings)
			for (const v of ring)
				if (d2(v, p) <= eps2) {
					p = v;
					break outer;
				}
		if (L.length === 0 || d2(L[L.length - 1], p) > eps2) L.push(p);
	}
	if (L.length < 2) return { ok: false, reason: SPLIT_LINE_INVALID, location: null };

	const segIns: { t: number; p: Pt }[][] = L.slice(1).map(() => []);
	const edgeIns = new Map<string, { u: number; p: Pt }[]>();
	const addEdge = (r: number, i: number, u: number, p: Pt) => {
		const k = r + ':' + i;
		const list = edgeIns.get(k);
		if (list) list.push({ u, p });
		else edgeIns.set(k, [{ u, p }]);
	};
	rings.forEach((ring, r) => {
		const n = ring.length;
		for (let i = 0; i < n; i++) {
			const a = ring[i];
			const b = ring[(i + 1) % n];
			for (const q of L) {
				if (samePt(q, a) || samePt(q, b)) continue;
				const c = closestOnSegment(q, a, b);
				if (c.t > 0 && c.t < 1 && c.d2 <= eps2) addEdge(r, i, c.t, q);
			}
			for (let k = 0; k + 1 < L.length; k++) {
				const p1 = L[k];
				const p2 = L[k + 1];
				if (!samePt(a, p1) && !samePt(a, p2)) {
					const c = closestOnSegment(a, p1, p2);
					if (c.t > 0 && c.t < 1 && c.d2 <= eps2) segIns[k].push({ t: c.t, p: a });
				}
				const x = segmentCrossing(p1, p2, a, b);
				if (!x) continue;
				const X = roundPt([x.x, x.y]);
				// Crossings at (or within eps of) an end are handled as vertex-on-segment above.
				if (d2(X, p1) <= eps2 || d2(X, p2) <= eps2 || d2(X, a) <= eps2 || d2(X, b) <= eps2)
					continue;
				segIns[k].push({ t: x.t, p: X });
				addEdge(r, i, x.u, X);
			}
		}
	});

	const pts: Pt[] = [];
	const push = (p: Pt) => {
		if (pts.length === 0 || !samePt(pts[pts.length - 1], p)) pts.push(p);
	};
	for (let k = 0; k + 1 < L.length; k++) {
		push(L[k]);
		for (const s of segIns[k].sort((a, b) => a.t - b.t)) push(s.p);
	}
	push(L[L.length - 1]);

	// Which noded points are on the boundary, and on which ring.
	const onRing = new Map<string, number>();
	rings.forEach((ring, r) => ring.forEach((v) => onRing.set(ptKey(v), r)));
	for (const [k, list] of edgeIns)
		for (const e of list) onRing.set(ptKey(e.p), Number(k.split(':')[0]));
	const isB = (p: Pt) => onRing.has(ptKey(p));

	const IN = 1;
	const ON = 2;
	const kinds = pts.slice(1).map((p, j) => {
		const mid: Pt = [(pts[j][0] + p[0]) / 2, (pts[j][1] + p[1]) / 2];
		if (distanceToRings(mid, rings) <= eps) return ON;
		return pointInRings(mid, rings) ? IN : 0;
	});

	const chords: [number, number][] = [];
	let dangling: Pt | null = null;
	let contact: Pt | null = null;
	let start = -1;
	for (let j = 0; j < kinds.length; j++) {
		if (!contact && (isB(pts[j]) || kinds[j] === ON)) contact = pts[j];
		if (kinds[j] !== IN) continue;
		if (start < 0) start = j;
		const end = j + 1;
		if (isB(pts[end]) || end === pts.length - 1 || kinds[end] !== IN) {
			if (isB(pts[start]) && isB(pts[end])) chords.push([start, end]);
			else dangling ??= isB(pts[start]) ? pts[end] : pts[start];
			start = -1;
		}
	}
	if (dangling) return { ok: false, reason: SPLIT_LINE_NOT_ACROSS, location: dangling };
	if (chords.length === 0)
		return contact
			? { ok: false, reason: SPLIT_LINE_NOT_ACROSS, location: contact }
			: { ok: false, reason: SPLIT_LINE_MISSES, location: null };
	if (chords.length > 1)
		return { ok: false, reason: SPLIT_NOT_TWO_PARTS, location: pts[chords[1][0]] };

	const chord = pts.slice(chords[0][0], chords[0][1] + 1);
	const A = chord[0];
	const B = chord[chord.length - 1];
	if (samePt(A, B)) return { ok: false, reason: SPLIT_NOT_TWO_PARTS, location: A };
	for (const p of [A, B])
		if (onRing.get(ptKey(p)) !== 0) return { ok: false, reason: SPLIT_NOT_TWO_PARTS, location: p };

	// The shell with only the chord's ends inserted: other contacts of the line with the
	// boundary (outside the chord) must not leave vertices behind.
	const shell: Pt[] = [];
	rings[0].forEach((v, i) => {
		shell.push(v);
		const ins = edgeIns.get('0:' + i);
		if (!ins) return;
		for (const e of ins.sort((a, b) => a.u - b.u))
			if ((samePt(e.p, A) || samePt(e.p, B)) && !samePt(shell[shell.length - 1], e.p))
				shell.push(e.p);
	});
	const n = shell.length;
	const ia = shell.findIndex((p) => samePt(p, A));
	const ib = shell.findIndex((p) => samePt(p, B));
	const inner = chord.slice(1, -1);
	const p1: Pt[] = [];
	for (let i = ia; ; i = (i + 1) % n) {
		p1.push(shell[i]);
		if (i === ib) break;
	}
	p1.push(...inner.slice().reverse());
	const p2: Pt[] = [];
	for (let i = ib; ; i = (i + 1) % n) {
		p2.push(shell[i]);
		if (i === ia) break;
	}
	p2.push(...inner);
	const part1: Rings = [p1];
	const part2: Rings = [p2];
	for (const hole of rings.slice(1)) (pointInRing(hole[0], p1) ? part1 : part2).push(hole);
	return { ok: true, parts: [part1, part2], chord };
}

/** The line with both ends pushed `m` metres further along its end segments (rounded). */
export function extendLine(line: readonly Pt[], m: number): Pt[] {
	if (line.length < 2 || m <= 0) return line.slice();
	const { kx, ky } = metresPerDegree(line[0][1]);
	const push = (from: Pt, to: Pt): Pt => {
		const dx = (to[0] - from[0]) * kx;
		const dy = (to[1] - from[1]) * ky;
		const len = Math.hypot(dx, dy);
		if (len === 0) return to;
		return roundPt([to[0] + ((dx / len) * m) / kx, to[1] + ((dy / len) * m) / ky]);
	};
	let i = 1;
	while (i < line.length - 1 && samePt(line[i], line[0])) i++;
	let j = line.length - 2;
	while (j > 0 && samePt(line[j], line[line.length - 1])) j--;
	return [push(line[i], line[0]), ...line, push(line[j], line[line.length - 1])];
}

function* suffixes(): Generator<string> {
	const letters = 'abcdefghijklmnopqrstuvwxyz';
	for (let len = 1; ; len++) {
		const idx = new Array<number>(len).fill(0);
		for (;;) {
			yield idx.map((i) => letters[i]).join('');
			let k = len - 1;
			while (k >= 0 && ++idx[k] === letters.length) idx[k--] = 0;
			if (k < 0) break;
		}
	}
}

/** The old id plus the first two suffix letters not taken. */
export function defaultSplitIds(grid: GridFeature, taken: ReadonlySet<string>): [string, string] {
	const out: string[] = [];
	for (const s of suffixes()) {
		const id = grid.properties.id + s;
		if (!taken.has(id)) out.push(id);
		if (out.length === 2) return [out[0], out[1]];
	}
	throw new Error('unreachable');
}

/**
 * Split a grid along a drawn line into two grids. The half with the larger area keeps the
 * worker (the other gets none); population and households are shared out by area, which is
 * an estimate (the planner can correct it). Both halves are written RFC 7946 (shell
 * counter-clockwise); neighbours get the cut's end points inserted into their shared edges.
 */
export function splitGrid(
	draft: Draft,
	gridId: string,
	line: readonly Position[],
	opts: SplitOptions = {}
): EditResult {
	const gi = gridIndex(draft, gridId);
	if (gi < 0) return refuse(GRID_NOT_FOUND, null, [gridId]);
	if (!Array.isArray(line) || line.length < 2 || !line.every(isFinitePos))
		return refuse(SPLIT_LINE_INVALID, null, [gridId]);
	const grid = draft.grids[gi];
	const pts = line.map(roundPt);
	if (pts.every((p) => samePt(p, pts[0]))) return refuse(SPLIT_LINE_INVALID, pts[0], [gridId]);
	const cut = cutRings(ringsOf(grid.geometry), extendLine(pts, opts.extendM ?? 1));
	if (!cut.ok) return refuse(cut.reason, cut.location, [gridId]);

	const polys = cut.parts.map((r) => polygonOf(orientRfc7946(r)));
	for (const p of polys) {
		const c = checkPolygon(p);
		if (!c.valid) {
			const reason = c.reason ?? 'invalid';
			return refuse(SPLIT_INVALID_PART, locateInvalid(p, reason), [gridId], reason);
		}
	}
	const areas = polys.map((p) => turfArea(p));
	const total = areas[0] + areas[1];
	const minArea = Math.max((opts.minPartRatio ?? 0.005) * total, opts.minPartAreaM2 ?? 200);
	const big = areas[0] >= areas[1] ? 0 : 1;
	const small = 1 - big;
	if (areas[small] < minArea)
		return refuse(SPLIT_SLIVER, pointOnFeature(polys[small]).geometry.coordinates, [gridId]);

	// The old id is free again: a generator may give it to one of the halves.
	const taken = new Set(draft.grids.map((g) => g.properties.id).filter((id) => id !== gridId));
	const [idBig, idSmall] = (opts.newIds ?? defaultSplitIds)(grid, taken);
	if (idBig === idSmall || taken.has(idBig) || taken.has(idSmall))
		throw new Error(`split: new ids ${idBig}, ${idSmall} are not unique`);
	const p = grid.properties;
	const share = areas[big] / total;
	const population = Math.round(p.population * share);
	const households = Math.round(p.households * share);
	const bigGrid = withRings(grid, ringsOf(polys[big]), {
		id: idBig,
		name: p.name + '-1',
		population,
		households,
		areaKm2: km2(areas[big])
	});
	const smallGrid = withRings(grid, ringsOf(polys[small]), {
		id: idSmall,
		name: p.name + '-2',
		population: p.population - population,
		households: p.households - households,
		areaKm2: km2(areas[small]),
		workerName: '',
		workerPhone: ''
	});
	const grids = draft.grids.slice();
	grids.splice(gi, 1, bigGrid, smallGrid);
	return commit(draft, grids, [idBig, idSmall], [gridId]);
}

// ---------------------------------------------------------------------------------------------
// Merge

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

// ---------------------------------------------------------------------------------------------
// Moving shared vertices and edges

interface Occurrence {
	g: number;
	r: number;
	i: number;
}

type Plan = { ok: true; grids: GridFeature[]; changed: string[] } | EditRefused;

function nearestVertex(draft: Draft, p: Position, toleranceM: number): Pt | null {
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
function planVertexMove(draft: Draft, V: Pt, to: Pt): Plan {
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

/**
 * Move a shared edge (a-b, an edge of two grids) by `delta` [dLon, dLat]: both ends move, each
 * as `moveVertex` would move it (an end on the outline slides along it).
 */
export function moveEdge(
	draft: Draft,
	a: Position,
	b: Position,
	delta: [number, number],
	opts: MoveOptions = {}
): EditResult {
	if (!isFinitePos(a) || !isFinitePos(b) || !isFinitePos(delta))
		return refuse(INVALID_POSITION, null, []);
	const A = nearestVertex(draft, a, opts.pickToleranceM ?? 0);
	const B = nearestVertex(draft, b, opts.pickToleranceM ?? 0);
	if (!A || !B) return refuse(VERTEX_NOT_FOUND, A ? b : a, []);
	const key = edgeKey(A, B);
	const sharedBy = draft.grids.filter((g) =>
		ringsOf(g.geometry).some((ring) =>
			ring.some((v, i) => edgeKey(v, ring[(i + 1) % ring.length]) === key)
		)
	);
	if (sharedBy.length < 2)
		return refuse(
			EDGE_NOT_SHARED,
			[(A[0] + B[0]) / 2, (A[1] + B[1]) / 2],
			sharedBy.map((g) => g.properties.id)
		);
	const first = planVertexMove(draft, A, roundPt([A[0] + delta[0], A[1] + delta[1]]));
	if (!first.ok) return first;
	const mid: Draft = { ...draft, grids: first.grids };
	const second = planVertexMove(mid, B, roundPt([B[0] + delta[0], B[1] + delta[1]]));
	if (!second.ok) return second;
	const changed = [...new Set([...first.changed, ...second.changed])];
	if (changed.length === 0) return { ok: true, draft, changed: [], removed: [] };
	return commit(draft, second.grids, changed, []);
}

// ---------------------------------------------------------------------------------------------
// Properties

/** Give a grid another worker. Geometry is untouched, so no invariant can break. */
export function assignWorker(
	draft: Draft,
	gridId: string,
	worker: { workerName: string; workerPhone: string }
): EditResult {
	const gi = gridIndex(draft, gridId);
	if (gi < 0) return refuse(GRID_NOT_FOUND, null, [gridId]);
	const g = draft.grids[gi];
	const grids = draft.grids.slice();
	grids[gi] = { ...g, properties: { ...g.properties, ...worker } };
	return { ok: true, draft: { ...draft, grids }, changed: [gridId], removed: [] };
}

// ---------------------------------------------------------------------------------------------
// Snapping

export interface SnapOptions {
	/** A vertex being dragged: it and its edges are not snap targets. */
	ignore?: Position;
	/** Only snap to these grids (default: all grids of the draft). */
	gridIds?: readonly string[];
	/** Also snap to the community outline (default true). */
	outline?: boolean;
}

export interface SnapResult {
	/** The snapped position (or the input, rounded, when nothing is within tolerance). */
	position: Pt;
	kind: 'vertex' | 'edge' | 'none';
	/** Distance to the snap target in metres (Infinity when there is none). */
	distanceM: number;
	/** Grids that have that vertex or edge. */
	gridIds: string[];
}

/**
 * Snap a position to the nearest vertex, else the nearest edge, of the draft's grids (and the
 * outline) within `toleranceM` metres. Vertices win over edges so that drawn lines meet
 * existing corners exactly.
 */
export function snapPosition(
	draft: Draft,
	p: Position,
	toleranceM: number,
	opts: SnapOptions = {}
): SnapResult {
	const { kx, ky } = metresPerDegree(p[1]);
	const sc = (q: Position): Pt => [q[0] * kx, q[1] * ky];
	const only = opts.gridIds ? new Set(opts.gridIds) : null;
	const targets: { ring: Pt[]; id: string | null }[] = [];
	for (const g of draft.grids)
		if (!only || only.has(g.properties.id))
			for (const ring of ringsOf(g.geometry)) targets.push({ ring, id: g.properties.id });
	if (opts.outline !== false)
		for (const ring of ringsOf(draft.outline)) targets.push({ ring, id: null });
	const ignored = (q: Position) => !!opts.ignore && samePt(q, opts.ignore);
	const P = sc(p);

	let vertex: Pt | null = null;
	let vertexD = Infinity;
	for (const { ring } of targets)
		for (const v of ring) {
			if (ignored(v)) continue;
			const q = sc(v);
			const d = Math.hypot(q[0] - P[0], q[1] - P[1]);
			if (d < vertexD) {
				vertexD = d;
				vertex = v;
			}
		}
	if (vertex && vertexD <= toleranceM) {
		const ids = new Set<string>();
		for (const { ring, id } of targets) if (id && ring.some((v) => samePt(v, vertex!))) ids.add(id);
		return {
			position: [vertex[0], vertex[1]],
			kind: 'vertex',
			distanceM: vertexD,
			gridIds: [...ids]
		};
	}

	let edge: { a: Pt; b: Pt; t: number } | null = null;
	let edgeD = Infinity;
	for (const { ring } of targets)
		for (let i = 0; i < ring.length; i++) {
			const a = ring[i];
			const b = ring[(i + 1) % ring.length];
			if (ignored(a) || ignored(b)) continue;
			const c = closestOnSegment(P, sc(a), sc(b));
			const d = Math.sqrt(c.d2);
			if (d < edgeD) {
				edgeD = d;
				edge = { a, b, t: c.t };
			}
		}
	if (edge && edgeD <= toleranceM) {
		const { a, b, t } = edge;
		const key = edgeKey(a, b);
		const ids = new Set<string>();
		for (const { ring, id } of targets)
			if (id && ring.some((v, i) => edgeKey(v, ring[(i + 1) % ring.length]) === key)) ids.add(id);
		return {
			position: roundPt([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]),
			kind: 'edge',
			distanceM: edgeD,
			gridIds: [...ids]
		};
	}
	return {
		position: roundPt(p),
		kind: 'none',
		distanceM: Math.min(vertexD, edgeD),
		gridIds: []
	};
}
