/**
 * Snapping a pointer position to the draft: what a drawn line or a dragged vertex lands on.
 * Not an edit (it changes nothing); the edits and the import's tolerance use it.
 */
import type { Position } from 'geojson';
import {
	closestOnSegment,
	edgeKey,
	metresPerDegree,
	ringsOf,
	roundPt,
	samePt,
	type Pt
} from '../geometry.ts';
import type { Draft } from '../types.ts';

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
