/** Position limits of a grid plan: refused with a located 422 problem before the costly check. */
import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import type { GridFeature } from '$lib/domain/city';
import JSZip from 'jszip';
import { MAX_GRID_POSITIONS, MAX_PLAN_POSITIONS, MAX_UNZIPPED_BYTES } from '$lib/domain/plans';
import { TOO_MANY_POSITIONS } from '$lib/plan';
import type { Queryable } from '../db/types';
import { checkGrids, structuralProblems } from './check';
import { readShapefile } from './files';

function circle(x: number, y: number, n: number): Polygon {
	const ring: number[][] = [];
	for (let i = 0; i < n; i++) {
		const a = (2 * Math.PI * i) / n;
		ring.push([x + 0.001 * Math.cos(a), y + 0.001 * Math.sin(a)]);
	}
	ring.push(ring[0]);
	return { type: 'Polygon', coordinates: [ring] };
}

const grid = (id: string, geometry: Polygon) =>
	({ type: 'Feature', properties: { id }, geometry }) as unknown as GridFeature;

/** No query may run: the limits answer before PostGIS is asked. */
const noDb: Queryable = {
	query: () => Promise.reject(new Error('the database was asked')),
	exec: () => Promise.reject(new Error('the database was asked'))
} as unknown as Queryable;

describe('plan position limits', () => {
	it('refuses a grid over MAX_GRID_POSITIONS, naming it and where it is', () => {
		const [p] = structuralProblems([grid('g1', circle(117.7, 39, MAX_GRID_POSITIONS + 10))]);
		expect(p).toMatchObject({ feature: 'g1', reason: TOO_MANY_POSITIONS });
		expect(p.location).not.toBeNull();
		expect(p.message).toMatch(/at most 2000/);
		expect(structuralProblems([grid('g1', circle(117.7, 39, 100))])).toEqual([]);
	});

	it('refuses a 100,000-position grid at once, and a plan over MAX_PLAN_POSITIONS before the core runs', async () => {
		const outline = circle(117.7, 39, 64);
		const t = performance.now();
		const huge = await checkGrids(noDb, { id: 'c', outline }, [
			grid('g1', circle(117.7, 39, 100_000))
		]);
		expect(huge.problems.map((p) => p.reason)).toContain(TOO_MANY_POSITIONS);
		const many = Array.from({ length: 4 }, (_, i) =>
			grid(`g${i}`, circle(117.7 + i * 0.003, 39, MAX_GRID_POSITIONS - 1))
		);
		expect(4 * MAX_GRID_POSITIONS).toBeGreaterThan(MAX_PLAN_POSITIONS);
		const all = await checkGrids(noDb, { id: 'c', outline }, many);
		expect(all.problems).toEqual([
			expect.objectContaining({ feature: null, reason: TOO_MANY_POSITIONS })
		]);
		expect(performance.now() - t).toBeLessThan(1000);
	});
});

describe('zipped Shapefile limits', () => {
	it('refuses a zip bomb after unpacking MAX_UNZIPPED_BYTES, not gigabytes', async () => {
		const zip = new JSZip();
		// 40 MiB of zeros behind a Shapefile header: a few kilobytes zipped.
		const shp = new Uint8Array(MAX_UNZIPPED_BYTES + 24 * 1024 * 1024);
		new DataView(shp.buffer).setInt32(0, 9994);
		zip.file('bomb.shp', shp);
		zip.file('bomb.dbf', new Uint8Array(1024));
		const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
		expect(bytes.byteLength).toBeLessThan(200_000);
		const t = performance.now();
		await expect(readShapefile(bytes)).rejects.toMatchObject({
			status: 422,
			message: expect.stringMatching(/unpacks to more than 16 MiB/)
		});
		expect(performance.now() - t).toBeLessThan(3000);
	});
});
