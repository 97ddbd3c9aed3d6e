/**
 * Undo/redo as a stack of draft snapshots. Drafts are values (an edit returns a new draft that
 * shares its untouched grids with the old one), so a snapshot is a reference, undo gives back
 * the very same object, and 100 steps of a community cost little more than the grids that
 * changed. The history itself is a value too: every operation returns a new one, which suits
 * a Svelte `$state.raw` field.
 *
 * Snapshots are only safe while nobody mutates a draft: clone features before handing them to
 * a library that writes into its input (terra-draw's `addFeatures` does).
 */
import type { Draft, Edit } from './types.ts';

export const DEFAULT_HISTORY_LIMIT = 100;

export interface HistoryEntry {
	readonly draft: Draft;
	/** The edit that produced this draft (null for the initial one). */
	readonly edit: Edit | null;
}

export interface History {
	/** Oldest first. */
	readonly past: readonly HistoryEntry[];
	readonly present: HistoryEntry;
	/** Next redo first. */
	readonly future: readonly HistoryEntry[];
	/** Most undo steps kept. */
	readonly limit: number;
}

export function createHistory(draft: Draft, limit = DEFAULT_HISTORY_LIMIT): History {
	return { past: [], present: { draft, edit: null }, future: [], limit: Math.max(1, limit) };
}

/**
 * Record the result of an edit. The redo branch is dropped; the oldest step goes once there
 * are more than `limit`. Recording the present draft again changes nothing (a move that
 * did not move anything is not an undo step).
 */
export function record(history: History, draft: Draft, edit: Edit | null = null): History {
	if (draft === history.present.draft) return history;
	const past = [...history.past, history.present];
	if (past.length > history.limit) past.splice(0, past.length - history.limit);
	return { past, present: { draft, edit }, future: [], limit: history.limit };
}

export function canUndo(history: History): boolean {
	return history.past.length > 0;
}

export function canRedo(history: History): boolean {
	return history.future.length > 0;
}

export function undo(history: History): History {
	if (!canUndo(history)) return history;
	return {
		past: history.past.slice(0, -1),
		present: history.past[history.past.length - 1],
		future: [history.present, ...history.future],
		limit: history.limit
	};
}

export function redo(history: History): History {
	if (!canRedo(history)) return history;
	return {
		past: [...history.past, history.present],
		present: history.future[0],
		future: history.future.slice(1),
		limit: history.limit
	};
}

/** The edit an undo would take back, and the one a redo would apply (for button titles). */
export function pendingEdits(history: History): { undo: Edit | null; redo: Edit | null } {
	return {
		undo: canUndo(history) ? history.present.edit : null,
		redo: history.future[0]?.edit ?? null
	};
}
