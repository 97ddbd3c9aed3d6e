/**
 * The small pure pieces of the map pages' questions: what part of the map the clusters are asked
 * for, the timeline's range, and figures read off a cluster view.
 */
import type { ClusterView } from '$lib/engine/clusterIndex';
import { DAY_MS, type IncidentFilter } from '$lib/engine/filter';
import type { Bucket } from '$lib/engine/queries';
import type { Bbox } from '$lib/geo/bbox';

/** The analysis panel's tabs (ui/AnalyticsPanel.svelte). */
export type AnalyticsTab = 'units' | 'matrix' | 'hotspots' | 'spatial' | 'alerts';

/** The view padded by `fraction` on each side: a small pan needs no new cluster query. */
export function paddedBbox([west, south, east, north]: Bbox, fraction = 0.15): Bbox {
	const padX = (east - west) * fraction;
	const padY = (north - south) * fraction;
	return [west - padX, south - padY, east + padX, north + padY];
}

/** Days of hours the hourly timeline shows, back from the filter's end. */
export const HOURLY_DAYS = 14;

/**
 * The timeline's range: the whole period by day or week; by hour, the last 14 days up to the
 * filter's end (never before the data starts).
 */
export function histogramRange(
	bucket: Bucket,
	filter: IncidentFilter,
	full: IncidentFilter
): { fromMs: number; toMs: number } {
	if (bucket !== 'hour') return { fromMs: full.fromMs, toMs: full.toMs };
	const toMs = filter.toMs;
	return { fromMs: Math.max(full.fromMs, toMs - HOURLY_DAYS * DAY_MS), toMs };
}

/** Incidents a cluster view stands for (null before the first view). */
export function clusterTotal(view: ClusterView | null): number | null {
	return view ? view.counts.reduce((a, b) => a + b, 0) : null;
}

/** The biggest cluster of a view: its position and count (null for an empty view). */
export function largestCluster(
	view: ClusterView | null
): { lonLat: [number, number]; count: number } | null {
	if (!view || view.length === 0) return null;
	let best = 0;
	for (let i = 1; i < view.length; i++) if (view.counts[i] > view.counts[best]) best = i;
	return {
		lonLat: [view.positions[best * 2], view.positions[best * 2 + 1]],
		count: view.counts[best]
	};
}
