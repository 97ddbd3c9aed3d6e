import { describe, expect, it } from 'vitest';
import { BIN, CLUSTER_MAX_ZOOM, ClusterIndex, SINGLE, binsToView } from './clusterIndex';
import type { PointSet } from './queries';

/** Two tight groups of points far apart, plus one loner: deterministic, easy to count by hand. */
function fixture(): PointSet {
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
		id: new Int32Array(length).map((_, i) => 1000 + i),
		lon: new Float64Array(lon),
		lat: new Float64Array(lat),
		type: new Int8Array(length).map((_, i) => i % 9),
		source: new Int8Array(length),
		status: new Int8Array(length).fill(5),
		priority: new Uint8Array(length).fill(4),
		ts: new Float64Array(length).map((_, i) => 1.7e12 + i)
	};
}

const WORLD: [number, number, number, number] = [-180, -85, 180, 85];

describe('ClusterIndex', () => {
	const points = fixture();
	const index = new ClusterIndex(points);

	it('groups the two clusters and the loner at district zoom, counts adding up', () => {
		const view = index.query(WORLD, 9);
		expect(Array.from(view.counts).sort((a, b) => b - a)).toEqual([30, 12, 1]);
		const loner = Array.from(view.counts).indexOf(1);
		expect(view.clusterIds[loner]).toBe(SINGLE);
		expect(view.ids[loner]).toBe(1042);
		expect(view.types[loner]).toBe(42 % 9);
		expect(view.ts[loner]).toBe(1.7e12 + 42);
		expect(view.priorities[loner]).toBe(4);
		const big = Array.from(view.counts).indexOf(30);
		expect(view.ids[big]).toBe(-1);
		expect(Number.isNaN(view.ts[big])).toBe(true);
	});

	it('splits every cluster into single incidents beyond the max cluster zoom', () => {
		const view = index.query(WORLD, CLUSTER_MAX_ZOOM + 1);
		expect(view.length).toBe(points.length);
		expect(Array.from(view.clusterIds).every((id) => id === SINGLE)).toBe(true);
		expect(new Set(view.ids).size).toBe(points.length);
	});

	it('only returns what lies in the box', () => {
		expect(Array.from(index.query([117.3, 38.7, 117.5, 38.9], 9).counts)).toEqual([12]);
	});

	it('tells the zoom at which a cluster splits, deeper than the current one', () => {
		const view = index.query(WORLD, 9);
		const big = Array.from(view.counts).indexOf(30);
		const zoom = index.expansionZoom(view.clusterIds[big]);
		expect(zoom).toBeGreaterThan(9);
		expect(index.query(WORLD, zoom).length).toBeGreaterThan(view.length);
	});
});

describe('binsToView', () => {
	it('turns bins of one into single incidents and larger bins into BIN clusters', () => {
		const single = fixture();
		const view = binsToView({
			length: 2,
			lon: new Float64Array([117.1, 117.2]),
			lat: new Float64Array([39.1, 39.2]),
			count: new Uint32Array([500, 1]),
			single
		});
		expect(Array.from(view.clusterIds)).toEqual([BIN, SINGLE]);
		expect(Array.from(view.counts)).toEqual([500, 1]);
		expect(view.ids[1]).toBe(single.id[1]);
		expect(view.types[1]).toBe(single.type[1]);
		expect(Array.from(view.positions)).toEqual(
			Array.from(new Float32Array([117.1, 39.1, 117.2, 39.2]))
		);
	});
});
