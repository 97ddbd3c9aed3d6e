import { describe, expect, it } from 'vitest';
import type { MultiPolygon, Polygon } from 'geojson';
import type { GridFeature } from '../domain/city.ts';
import { POLYGON_SELF_INTERSECTION, POLYGON_ZERO_AREA } from '../geo/topology.ts';
import { createDraft } from './draft.ts';
import { polygonOf } from './geometry.ts';
import { validateDraft } from './invariants.ts';
import {
	COORDINATE_PRECISION,
	DUPLICATE_GRID_ID,
	GAP,
	GRID_INVALID,
	INVARIANT_REASONS,
	NOT_CONTIGUOUS,
	NOT_POLYGON,
	NO_GRIDS,
	OUTLINE_INVALID,
	OUTSIDE,
	OVERLAP,
	WRONG_COMMUNITY
} from './reasons.ts';
import { G, P, fixture, fixtureDraft, type FixtureName } from './testing.ts';
import type { Draft } from './types.ts';

const rect = (x0: number, y0: number, x1: number, y1: number): Polygon =>
	polygonOf([[P(x0, y0), P(x1, y0), P(x1, y1), P(x0, y1)]]);

function withGeometry(draft: Draft, id: string, geometry: Polygon | MultiPolygon): Draft {
	return {
		...draft,
		grids: draft.grids.map((g) =>
			g.properties.id === id ? ({ ...g, geometry } as unknown as GridFeature) : g
		)
	};
}

describe('validateDraft', () => {
	it.each<FixtureName>([
		'square4',
		'holed',
		'concave',
		'frame',
		'near-duplicates',
		'real-community'
	])('accepts the %s fixture with the exact certificate', (name) => {
		expect(validateDraft(fixtureDraft(name))).toEqual({
			valid: true,
			failures: [],
			method: 'exact'
		});
	});

	it('nodes an outline that lacks the grids’ vertices (exact, not by area)', () => {
		const f = fixture('square4');
		f.community.geometry = rect(0, 0, 20, 20);
		expect(validateDraft(createDraft(f.community, f.grids)).method).toBe('exact');
	});

	it('locates a gap and names the grids around it', () => {
		const d = fixtureDraft('square4');
		const r = validateDraft({ ...d, grids: d.grids.filter((g) => g.properties.id !== G(3)) });
		expect(r.valid).toBe(false);
		expect(r.failures).toHaveLength(1);
		const [f] = r.failures;
		expect(f.reason).toBe(GAP);
		expect(f.location![0]).toBeGreaterThan(P(10, 10)[0]);
		expect(f.location![1]).toBeGreaterThan(P(10, 10)[1]);
		expect(f.gridIds.sort()).toEqual([G(1), G(2), G(4)]);
	});

	it('locates an overlap between two grids', () => {
		const d = withGeometry(fixtureDraft('square4'), G(1), rect(0, 0, 12, 10));
		const r = validateDraft(d);
		expect(r.failures.map((f) => f.reason)).toEqual([OVERLAP]);
		expect(r.failures[0].gridIds).toEqual([G(1), G(2)]);
		const [x, y] = r.failures[0].location!;
		expect(x).toBeGreaterThan(P(10, 0)[0]);
		expect(x).toBeLessThan(P(12, 0)[0]);
		expect(y).toBeGreaterThan(P(0, 0)[1]);
		expect(y).toBeLessThan(P(0, 10)[1]);
	});

	it('locates a grid reaching outside the community', () => {
		const d = withGeometry(fixtureDraft('square4'), G(1), rect(-3, 0, 10, 10));
		const r = validateDraft(d);
		expect(r.failures.map((f) => f.reason)).toEqual([OUTSIDE]);
		expect(r.failures[0].gridIds).toEqual([G(1)]);
		expect(r.failures[0].location![0]).toBeLessThan(P(0, 0)[0]);
	});

	it('reports a bow-tie grid at its crossing, and skips the tiling', () => {
		const bowTie = polygonOf([[P(0, 0), P(10, 10), P(10, 0), P(0, 10)]]);
		const r = validateDraft(withGeometry(fixtureDraft('square4'), G(1), bowTie));
		expect(r.method).toBeNull();
		expect(r.failures).toEqual([
			{
				valid: false,
				reason: GRID_INVALID,
				detail: POLYGON_SELF_INTERSECTION,
				location: P(5, 5),
				gridIds: [G(1)]
			}
		]);
	});

	it('refuses MultiPolygons: several parts are not contiguous', () => {
		const two: MultiPolygon = {
			type: 'MultiPolygon',
			coordinates: [rect(0, 0, 5, 10).coordinates, rect(6, 0, 10, 10).coordinates]
		};
		const one: MultiPolygon = {
			type: 'MultiPolygon',
			coordinates: [rect(0, 0, 10, 10).coordinates]
		};
		const d = fixtureDraft('square4');
		expect(validateDraft(withGeometry(d, G(1), two)).failures[0].reason).toBe(NOT_CONTIGUOUS);
		expect(validateDraft(withGeometry(d, G(1), one)).failures[0].reason).toBe(NOT_POLYGON);
	});

	it('names zero-area grids, duplicate ids, foreign grids and loose coordinates', () => {
		const d = fixtureDraft('square4');
		const flat = polygonOf([[P(0, 0), P(5, 0), P(10, 0)]]);
		expect(validateDraft(withGeometry(d, G(1), flat)).failures[0]).toMatchObject({
			reason: GRID_INVALID,
			detail: POLYGON_ZERO_AREA
		});
		const dup = {
			...d,
			grids: d.grids.map((g, i) =>
				i === 1 ? { ...g, properties: { ...g.properties, id: G(1) } } : g
			)
		};
		expect(validateDraft(dup).failures[0]).toMatchObject({
			reason: DUPLICATE_GRID_ID,
			gridIds: [G(1)]
		});
		const foreign = {
			...d,
			grids: d.grids.map((g, i) =>
				i === 1 ? { ...g, properties: { ...g.properties, communityId: 'x' } } : g
			)
		};
		expect(validateDraft(foreign).failures[0].reason).toBe(WRONG_COMMUNITY);
		const loose = rect(0, 0, 10, 10);
		loose.coordinates[0][2] = [117.6100000001, 39.01];
		expect(validateDraft(withGeometry(d, G(1), loose)).failures[0]).toMatchObject({
			reason: COORDINATE_PRECISION,
			location: [117.6100000001, 39.01]
		});
	});

	it('refuses an empty draft and an invalid outline', () => {
		const d = fixtureDraft('square4');
		expect(validateDraft({ ...d, grids: [] }).failures[0].reason).toBe(NO_GRIDS);
		const bad = polygonOf([[P(0, 0), P(20, 20), P(20, 0), P(0, 20)]]);
		expect(validateDraft({ ...d, outline: bad }).failures[0].reason).toBe(OUTLINE_INVALID);
	});

	it('exports every reason as a constant', () => {
		expect(new Set(INVARIANT_REASONS).size).toBe(INVARIANT_REASONS.length);
	});

	it('validates a community of 12 grids in milliseconds', () => {
		// 4 × 3 grids of 1 km², each edge densified to 8 segments: ~400 shared vertices.
		const f = fixture('square4');
		const seg = (a: [number, number], b: [number, number]) =>
			Array.from({ length: 8 }, (_, k) =>
				P(a[0] + ((b[0] - a[0]) * k) / 8, a[1] + ((b[1] - a[1]) * k) / 8)
			);
		const cell = (x: number, y: number) => {
			const c: [number, number][] = [
				[x, y],
				[x + 10, y],
				[x + 10, y + 10],
				[x, y + 10]
			];
			return polygonOf([c.flatMap((p, i) => seg(p, c[(i + 1) % 4]))]);
		};
		const grids = [];
		for (let j = 0; j < 3; j++)
			for (let i = 0; i < 4; i++)
				grids.push({
					...f.grids.features[0],
					properties: { ...f.grids.features[0].properties, id: G(1) + i + j },
					geometry: cell(i * 10, j * 10)
				});
		const d = createDraft({ id: f.community.properties.id, geometry: rect(0, 0, 40, 30) }, grids);
		expect(validateDraft(d).method).toBe('exact');
		const t0 = performance.now();
		for (let k = 0; k < 10; k++) validateDraft(d);
		const ms = (performance.now() - t0) / 10;
		expect(ms).toBeLessThan(25);
	});
});
