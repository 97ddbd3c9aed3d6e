import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
	CaseConflict,
	WRITE_RETRY,
	dispatchNearest,
	newIdempotencyKey,
	transition
} from './caseApi';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A fake fetch answering from `answers` in turn (a thrown Error is a lost connection). */
function fakeFetch(answers: (Response | Error)[]) {
	const calls: { url: string; init: RequestInit }[] = [];
	const fn = vi.fn(async (url: string, init: RequestInit) => {
		calls.push({ url, init });
		const next = answers.shift();
		if (!next) throw new Error('no more answers');
		if (next instanceof Error) throw next;
		return next;
	});
	vi.stubGlobal('fetch', fn);
	return calls;
}
const keyOf = (c: { init: RequestInit }) =>
	(c.init.headers as Record<string, string>)['idempotency-key'];

const saved = { ...WRITE_RETRY };
beforeEach(() => Object.assign(WRITE_RETRY, { backoffMs: 1, maxWaitMs: 5 }));
afterEach(() => {
	Object.assign(WRITE_RETRY, saved);
	vi.unstubAllGlobals();
});

const ok = (body: unknown) => Response.json(body);
const move = { action: 'accept' as const, version: 3 };

describe('case writes carry an Idempotency-Key', () => {
	it('one fresh UUID per action', async () => {
		const calls = fakeFetch([ok({ incident: {} }), ok({ incident: {} }), ok({ unit: {} })]);
		await transition(7, move);
		await transition(7, move);
		await dispatchNearest(7, { version: 4 });
		expect(calls.map((c) => c.url)).toEqual([
			'/api/incidents/7/transitions',
			'/api/incidents/7/transitions',
			'/api/incidents/7/dispatch-nearest'
		]);
		const keys = calls.map(keyOf);
		for (const k of keys) expect(k).toMatch(UUID);
		expect(new Set(keys).size).toBe(3);
		expect((calls[0].init.headers as Record<string, string>)['content-type']).toBe(
			'application/json'
		);
	});

	it('a lost answer and a 503 are sent again with the same key; the replay is the answer', async () => {
		const busy = Response.json(
			{ message: 'busy' },
			{ status: 503, headers: { 'retry-after': '0' } }
		);
		const calls = fakeFetch([new TypeError('Failed to fetch'), busy, ok({ incident: { id: 7 } })]);
		expect(await transition(7, move)).toEqual({ incident: { id: 7 } });
		expect(calls).toHaveLength(3);
		expect(new Set(calls.map(keyOf)).size).toBe(1);
		expect(calls.every((c) => c.init.body === JSON.stringify(move))).toBe(true);
	});

	it('gives up after WRITE_RETRY.attempts and says why', async () => {
		const busy = () => Response.json({ message: 'database unavailable' }, { status: 503 });
		const calls = fakeFetch([busy(), busy(), busy(), ok({})]);
		await expect(dispatchNearest(7, { version: 1 })).rejects.toThrow('database unavailable');
		expect(calls).toHaveLength(WRITE_RETRY.attempts);
	});

	it('does not resend a refusal (409 stays a conflict, 400 an error)', async () => {
		const calls = fakeFetch([
			Response.json({ message: 'changed', current: null, changes: [] }, { status: 409 }),
			Response.json({ message: 'bad' }, { status: 400 })
		]);
		await expect(transition(7, move)).rejects.toBeInstanceOf(CaseConflict);
		await expect(transition(7, move)).rejects.toThrow('bad');
		expect(calls).toHaveLength(2);
	});
});

describe('newIdempotencyKey', () => {
	it('is a v4 UUID also where crypto.randomUUID is missing (plain http)', () => {
		expect(newIdempotencyKey()).toMatch(UUID);
		const real = globalThis.crypto;
		vi.stubGlobal('crypto', {
			getRandomValues: (a: Uint8Array<ArrayBuffer>) => real.getRandomValues(a)
		});
		const keys = new Set(Array.from({ length: 50 }, () => newIdempotencyKey()));
		expect(keys.size).toBe(50);
		for (const k of keys) expect(k).toMatch(UUID);
	});
});
