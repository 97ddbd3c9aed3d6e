/** Move a shared edge: both its ends move as `moveVertex` moves a vertex. */
import type { Position } from 'geojson';
import { edgeKey, isFinitePos, ringsOf, roundPt } from '../geometry.ts';
import { EDGE_NOT_SHARED, INVALID_POSITION, VERTEX_NOT_FOUND } from '../reasons.ts';
import type { Draft, EditResult, MoveOptions } from '../types.ts';
import { commit, refuse } from './commit.ts';
import { nearestVertex, planVertexMove } from './vertex.ts';

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
