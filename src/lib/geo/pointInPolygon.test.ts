import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { bboxOf } from './bbox';
import { pointsInside } from './pointInPolygon';

// A 4 × 4 square with a 2 × 2 hole in the middle, and a concave "C" shape.
const square: Polygon = {
	type: 'Polygon',
	coordinates: [
		[
			[0, 0],
			[4, 0],
			[4, 4],
			[0, 4],
			[0, 0]
		],
		[
			[1, 1],
			[1, 3],
			[3, 3],
			[3, 1],
			[1, 1]
		]
	]
};
const cShape: Polygon = {
	type: 'Polygon',
	coordinates: [
		[
			[0, 0],
			[3, 0],
			[3, 1],
			[1, 1],
			[1, 2],
			[3, 2],
			[3, 3],
			[0, 3],
			[0, 0]
		]
	]
};

const inside = (points: [number, number][], polygon: Polygon) =>
	Array.from(
		pointsInside(
			points.map((p) => p[0]),
			points.map((p) => p[1]),
			polygon
		)
	);

describe('pointsInside', () => {
	it('keeps points in the ring, drops points in the hole and outside', () => {
		expect(
			inside(
				[
					[0.5, 0.5],
					[2, 2],
					[5, 5],
					[3.5, 2]
				],
				square
			)
		).toEqual([0, 3]);
	});

	it('counts points on an edge or a vertex as inside, and on the hole edge too', () => {
		expect(
			inside(
				[
					[0, 2],
					[4, 4],
					[2, 0],
					[1, 2]
				],
				square
			)
		).toEqual([0, 1, 2, 3]);
	});

	it('handles concave shapes: the notch is outside', () => {
		expect(
			inside(
				[
					[2, 1.5],
					[0.5, 1.5],
					[2, 0.5],
					[2, 2.5]
				],
				cShape
			)
		).toEqual([1, 2, 3]);
	});

	it('does not mistake a ray through a vertex for a crossing', () => {
		// A ray from (-1, 1) to the east passes exactly through the vertices (3,1) and (1,1).
		expect(
			inside(
				[
					[-1, 1],
					[3.5, 1],
					[0.5, 1]
				],
				cShape
			)
		).toEqual([2]);
	});

	it('computes bounding boxes of polygons', () => {
		expect(bboxOf(cShape)).toEqual([0, 0, 3, 3]);
	});
});
