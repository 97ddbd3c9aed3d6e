/**
 * Edits of a draft, one module per kind: split, merge, move a shared vertex, move a shared
 * edge, reassign a worker; snapping; and `commit.ts`, the step they share. Each edit builds a
 * candidate draft, re-nodes it and checks every invariant on it before returning it; otherwise
 * it returns a refusal with a reason (src/lib/plan/reasons.ts), a spot and the grids involved.
 */
export { applyEdit } from './apply.ts';
export { renodeGrids } from './commit.ts';
export { moveEdge } from './edge.ts';
export { mergeGrids } from './merge.ts';
export { snapPosition, type SnapOptions, type SnapResult } from './snap.ts';
export { cutRings, defaultSplitIds, extendLine, splitGrid, type CutResult } from './split.ts';
export { moveVertex } from './vertex.ts';
export { assignWorker } from './worker.ts';
