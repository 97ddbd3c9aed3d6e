import { describe, expect, it } from 'vitest';
import { positionAt } from './track';

describe('positionAt', () => {
	const track = { lon: [0, 10, 0], lat: [0, 4, 0], t: [3600, 43200, 82800] };

	it('interpolates linearly between samples', () => {
		expect(positionAt(track, 43200)).toEqual([10, 4]);
		const [lon, lat] = positionAt(track, (3600 + 43200) / 2);
		expect(lon).toBeCloseTo(5, 9);
		expect(lat).toBeCloseTo(2, 9);
	});

	it('stands at the ends before the first and after the last sample, and wraps the day', () => {
		expect(positionAt(track, 0)).toEqual([0, 0]);
		expect(positionAt(track, 86_000)).toEqual([0, 0]);
		expect(positionAt(track, 86_400 + 43_200)).toEqual([10, 4]);
		expect(positionAt(track, -86_400 + 43_200)).toEqual([10, 4]);
	});

	it('has no position on an empty track', () => {
		expect(positionAt({ lon: [], lat: [], t: [] }, 100).every(Number.isNaN)).toBe(true);
	});
});
