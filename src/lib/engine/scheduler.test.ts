import { describe, expect, it } from 'vitest';
import { QueryScheduler, Superseded } from './scheduler';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('QueryScheduler', () => {
	it('runs one job at a time, most urgent first, then in order asked', async () => {
		const s = new QueryScheduler();
		const log: string[] = [];
		let release!: () => void;
		const first = s.schedule({
			slot: 'a',
			priority: 5,
			run: () => new Promise<void>((r) => (release = () => (log.push('a'), r())))
		});
		const job = (slot: string, priority: number) =>
			s.schedule({ slot, priority, run: async () => void log.push(slot) });
		const later = [job('hist', 3), job('top', 3), job('clusters', 0)];
		await tick();
		expect(log).toEqual([]); // 'a' is still running
		release();
		await Promise.all([first, ...later]);
		expect(log).toEqual(['a', 'clusters', 'hist', 'top']);
	});

	it('replaces a waiting job of the same slot; the replaced one is told so', async () => {
		const s = new QueryScheduler();
		let release!: () => void;
		const blocker = s.schedule({
			slot: 'x',
			priority: 0,
			run: () => new Promise<void>((r) => (release = r))
		});
		const old = s.schedule({ slot: 'clusters', priority: 0, run: async () => 'old' });
		const fresh = s.schedule({ slot: 'clusters', priority: 0, run: async () => 'new' });
		expect(s.pending).toBe(1);
		release();
		await blocker;
		await expect(old).rejects.toBeInstanceOf(Superseded);
		await expect(fresh).resolves.toBe('new');
	});

	it('keeps going after a job fails', async () => {
		const s = new QueryScheduler();
		const bad = s.schedule({
			slot: 'bad',
			priority: 0,
			run: async () => Promise.reject(new Error('boom'))
		});
		const good = s.schedule({ slot: 'good', priority: 1, run: async () => 42 });
		await expect(bad).rejects.toThrow('boom');
		await expect(good).resolves.toBe(42);
	});
});
