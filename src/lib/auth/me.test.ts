import { describe, expect, it } from 'vitest';
import { Me } from './me.svelte';

describe('who is signed in', () => {
	it('asks the server once, however many readers load it', async () => {
		let asked = 0;
		const me = new Me(async () => {
			asked++;
			return {
				user: { id: 'u1', username: 'o', displayName: '值班员', role: 'officer' },
				via: 'bearer',
				device: null
			};
		});
		await Promise.all([me.load(), me.load()]);
		await me.load();
		expect(asked).toBe(1);
		expect(me.user?.role).toBe('officer');
		expect(me.device).toBe(true);
	});

	it('stays signed out when the server cannot say', async () => {
		const me = new Me(async () => {
			throw new Error('503');
		});
		await me.load();
		expect(me.user).toBeNull();
	});
});
