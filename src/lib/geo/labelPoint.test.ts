import { describe, expect, it } from 'vitest';
import { booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { labelPoint, largestPart, polygonArea } from './labelPoint';

const square = (x: number, y: number, size: number) => [
	[x, y],
	[x + size, y],
	[x + size, y + size],
	[x, y + size],
	[x, y]
];

describe('labelPoint', () => {
	it('puts a square’s label at its centre', () => {
		const [x, y] = labelPoint({ type: 'Polygon', coordinates: [square(117, 39, 0.2)] });
		expect(x).toBeCloseTo(117.1, 3);
		expect(y).toBeCloseTo(39.1, 3);
	});

	it('labels a MultiPolygon on its largest part, not between the parts', () => {
		const island = square(118, 39, 0.01);
		const mainland = square(117, 39, 0.3);
		const g: MultiPolygon = { type: 'MultiPolygon', coordinates: [[island], [mainland]] };
		expect(largestPart(g)).toEqual([mainland]);
		const p = labelPoint(g);
		expect(booleanPointInPolygon(p, { type: 'Polygon', coordinates: [mainland] })).toBe(true);
		expect(p[0]).toBeCloseTo(117.15, 2);
	});

	it('keeps the label inside a concave (U-shaped) polygon and out of its hole', () => {
		const u: Polygon = {
			type: 'Polygon',
			coordinates: [
				[
					[0, 0],
					[3, 0],
					[3, 3],
					[2, 3],
					[2, 1],
					[1, 1],
					[1, 3],
					[0, 3],
					[0, 0]
				]
			]
		};
		expect(booleanPointInPolygon(labelPoint(u), u)).toBe(true);
		const holed: Polygon = {
			type: 'Polygon',
			coordinates: [square(0, 0, 3), square(1, 1, 1).reverse()]
		};
		const p = labelPoint(holed);
		expect(booleanPointInPolygon(p, holed)).toBe(true);
		expect(polygonArea(holed.coordinates)).toBeCloseTo(8, 6);
	});
});
