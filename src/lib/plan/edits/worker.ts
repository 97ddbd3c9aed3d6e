import { GRID_NOT_FOUND } from '../reasons.ts';
import type { Draft, EditResult } from '../types.ts';
import { gridIndex, refuse } from './commit.ts';

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
