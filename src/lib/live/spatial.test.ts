import { describe, expect, it } from 'vitest';
import { nextShape, withRadius } from './spatial';

/** 1 degree = 100 px, for closing polygons by screen distance. */
const project = ([lon, lat]: [number, number]) => ({ x: lon * 100, y: lat * 100 });

describe('spatial shapes', () => {
	it('puts a circle or a point where clicked', () => {
		expect(nextShape('radius', null, [1, 2], [100, 200], 500, project)).toEqual({
			shape: { kind: 'circle', center: [1, 2], radiusM: 500 },
			clearResult: false
		});
		expect(nextShape('nearest', null, [1, 2], [100, 200], 500, project).shape).toEqual({
			kind: 'point',
			center: [1, 2]
		});
		expect(nextShape('off', null, [1, 2], [100, 200], 500, project).shape).toBeNull();
	});

	it('adds polygon vertices and closes on the first one', () => {
		let step = nextShape('polygon', null, [0, 0], [0, 0], 500, project);
		for (const p of [
			[1, 0],
			[1, 1]
		] as [number, number][])
			step = nextShape('polygon', step.shape, p, [p[0] * 100, p[1] * 100], 500, project);
		expect(step).toMatchObject({ clearResult: true, shape: { closed: false } });
		const closed = nextShape('polygon', step.shape, [0.05, 0.05], [5, 5], 500, project);
		expect(closed).toEqual({
			shape: {
				kind: 'polygon',
				vertices: [
					[0, 0],
					[1, 0],
					[1, 1]
				],
				closed: true
			},
			clearResult: false
		});
		// A click after closing starts a new polygon.
		const again = nextShape('polygon', closed.shape, [5, 5], [500, 500], 500, project);
		expect(again.shape).toEqual({ kind: 'polygon', vertices: [[5, 5]], closed: false });
	});

	it('changes the radius of a drawn circle only', () => {
		const circle = { kind: 'circle' as const, center: [0, 0] as [number, number], radiusM: 500 };
		expect(withRadius(circle, 800)).toEqual({ ...circle, radiusM: 800 });
		expect(withRadius(circle, 500)).toBeNull();
		expect(withRadius(circle, 0)).toBeNull();
		expect(withRadius({ kind: 'point', center: [0, 0] }, 800)).toBeNull();
	});
});
