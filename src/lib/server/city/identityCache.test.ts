import { describe, expect, it } from 'vitest';
import type { Queryable } from '../db/types';
import { CityIdentityCache } from './identity';

describe('CityIdentityCache', () => {
	it('reads once, again after forget()', async () => {
		let reads = 0;
		let code = '110000';
		const db = {
			async query() {
				reads++;
				return [{ key: 'city', value: { code } }];
			}
		} as unknown as Queryable;
		const cache = new CityIdentityCache();
		expect((await cache.get(db)).code).toBe('110000');
		expect((await cache.get(db)).code).toBe('110000');
		expect(reads).toBe(1);
		code = '120000';
		cache.forget();
		expect((await cache.get(db)).code).toBe('120000');
		expect(reads).toBe(2);
	});
	it('a failed read is not kept', async () => {
		let fail = true;
		const db = {
			async query() {
				if (fail) throw new Error('closed');
				return [];
			}
		} as unknown as Queryable;
		const cache = new CityIdentityCache();
		await expect(cache.get(db)).rejects.toThrow('closed');
		fail = false;
		expect((await cache.get(db)).synthetic).toBe(true);
	});
});
