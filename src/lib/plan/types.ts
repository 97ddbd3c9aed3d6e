/**
 * The planner core's shared types: a draft, an edit of it and what an edit or a check answers.
 * They live apart from the code so that `draft.ts`, `edits/` and `invariants.ts` need not
 * import each other for them (src/lib/plan/imports.test.ts holds the core free of cycles).
 */
import type { Polygon, Position } from 'geojson';
import type { GridFeature } from '../domain/city.ts';
import type { EditReason, InvariantReason, LocatedProblem } from './reasons.ts';

/**
 * A draft plan of one community: its outline (fixed while planning) and its grids. A value:
 * an edit returns a new draft sharing every untouched grid feature with the old one.
 */
export interface Draft {
	readonly communityId: string;
	/** The community's boundary (may have holes). Edits never change it. */
	readonly outline: Polygon;
	readonly grids: readonly GridFeature[];
}

export interface SplitOptions {
	/**
	 * Ids for the two halves, the half that keeps the worker first. Default: the old id plus
	 * the first unused suffix letters ('a', 'b', …, 'z', 'aa', …).
	 */
	newIds?: (grid: GridFeature, taken: ReadonlySet<string>) => [string, string];
	/** A part smaller than this share of the grid is a sliver (default 0.005). */
	minPartRatio?: number;
	/** A part smaller than this many m² is a sliver (default 200). */
	minPartAreaM2?: number;
	/** The cut line is extended this far past both ends (default 1 m), so a line drawn to the
	 *  boundary, or snapped onto it, still crosses it. */
	extendM?: number;
}

export type Edit =
	| { kind: 'split'; gridId: string; line: Position[]; options?: SplitOptions }
	| { kind: 'merge'; a: string; b: string }
	| { kind: 'moveVertex'; from: Position; to: Position }
	| { kind: 'moveEdge'; a: Position; b: Position; delta: [number, number] }
	| {
			kind: 'assignWorker';
			gridId: string;
			workerName: string;
			workerPhone: string;
	  };

/** One broken invariant of a draft (see `validateDraft`). */
export interface InvariantFailure extends LocatedProblem<InvariantReason> {
	valid: false;
}

export interface EditApplied {
	ok: true;
	draft: Draft;
	/** Ids of grids created or reshaped (neighbours that gained a vertex included). */
	changed: string[];
	/** Ids of grids that no longer exist. */
	removed: string[];
}

/** An edit said no: an edit reason, or the invariant the result would have broken. */
export interface EditRefused extends LocatedProblem<EditReason | InvariantReason> {
	ok: false;
	/** Every invariant failure of the refused result (empty for edit-level refusals). */
	failures: InvariantFailure[];
}

export type EditResult = EditApplied | EditRefused;

export interface MoveOptions {
	/** How far (m) from `from` a vertex may be to be picked (default: the same vertex only). */
	pickToleranceM?: number;
}
