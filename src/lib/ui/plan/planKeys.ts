/**
 * The planner's keyboard: undo/redo (Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y), save (Ctrl+S), the tools
 * (S/M/V/E) and Esc. Keys typed into a field are the field's; Esc closes the publish dialog first.
 */
import type { PlanTool } from './PlanMap.svelte';
import type { PlanSession } from './planSession.svelte';

/** What of a KeyboardEvent the shortcuts read. */
export interface PlanKey {
	key: string;
	ctrlKey: boolean;
	metaKey: boolean;
	shiftKey: boolean;
	altKey: boolean;
	/** The key was typed into an input, textarea, select or editable element. */
	inField: boolean;
}

export const TOOL_KEYS: Record<string, PlanTool> = {
	s: 'split',
	m: 'merge',
	v: 'vertex',
	e: 'edge'
};

/** Acts on one key press; answers whether the browser's own action must be prevented. */
export function planKeydown(session: PlanSession, e: PlanKey): boolean {
	if (e.key === 'Escape' && session.publishOpen) {
		session.publishOpen = false;
		return false;
	}
	if (e.inField) return false;
	const mod = e.ctrlKey || e.metaKey;
	const key = e.key.toLowerCase();
	if (mod && key === 'z') {
		if (e.shiftKey) session.redo();
		else session.undo();
		return true;
	}
	if (mod && key === 's') {
		if (session.dirty && !session.busy) void session.save();
		return true;
	}
	if (mod && key === 'y') {
		session.redo();
		return true;
	}
	if (mod || e.altKey) return false;
	if (TOOL_KEYS[key]) session.setTool(TOOL_KEYS[key]);
	else if (e.key === 'Escape') session.escape();
	return false;
}

/** The page's `keydown` handler over a session. */
export function onPlanKeydown(session: PlanSession) {
	return (e: KeyboardEvent) => {
		const target = e.target as HTMLElement | null;
		const inField = !!target?.closest?.('input, textarea, select, [contenteditable]');
		if (planKeydown(session, { ...pick(e), inField })) e.preventDefault();
	};
}

const pick = (e: KeyboardEvent) => ({
	key: e.key,
	ctrlKey: e.ctrlKey,
	metaKey: e.metaKey,
	shiftKey: e.shiftKey,
	altKey: e.altKey
});
