import { describe, expect, it } from 'vitest';
import { CLUSTER_MAX_ZOOM, ClusterIndex, countByCode } from './clusterIndex';

/** Two tight groups of points far apart, plus one loner: deterministic, easy to count by hand. */
function fixture() {
	const lon: number[] = [];
	const lat: number[] = [];
	for (let i = 0; i < 30; i++) {
		lon.push(117.6 + (i % 6) * 0.0005);
		lat.push(39.0 + Math.floor(i / 6) * 0.0005);
	}
	for (let i = 0; i < 12; i++) {
		lon.push(117.4 + (i % 4) * 0.0005);
		lat.push(38.8 + Math.floor(i / 4) * 0.0005);
	}
	lon.push(117.9);
	lat.push(39.3);
	const length = lon.length;
	return {
		length,
		lon: new Float32Array(lon),
		lat: new Float32Array(lat),
		type: new Int8Array(length).map((_, i) => i % 9),
		source: new Int8Array(length),
		status: new Int8Array(length).fill(5),
		priority: new Uint8Array(length).fill(4),
		ts: new Float64Array(length).map((_, i) => 1.7e12 + i)
	};
}

const WORLD: [number, number, number, number] = [-180, -85, 180, 85];

describe('ClusterIndex', () => {
	const columns = fixture();
	const index = new ClusterIndex(columns);

	it('groups the two clusters and the loner at district zoom, counts adding up', () => {
		const view = index.query(WORLD, 9, columns);
		const sizes = Array.from(view.counts).sort((a, b) => b - a);
		expect(sizes).toEqual([30, 12, 1]);
		const loner = Array.from(view.counts).indexOf(1);
		expect(view.clusterIds[loner]).toBe(-1);
		expect(view.rows[loner]).toBe(42);
		expect(view.types[loner]).toBe(42 % 9);
		expect(view.ts[loner]).toBe(1.7e12 + 42);
		expect(view.priorities[loner]).toBe(4);
		const big = Array.from(view.counts).indexOf(30);
		expect(view.rows[big]).toBe(-1);
		expect(Number.isNaN(view.ts[big])).toBe(true);
	});

	it('splits every cluster into single incidents beyond the max cluster zoom', () => {
		const view = index.query(WORLD, CLUSTER_MAX_ZOOM + 1, columns);
		expect(view.length).toBe(columns.length);
		expect(Array.from(view.clusterIds).every((id) => id === -1)).toBe(true);
		expect(new Set(view.rows).size).toBe(columns.length);
	});

	it('only returns what lies in the box', () => {
		const view = index.query([117.3, 38.7, 117.5, 38.9], 9, columns);
		expect(Array.from(view.counts)).toEqual([12]);
	});

	it('tells the zoom at which a cluster splits, deeper than the current one', () => {
		const view = index.query(WORLD, 9, columns);
		const big = Array.from(view.counts).indexOf(30);
		const zoom = index.expansionZoom(view.clusterIds[big]);
		expect(zoom).toBeGreaterThan(9);
		const after = index.query(WORLD, zoom, columns);
		expect(after.length).toBeGreaterThan(view.length);
	});
});

describe('countByCode', () => {
	it('counts codes into a fixed-size array', () => {
		expect(Array.from(countByCode(new Int16Array([0, 2, 2, 1, 2]), 4))).toEqual([1, 1, 3, 0]);
	});
});
