import { describe, expect, it } from 'vitest';
import { backoffDelay } from './liveFeed';

describe('reconnect backoff', () => {
	it('doubles from a second and stops at thirty', () => {
		expect([0, 1, 2, 3, 4, 5, 6, 10].map((n) => backoffDelay(n))).toEqual([
			1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000
		]);
	});
});
