import { describe, expect, it } from 'vitest';
import { checkTiling } from '../../src/lib/geo/topology.ts';
import type { Ring } from './geom.ts';
import { partitionPolygon } from './partition.ts';
import { AliasTable, Rng } from './rng.ts';
import { snapRings } from './snap.ts';

const poly = (ring: Ring) => ({ type: 'Polygon' as const, coordinates: [ring] });

describe('rng', () => {
	it('is reproducible and forks independent streams', () => {
		const a = new Rng(42);
		const b = new Rng(42);
		const xs = Array.from({ length: 5 }, () => a.next());
		expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
		expect(new Rng(43).next()).not.toBe(xs[0]);
		expect(new Rng(42).fork('x').next()).toBe(new Rng(42).fork('x').next());
		expect(new Rng(42).fork('x').next()).not.toBe(new Rng(42).fork('y').next());
		for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
	});

	it('samples an alias table in proportion to its weights', () => {
		const table = new AliasTable([1, 0, 3]);
		const rng = new Rng(1);
		const counts = [0, 0, 0];
		for (let i = 0; i < 40_000; i++) counts[table.sample(rng)]++;
		expect(counts[1]).toBe(0);
		expect(counts[2] / counts[0]).toBeGreaterThan(2.7);
		expect(counts[2] / counts[0]).toBeLessThan(3.3);
	});
});

describe('snapRings', () => {
	it('inserts T-junction vertices and merges near-duplicates so neighbours share edges', () => {
		// Left square, and two right squares whose shared corner lies on the left square's edge
		// (a T-junction), computed with a little floating-point noise.
		const left: Ring = [
			[117.6, 39.0],
			[117.61, 39.0],
			[117.61, 39.02],
			[117.6, 39.02],
			[117.6, 39.0]
		];
		const r1: Ring = [
			[117.61 + 3e-13, 39.0],
			[117.62, 39.0],
			[117.62, 39.01],
			[117.61, 39.01 - 2e-13],
			[117.61 + 3e-13, 39.0]
		];
		const r2: Ring = [
			[117.61, 39.01 - 2e-13],
			[117.62, 39.01],
			[117.62, 39.02],
			[117.61, 39.02],
			[117.61, 39.01 - 2e-13]
		];
		const parent: Ring = [
			[117.6, 39.0],
			[117.62, 39.0],
			[117.62, 39.02],
			[117.6, 39.02],
			[117.6, 39.0]
		];
		const { rings, insertedVertices } = snapRings([parent, left, r1, r2]);
		expect(insertedVertices).toBeGreaterThan(0);
		expect(rings[1].some((p) => p[0] === 117.61 && p[1] === 39.01)).toBe(true);
		const r = checkTiling(poly(rings[0]), rings.slice(1).map(poly));
		expect(r.reasons).toEqual([]);
		for (const ring of rings) for (const p of ring) expect(Math.round(p[0] * 1e6) / 1e6).toBe(p[0]);
	});
});

describe('partitionPolygon', () => {
	it('splits a non-convex polygon into single polygons that tile it', () => {
		// A "C" shape: Voronoi cells of seeds across the gap would be split in two pieces.
		const c: Ring = [
			[117.6, 39.0],
			[117.7, 39.0],
			[117.7, 39.02],
			[117.62, 39.02],
			[117.62, 39.08],
			[117.7, 39.08],
			[117.7, 39.1],
			[117.6, 39.1],
			[117.6, 39.0]
		];
		const seeds = [
			[117.61, 39.05],
			[117.66, 39.01],
			[117.66, 39.09],
			[117.69, 39.01],
			[117.69, 39.09],
			[117.605, 39.01]
		].map(([lon, lat], owner) => ({ lon, lat, owner }));
		// An extra seed in the gap owned by child 0 creates a cell that straddles both arms.
		seeds.push({ lon: 117.67, lat: 39.05, owner: 0 });
		const { parent, children } = partitionPolygon(c, seeds, 6);
		expect(children).toHaveLength(6);
		const r = checkTiling(poly(parent), children.map(poly));
		expect(r.reasons).toEqual([]);
	});
});
