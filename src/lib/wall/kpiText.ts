/**
 * The wall's KPI tiles and rankings as text: a dash until a figure is known, percentages to one
 * decimal, today against the usual as an arrow and whole percent. Pure.
 */
import type { SafetyIndex } from '$lib/engine/kpis';

export const NO_FIGURE = '—';

/** A count in the locale's digits, or a dash. */
export const countText = (n: number | null | undefined, locale: string): string =>
	n === null || n === undefined ? NO_FIGURE : n.toLocaleString(locale);

/** A share (0..1) as a percentage to one decimal, or a dash. */
export const percentText = (share: number | null): string =>
	share === null ? NO_FIGURE : `${(share * 100).toFixed(1)}%`;

/** Today against the usual: ↑12% / ↓5% (↑0% when the same). */
export const changeText = (percent: number): string =>
	`${percent >= 0 ? '↑' : '↓'}${Math.abs(percent)}%`;

/** 平安指数 per 街镇, best first. */
export function safetyRanking(
	streets: { properties: { name: string } }[],
	safety: Pick<SafetyIndex, 'index'> | null
): { name: string; index: number }[] {
	if (!safety) return [];
	return streets
		.map((f, i) => ({ name: f.properties.name, index: safety.index[i] }))
		.sort((a, b) => b.index - a.index);
}

/** Below this index a street's bar is drawn in the warning colours. */
export const SAFETY_LOW = 60;
