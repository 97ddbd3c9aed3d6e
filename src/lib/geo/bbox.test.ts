import { describe, expect, it } from 'vitest';
import { bboxOf, unionBbox } from './bbox';

describe('bboxOf', () => {
	it('bounds a polygon by its rings', () => {
		const square = [
			[
				[0, 0],
				[10, 0],
				[10, 5],
				[0, 5],
				[0, 0]
			]
		];
		expect(bboxOf({ type: 'Polygon', coordinates: square })).toEqual([0, 0, 10, 5]);
	});

	it('counts every part of a MultiPolygon (an island off the coast)', () => {
		const part = (x: number, y: number) => [
			[
				[x, y],
				[x + 1, y],
				[x + 1, y + 1],
				[x, y + 1],
				[x, y]
			]
		];
		const g = { type: 'MultiPolygon' as const, coordinates: [part(117, 39), part(118.5, 38.2)] };
		expect(bboxOf(g)).toEqual([117, 38.2, 119.5, 40]);
	});

	it('unions boxes, and none is null', () => {
		expect(
			unionBbox([
				[0, 0, 1, 1],
				[2, -1, 3, 0.5]
			])
		).toEqual([0, -1, 3, 1]);
		expect(unionBbox([])).toBeNull();
	});
});
