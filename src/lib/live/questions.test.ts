import { describe, expect, it } from 'vitest';
import type { ClusterView } from '$lib/engine/clusterIndex';
import { DAY_MS, fullFilter } from '$lib/engine/filter';
import { clusterTotal, histogramRange, largestCluster, paddedBbox } from './questions';

describe('map questions', () => {
	it('pads the view by 15% on each side', () => {
		expect(paddedBbox([0, 0, 10, 20])).toEqual([-1.5, -3, 11.5, 23]);
	});

	it('shows the whole period by day, the last 14 days by hour', () => {
		const full = fullFilter(0, 100 * DAY_MS);
		const f = { ...full, toMs: 50 * DAY_MS };
		expect(histogramRange('day', f, full)).toEqual({ fromMs: 0, toMs: 100 * DAY_MS });
		expect(histogramRange('hour', f, full)).toEqual({ fromMs: 36 * DAY_MS, toMs: 50 * DAY_MS });
		const early = { ...full, toMs: 3 * DAY_MS };
		expect(histogramRange('hour', early, full)).toEqual({ fromMs: 0, toMs: 3 * DAY_MS });
	});

	it('sums and finds the biggest cluster', () => {
		const view = {
			length: 3,
			positions: Float32Array.from([1, 2, 3, 4, 5, 6]),
			counts: Uint32Array.from([2, 9, 4])
		} as unknown as ClusterView;
		expect(clusterTotal(view)).toBe(15);
		expect(clusterTotal(null)).toBeNull();
		expect(largestCluster(view)).toEqual({ lonLat: [3, 4], count: 9 });
		expect(largestCluster({ ...view, length: 0 })).toBeNull();
	});
});
