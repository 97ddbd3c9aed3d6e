/**
 * `applyEdit`: the single entry point the page and the server use. It runs the edit, which
 * checks the invariants on the result (on commit, not on pointer move), and answers with either
 * the new draft or a refusal with a reason and a spot to highlight.
 */
import type { Draft, Edit, EditResult } from '../types.ts';
import { moveEdge } from './edge.ts';
import { mergeGrids } from './merge.ts';
import { splitGrid } from './split.ts';
import { moveVertex } from './vertex.ts';
import { assignWorker } from './worker.ts';

/** Apply one edit; the result is checked against every invariant before it is returned. */
export function applyEdit(draft: Draft, edit: Edit): EditResult {
	switch (edit.kind) {
		case 'split':
			return splitGrid(draft, edit.gridId, edit.line, edit.options);
		case 'merge':
			return mergeGrids(draft, edit.a, edit.b);
		case 'moveVertex':
			return moveVertex(draft, edit.from, edit.to);
		case 'moveEdge':
			return moveEdge(draft, edit.a, edit.b, edit.delta);
		case 'assignWorker':
			return assignWorker(draft, edit.gridId, {
				workerName: edit.workerName,
				workerPhone: edit.workerPhone
			});
	}
}
