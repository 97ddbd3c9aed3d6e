/**
 * The timeline's playback: a window slides across the range that was selected when play was
 * pressed (近30天 plays those 30 days), and starts over at its beginning. Pure, so the steps are
 * tested without a browser.
 */
import { DAY_MS, HOUR_MS } from '$lib/domain/time';

export interface TimeRange {
	fromMs: number;
	toMs: number;
}

export interface Playback {
	/** What is played: the selection when play was pressed. */
	range: TimeRange;
	/** What the map shows now. */
	window: TimeRange;
	stepMs: number;
}

/** Hours across a day or two, days across a month or two, weeks (moving a day a step) beyond. */
function windowOf(spanMs: number): { windowMs: number; stepMs: number } {
	if (spanMs <= 2 * DAY_MS) return { windowMs: HOUR_MS, stepMs: HOUR_MS };
	if (spanMs <= 62 * DAY_MS) return { windowMs: DAY_MS, stepMs: DAY_MS };
	return { windowMs: 7 * DAY_MS, stepMs: DAY_MS };
}

export function startPlayback(selected: TimeRange): Playback {
	const range = { fromMs: selected.fromMs, toMs: selected.toMs };
	const span = Math.max(0, range.toMs - range.fromMs);
	const { windowMs, stepMs } = windowOf(span);
	const w = Math.min(windowMs, span);
	return { range, window: { fromMs: range.fromMs, toMs: range.fromMs + w }, stepMs };
}

/** The next window: one step on, or back to the range's start once past its end. */
export function stepPlayback(p: Playback): Playback {
	const span = p.window.toMs - p.window.fromMs;
	let fromMs = p.window.fromMs + p.stepMs;
	if (fromMs + span > p.range.toMs) fromMs = p.range.fromMs;
	return { ...p, window: { fromMs, toMs: fromMs + span } };
}
