/**
 * The `/plan` page's browser-free helpers: which grid a drawn line splits, what the map's
 * overlay draws for a diff, and how a refusal reason and a time are shown. Everything goes
 * through the core (`src/lib/plan`); nothing here changes a draft.
 */
import { booleanPointInPolygon } from '@turf/turf';
import type { Feature, Geometry, Position } from 'geojson';
import type { GridFeature } from '$lib/domain/city';
import { applyEdit, type Draft, type EditApplied, type EditRefused } from '$lib/plan';

export type OverlayRole =
	| 'refusal'
	| 'problem'
	| 'suggest'
	| 'drag'
	| 'diff-old'
	| 'diff-added'
	| 'diff-reshaped'
	| 'theirs';
export type OverlayFeature = Feature<Geometry, { role: OverlayRole }>;

/**
 * The grids a drawn line may be meant to split, most likely first: the selected grid, then the
 * grids the line runs through longest (sampled at tenths of each segment).
 */
export function splitCandidates(
	draft: Draft,
	line: readonly Position[],
	selected: string | null = null
): GridFeature[] {
	const samples: Position[] = [];
	for (let i = 0; i < line.length - 1; i++)
		for (let k = 1; k < 10; k++) {
			const f = k / 10;
			samples.push([
				line[i][0] + f * (line[i + 1][0] - line[i][0]),
				line[i][1] + f * (line[i + 1][1] - line[i][1])
			]);
		}
	return draft.grids
		.map((g) => ({ g, n: samples.filter((p) => booleanPointInPolygon(p, g)).length }))
		.filter((x) => x.n > 0 || x.g.properties.id === selected)
		.sort(
			(a, b) =>
				Number(b.g.properties.id === selected) - Number(a.g.properties.id === selected) || b.n - a.n
		)
		.map((x) => x.g);
}

export type SplitAnswer =
	{ ok: true; gridId: string; result: EditApplied } | { ok: false; result: EditRefused };

/**
 * Split along a drawn line: the first candidate grid the core accepts; else the refusal of the
 * most likely one (or "the line misses every grid").
 */
export function splitAlong(
	draft: Draft,
	line: Position[],
	selected: string | null = null
): SplitAnswer {
	let first: EditRefused | null = null;
	for (const g of splitCandidates(draft, line, selected)) {
		const gridId = g.properties.id;
		const result = applyEdit(draft, { kind: 'split', gridId, line });
		if (result.ok) return { ok: true, gridId, result };
		first ??= result;
	}
	return {
		ok: false,
		result: first ?? {
			ok: false,
			reason: 'split_line_misses',
			detail: null,
			location: line[0] ? [line[0][0], line[0][1]] : null,
			gridIds: [],
			failures: []
		}
	};
}

/**
 * A diff on the map: the old outlines of removed and reshaped grids (dashed), the added and
 * reshaped grids of the newer side (filled).
 */
export function diffOverlay(
	oldGrids: readonly GridFeature[],
	newGrids: readonly GridFeature[],
	diff: { added: readonly string[]; removed: readonly string[]; reshaped: readonly string[] }
): OverlayFeature[] {
	const out: OverlayFeature[] = [];
	const gone = new Set([...diff.removed, ...diff.reshaped]);
	for (const g of oldGrids)
		if (gone.has(g.properties.id))
			out.push({
				type: 'Feature',
				geometry: { type: 'LineString', coordinates: g.geometry.coordinates[0] },
				properties: { role: 'diff-old' }
			});
	const added = new Set(diff.added);
	const reshaped = new Set(diff.reshaped);
	for (const g of newGrids) {
		const id = g.properties.id;
		if (added.has(id) || reshaped.has(id))
			out.push({
				type: 'Feature',
				geometry: g.geometry,
				properties: { role: added.has(id) ? 'diff-added' : 'diff-reshaped' }
			});
	}
	return out;
}

/** A server timestamp in the UI's locale, 24-hour; '—' for none. */
export function formatTime(iso: string | null, locale: string): string {
	return iso ? new Date(iso).toLocaleString(locale, { hour12: false }) : '—';
}
