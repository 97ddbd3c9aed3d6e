/**
 * Split a grid along a drawn line. The geometry is hand-written rather than done with turf's
 * clipping (lineSplit): that computes each output polygon on its own in floating point, so the
 * two halves and their neighbours end up with slightly different vertices along what should be
 * one boundary. Here every output vertex is an input vertex or one crossing point computed
 * once and used by both sides, which keeps the tiling exact (and checkable without area
 * arithmetic).
 */
import { area as turfArea, pointOnFeature } from '@turf/turf';
import type { Position } from 'geojson';
import type { GridFeature } from '../../domain/city.ts';
import { checkPolygon } from '../../geo/topology.ts';
import {
	VERTEX_EPS,
	closestOnSegment,
	distanceToRings,
	isFinitePos,
	metresPerDegree,
	orientRfc7946,
	pointInRing,
	pointInRings,
	polygonOf,
	ptKey,
	ringsOf,
	roundPt,
	samePt,
	segmentCrossing,
	type Pt,
	type Rings
} from '../geometry.ts';
import { locateInvalid } from '../invariants.ts';
import {
	GRID_NOT_FOUND,
	SPLIT_INVALID_PART,
	SPLIT_LINE_INVALID,
	SPLIT_LINE_MISSES,
	SPLIT_LINE_NOT_ACROSS,
	SPLIT_NOT_TWO_PARTS,
	SPLIT_SLIVER
} from '../reasons.ts';
import type { Draft, EditResult, SplitOptions } from '../types.ts';
import { commit, gridIndex, km2, refuse, withRings } from './commit.ts';

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
