/**
 * The grid planner's editing model, free of the browser: drafts, edits, invariants, undo/redo
 * and workload balance, with one list of refusal reasons. The `/plan` page and the server
 * both build on this.
 */
export * from './balance.ts';
export * from './draft.ts';
export * from './edits/index.ts';
export * from './history.ts';
export * from './invariants.ts';
export * from './reasons.ts';
export * from './tolerance.ts';
export type * from './types.ts';
export { COORD_DECIMALS, VERTEX_EPS, type Pt } from './geometry.ts';
