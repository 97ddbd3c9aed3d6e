import { describe, expect, it } from 'vitest';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import {
	POLYGON_EMPTY,
	POLYGON_HOLE_OUTSIDE_SHELL,
	POLYGON_INVALID_REASONS,
	POLYGON_NON_FINITE,
	POLYGON_NOT_POLYGON,
	POLYGON_RING_NOT_CLOSED,
	POLYGON_SELF_INTERSECTION,
	POLYGON_TOO_FEW_POSITIONS,
	POLYGON_ZERO_AREA,
	TILING_GAP,
	TILING_INVALID_CHILD,
	TILING_INVALID_PARENT,
	TILING_NO_CHILDREN,
	TILING_OUTSIDE,
	TILING_OVERLAP,
	checkPolygon,
	checkTiling
} from './topology.ts';

/** A point near Tianjin, offset (degrees) from 117.6 E, 39.0 N. */
const pt = (x: number, y: number): Position => [117.6 + x, 39.0 + y];

/** Axis-aligned rectangle, counter-clockwise. */
function rect(x0: number, y0: number, x1: number, y1: number): Polygon {
	return {
		type: 'Polygon',
		coordinates: [[pt(x0, y0), pt(x1, y0), pt(x1, y1), pt(x0, y1), pt(x0, y0)]]
	};
}

const parent = rect(0, 0, 0.02, 0.02);
/** Four quadrants plus a non-rectangular split of the top-right one: an exact tiling. */
const tiles: Polygon[] = [
	rect(0, 0, 0.01, 0.01),
	rect(0.01, 0, 0.02, 0.01),
	rect(0, 0.01, 0.01, 0.02),
	{
		type: 'Polygon',
		coordinates: [[pt(0.01, 0.01), pt(0.02, 0.01), pt(0.02, 0.02), pt(0.01, 0.01)]]
	},
	{
		type: 'Polygon',
		coordinates: [[pt(0.01, 0.01), pt(0.02, 0.02), pt(0.01, 0.02), pt(0.01, 0.01)]]
	}
];

describe('checkPolygon', () => {
	it('accepts valid polygons and features', () => {
		expect(checkPolygon(parent)).toEqual({ valid: true, reason: null });
		expect(checkPolygon({ type: 'Feature', properties: {}, geometry: parent })).toEqual({
			valid: true,
			reason: null
		});
		for (const t of tiles) expect(checkPolygon(t).valid).toBe(true);
	});

	it('rejects a self-intersecting bow-tie', () => {
		const bowTie: Polygon = {
			type: 'Polygon',
			coordinates: [
				[
					[117.6, 39.0],
					[117.61, 39.01],
					[117.61, 39.0],
					[117.6, 39.01],
					[117.6, 39.0]
				]
			]
		};
		expect(checkPolygon(bowTie)).toEqual({ valid: false, reason: POLYGON_SELF_INTERSECTION });
	});

	it('names structural problems', () => {
		const ring = parent.coordinates[0];
		const poly = (rings: Position[][]): Polygon => ({ type: 'Polygon', coordinates: rings });
		expect(checkPolygon({ type: 'Point', coordinates: [117.6, 39] }).reason).toBe(
			POLYGON_NOT_POLYGON
		);
		expect(checkPolygon(null).reason).toBe(POLYGON_NOT_POLYGON);
		expect(checkPolygon(poly([])).reason).toBe(POLYGON_EMPTY);
		expect(checkPolygon(poly([ring.slice(0, 3)])).reason).toBe(POLYGON_TOO_FEW_POSITIONS);
		expect(checkPolygon(poly([[...ring.slice(0, 4), [117.6, 39.001]]])).reason).toBe(
			POLYGON_RING_NOT_CLOSED
		);
		expect(checkPolygon(poly([[...ring.slice(0, 2), [NaN, 39], ...ring.slice(3)]])).reason).toBe(
			POLYGON_NON_FINITE
		);
		const flat: Position[] = [
			[117.6, 39],
			[117.61, 39],
			[117.62, 39],
			[117.6, 39]
		];
		expect(checkPolygon(poly([flat])).reason).toBe(POLYGON_ZERO_AREA);
		const hole = rect(0.05, 0.05, 0.06, 0.06).coordinates[0].slice().reverse();
		expect(checkPolygon(poly([ring, hole])).reason).toBe(POLYGON_HOLE_OUTSIDE_SHELL);
		for (const r of [POLYGON_SELF_INTERSECTION, POLYGON_ZERO_AREA])
			expect(POLYGON_INVALID_REASONS).toContain(r);
	});

	it('rejects MultiPolygons unless allowed', () => {
		const multi: MultiPolygon = {
			type: 'MultiPolygon',
			coordinates: [rect(0, 0, 0.01, 0.01).coordinates, rect(0.02, 0, 0.03, 0.01).coordinates]
		};
		expect(checkPolygon(multi).reason).toBe(POLYGON_NOT_POLYGON);
		expect(checkPolygon(multi, { allowMultiPolygon: true }).valid).toBe(true);
	});
});

describe('checkTiling', () => {
	it('passes a perfect tiling', () => {
		const r = checkTiling(parent, tiles);
		expect(r.valid).toBe(true);
		expect(r.reason).toBeNull();
		expect(r.gapRatio).toBeLessThan(1e-9);
		expect(r.overlapRatio).toBeLessThan(1e-9);
		expect(r.outsideRatio).toBeLessThan(1e-9);
		expect(checkTiling(parent, [parent]).valid).toBe(true);
	});

	it('certifies an edge-exact tiling without area arithmetic', () => {
		// Same tiling, but the parent also has the children's vertices on its boundary.
		const refined: Polygon = {
			type: 'Polygon',
			coordinates: [
				[
					pt(0, 0),
					pt(0.01, 0),
					pt(0.02, 0),
					pt(0.02, 0.01),
					pt(0.02, 0.02),
					pt(0.01, 0.02),
					pt(0, 0.02),
					pt(0, 0.01),
					pt(0, 0)
				]
			]
		};
		const r = checkTiling(refined, tiles);
		expect(r).toMatchObject({ valid: true, method: 'exact', gapRatio: 0, overlapRatio: 0 });
		// Clockwise children are fine too.
		const cw = tiles.map((t) => ({ ...t, coordinates: [t.coordinates[0].slice().reverse()] }));
		expect(checkTiling(refined, cw).method).toBe('exact');
		// The non-refined parent needs the area fallback, which agrees.
		expect(checkTiling(parent, tiles)).toMatchObject({ valid: true, method: 'area' });
		// A missing tile is never certified exact.
		expect(checkTiling(refined, tiles.slice(1))).toMatchObject({ valid: false, method: 'area' });
	});

	it('finds a gap', () => {
		const r = checkTiling(parent, tiles.slice(0, 4));
		expect(r.valid).toBe(false);
		expect(r.reasons).toEqual([TILING_GAP]);
		expect(r.gapRatio).toBeCloseTo(0.125, 3);
	});

	it('finds an overlap', () => {
		const r = checkTiling(parent, [...tiles, rect(0.005, 0.005, 0.015, 0.015)]);
		expect(r.reasons).toEqual([TILING_OVERLAP]);
		expect(r.overlapRatio).toBeCloseTo(0.25, 3);
	});

	it('finds a piece outside the parent', () => {
		const r = checkTiling(parent, [...tiles, rect(0.02, 0, 0.03, 0.01)]);
		expect(r.reasons).toEqual([TILING_OUTSIDE]);
		expect(r.outsideRatio).toBeCloseTo(0.25, 3);
		// Sticking out of the parent while overlapping a sibling reports both.
		const both = checkTiling(parent, [...tiles.slice(1), rect(-0.005, 0, 0.015, 0.01)]);
		expect(both.reasons).toEqual([TILING_OVERLAP, TILING_OUTSIDE]);
	});

	it('rejects an invalid (bow-tie) child', () => {
		const bowTie: Polygon = {
			type: 'Polygon',
			coordinates: [
				[
					[117.6, 39.0],
					[117.61, 39.01],
					[117.61, 39.0],
					[117.6, 39.01],
					[117.6, 39.0]
				]
			]
		};
		const r = checkTiling(parent, [...tiles.slice(1), bowTie]);
		expect(r.reason).toBe(TILING_INVALID_CHILD);
		expect(r.invalidChildren).toEqual([4]);
	});

	it('rejects an invalid parent and an empty child list', () => {
		expect(checkTiling({ type: 'Polygon', coordinates: [] }, tiles).reason).toBe(
			TILING_INVALID_PARENT
		);
		expect(checkTiling(parent, []).reason).toBe(TILING_NO_CHILDREN);
	});

	it('tolerates slivers below the tolerance and reports them above it', () => {
		const nudged = rect(0, 0, 0.01 - 1e-9, 0.01);
		const children = [nudged, ...tiles.slice(1)];
		expect(checkTiling(parent, children).valid).toBe(false);
		expect(checkTiling(parent, children, { tolerance: 1e-6 }).valid).toBe(true);
	});
});
