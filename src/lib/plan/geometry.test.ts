import { describe, expect, it } from 'vitest';
import {
	VERTEX_EPS,
	cleanRing,
	edgeKey,
	nodePolygons,
	orientRfc7946,
	pointInRings,
	polygonOf,
	ringsOf,
	roundCoord,
	roundPt,
	segmentCrossing,
	signedArea,
	type Pt
} from './geometry.ts';

describe('rounding', () => {
	it('rounds to 9 decimals and prints them as such', () => {
		expect(roundCoord(117.1234567894)).toBe(117.123456789);
		expect(roundCoord(117.1234567896)).toBe(117.12345679);
		expect(String(roundCoord(117.6 + 0.004))).toBe('117.604');
		expect(roundPt([117.60000000049, 38.99999999951])).toEqual([117.6, 39]);
	});
});

describe('rings', () => {
	const sq: Pt[] = [
		[0, 0],
		[1, 0],
		[1, 1],
		[0, 1]
	];
	it('opens and closes rings, measures orientation', () => {
		const poly = polygonOf([sq]);
		expect(poly.coordinates[0]).toHaveLength(5);
		expect(ringsOf(poly)).toEqual([sq]);
		expect(signedArea(sq)).toBe(1);
		expect(signedArea(sq.slice().reverse())).toBe(-1);
		const [shell, hole] = orientRfc7946([sq.slice().reverse(), sq]);
		expect(signedArea(shell)).toBeGreaterThan(0);
		expect(signedArea(hole)).toBeLessThan(0);
	});

	it('drops duplicate vertices and spikes', () => {
		expect(
			cleanRing([
				[0, 0],
				[1, 0],
				[1, 0],
				[1, 1],
				[2, 2],
				[1, 1],
				[0, 1],
				[0, 0]
			])
		).toEqual(sq);
	});

	it('tests points against shells and holes', () => {
		const hole: Pt[] = [
			[0.25, 0.25],
			[0.25, 0.75],
			[0.75, 0.75],
			[0.75, 0.25]
		];
		expect(pointInRings([0.1, 0.1], [sq, hole])).toBe(true);
		expect(pointInRings([0.5, 0.5], [sq, hole])).toBe(false);
		expect(pointInRings([1.5, 0.5], [sq, hole])).toBe(false);
	});

	it('finds proper crossings only', () => {
		expect(segmentCrossing([0, 0], [2, 2], [0, 2], [2, 0])).toMatchObject({ x: 1, y: 1 });
		expect(segmentCrossing([0, 0], [1, 1], [1, 1], [2, 0])).toBeNull();
		expect(segmentCrossing([0, 0], [1, 0], [0, 1], [1, 1])).toBeNull();
	});

	it('keys undirected edges', () => {
		expect(edgeKey([0, 0], [1, 1])).toBe(edgeKey([1, 1], [0, 0]));
	});
});

describe('nodePolygons', () => {
	it('merges near-duplicate vertices and inserts T-junction vertices', () => {
		const a: Pt[][] = [
			[
				[117.6, 39],
				[117.61, 39],
				[117.61, 39.01],
				[117.6, 39.01]
			]
		];
		const b: Pt[][] = [
			[
				[117.610000001, 38.999999999],
				[117.62, 39],
				[117.62, 39.01],
				[117.61, 39.01],
				[117.610000001, 39.005]
			]
		];
		const [na, nb] = nodePolygons([a, b]);
		// b's corner snapped onto a's (within VERTEX_EPS), a gained b's vertex on their edge.
		expect(nb[0][0]).toBe(na[0][1]);
		expect(na[0]).toHaveLength(5);
		expect(na[0][2]).toEqual([117.610000001, 39.005]);
		expect(Math.SQRT2 * 1e-9).toBeLessThan(VERTEX_EPS);
	});

	it('leaves fixed polygons alone but lets them win merges', () => {
		const fixed: Pt[][] = [
			[
				[0, 0],
				[1, 0],
				[1, 1]
			]
		];
		const moving: Pt[][] = [
			[
				[1e-9, 0],
				[1, 1],
				[0, 1]
			]
		];
		const [f, m] = nodePolygons([fixed, moving], 1);
		expect(f).toBe(fixed);
		expect(m[0][0]).toEqual([0, 0]);
	});
});
