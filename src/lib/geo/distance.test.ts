import { describe, expect, it } from 'vitest';
import { distanceM } from './distance';

describe('distanceM', () => {
	it('measures great-circle metres', () => {
		// One degree of latitude on the mean sphere (R = 6,371,008.8 m).
		expect(distanceM([117, 39], [117, 40])).toBeCloseTo((6_371_008.8 * Math.PI) / 180, 3);
		expect(distanceM([117.2, 39.1], [117.2, 39.1])).toBe(0);
		// Symmetric, and a degree of longitude shrinks with the cosine of the latitude.
		const east = distanceM([117, 39], [118, 39]);
		expect(distanceM([118, 39], [117, 39])).toBeCloseTo(east, 6);
		expect(east / distanceM([117, 39], [117, 40])).toBeCloseTo(Math.cos((39 * Math.PI) / 180), 3);
	});
});
