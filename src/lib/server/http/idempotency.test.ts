/**
 * Idempotency keys and admission control on the write routes (issue 16, defect 4): the route
 * handlers themselves against a test database handed to them as the running app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropTestApp, useTestApp } from '../testing/app';
import { loadCity } from '../city/load';
import type { Db } from '../db/types';
import { LiveBus } from '../live/bus';
import { openTestDb } from '../testing/db';
import { fixtureCity } from '../testing/fixtureCity';
import { Admission } from './admission';
import { ApiError } from './errors';
import * as intakeRoute from '../../../routes/api/incidents/+server';
import * as transitionsRoute from '../../../routes/api/incidents/[id]/transitions/+server';
import * as dispatchRoute from '../../../routes/api/incidents/[id]/dispatch-nearest/+server';

let db: Db;
const bus = new LiveBus();
const frames: string[] = [];

beforeAll(async () => {
	db = await openTestDb();
	await db.transaction((tx) => loadCity(tx, fixtureCity()));
	useTestApp({ db, bus, config: { writeAdmission: { active: 2, queued: 8, waitMs: 5000 } } });
	bus.subscribe({ send: (f) => frames.push(new TextDecoder().decode(f)), close() {} });
}, 120_000);
afterAll(async () => {
	dropTestApp();
	await db?.close();
});

type Handler = (event: never) => Response | Promise<Response>;
async function call(
	handler: Handler,
	path: string,
	body: unknown,
	headers: Record<string, string> = {},
	userId = 'officer-1'
): Promise<Response> {
	const url = new URL(path, 'http://localhost');
	const request = new Request(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(body)
	});
	const id = url.pathname.split('/')[3];
	const locals = {
		user: { id: userId, username: userId, displayName: '值班员甲', role: 'officer' }
	};
	return await handler({
		params: { id },
		url,
		request,
		locals,
		getClientAddress: () => '127.0.0.1'
	} as never);
}

let spot = 0;
/** A point inside grid A1-02, 150 m from the last (no repeat links, no hazmat radius). */
function incident(more: Record<string, unknown> = {}) {
	const i = spot++;
	return {
		type: 'dispute',
		lon: 117.6015 + (i % 10) * 0.0018,
		lat: 39.0115 + Math.floor(i / 10) * 0.0014,
		...more
	};
}

const count = async () =>
	(await db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM incident'))[0].n;
const intakeFrames = () => frames.filter((f) => f.includes('"change":"new"')).length;

describe('Idempotency-Key on POST /api/incidents', () => {
	it('stores a retried intake once and answers the first answer again', async () => {
		const before = await count();
		const framesBefore = intakeFrames();
		const body = incident({ description: '重试的上报' });
		const first = await call(intakeRoute.POST, '/api/incidents', body, {
			'idempotency-key': 'retry-1'
		});
		expect(first.status).toBe(201);
		expect(first.headers.get('idempotent-replayed')).toBeNull();
		const stored = await first.json();
		const again = await call(intakeRoute.POST, '/api/incidents', body, {
			'idempotency-key': 'retry-1'
		});
		expect(again.status).toBe(201);
		expect(again.headers.get('idempotent-replayed')).toBe('true');
		expect(again.headers.get('location')).toBe(first.headers.get('location'));
		expect((await again.json()).id).toBe(stored.id);
		expect(await count()).toBe(before + 1);
		// The replay publishes nothing: the live map got the incident once.
		expect(intakeFrames()).toBe(framesBefore + 1);
	});

	it('stores simultaneous retries once', async () => {
		const before = await count();
		const body = [incident(), incident()];
		const answers = await Promise.all(
			Array.from({ length: 5 }, () =>
				call(intakeRoute.POST, '/api/incidents', body, { 'idempotency-key': 'burst-7' })
			)
		);
		expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
		const ids = await Promise.all(answers.map(async (a) => (await a.json()).incidents[0].id));
		expect(new Set(ids).size).toBe(1);
		expect(answers.filter((a) => a.headers.get('idempotent-replayed')).length).toBe(4);
		expect(await count()).toBe(before + 2);
	});

	it('refuses the same key for a different request with 422 and stores nothing', async () => {
		await call(intakeRoute.POST, '/api/incidents', incident(), { 'idempotency-key': 'k-422' });
		const before = await count();
		const other = await call(intakeRoute.POST, '/api/incidents', incident(), {
			'idempotency-key': 'k-422'
		});
		expect(other.status).toBe(422);
		const answer = await other.json();
		expect(answer.field).toBe('Idempotency-Key');
		expect(answer.message).toMatch(/another request/);
		expect(await count()).toBe(before);
	});

	it('keeps keys per user: the same key from another user is another request', async () => {
		const body = incident();
		const a = await call(intakeRoute.POST, '/api/incidents', body, { 'idempotency-key': 'mine' });
		const b = await call(
			intakeRoute.POST,
			'/api/incidents',
			body,
			{ 'idempotency-key': 'mine' },
			'officer-2'
		);
		expect(b.headers.get('idempotent-replayed')).toBeNull();
		expect((await b.json()).id).not.toBe((await a.json()).id);
	});

	it('does not keep the key of a refused write: the corrected request may use it', async () => {
		const outside = await call(
			intakeRoute.POST,
			'/api/incidents',
			{ type: 'dispute', lon: 100, lat: 30 },
			{ 'idempotency-key': 'fix-me' }
		);
		expect(outside.status).toBe(422);
		const fixed = await call(intakeRoute.POST, '/api/incidents', incident(), {
			'idempotency-key': 'fix-me'
		});
		expect(fixed.status).toBe(201);
		expect(fixed.headers.get('idempotent-replayed')).toBeNull();
	});

	it('refuses a malformed key with 400', async () => {
		const before = await count();
		for (const key of ['two words', 'x'.repeat(201), 'clé']) {
			const res = await call(intakeRoute.POST, '/api/incidents', incident(), {
				'idempotency-key': key
			});
			expect(res.status).toBe(400);
			expect((await res.json()).field).toBe('Idempotency-Key');
		}
		expect(await count()).toBe(before);
	});

	it('without a key, two posts are two incidents', async () => {
		const before = await count();
		const body = incident();
		await call(intakeRoute.POST, '/api/incidents', body);
		await call(intakeRoute.POST, '/api/incidents', body);
		expect(await count()).toBe(before + 2);
	});
});

describe('Idempotency-Key on transitions and dispatch', () => {
	it('a retried transition answers the first answer, not a stale-version 409', async () => {
		const created = await (await call(intakeRoute.POST, '/api/incidents', incident())).json();
		const path = `/api/incidents/${created.id}/transitions`;
		const body = { action: 'register', version: created.version };
		const first = await call(transitionsRoute.POST, path, body, { 'idempotency-key': 't-1' });
		expect(first.status).toBe(200);
		const again = await call(transitionsRoute.POST, path, body, { 'idempotency-key': 't-1' });
		expect(again.status).toBe(200);
		expect(again.headers.get('idempotent-replayed')).toBe('true');
		expect(await again.json()).toEqual(await first.json());
		const trail = await db.query('SELECT 1 FROM incident_event WHERE incident_id = $1', [
			created.id
		]);
		expect(trail.length).toBe(1);
		// Without the key the same request is a new attempt, and the version is stale now.
		const plain = await call(transitionsRoute.POST, path, body);
		expect(plain.status).toBe(409);
	});

	it('a retried dispatch sends one unit once', async () => {
		const created = await (await call(intakeRoute.POST, '/api/incidents', incident())).json();
		const path = `/api/incidents/${created.id}/dispatch-nearest`;
		const body = { version: created.version };
		const first = await call(dispatchRoute.POST, path, body, { 'idempotency-key': 'd-1' });
		expect(first.status).toBe(200);
		const again = await call(dispatchRoute.POST, path, body, { 'idempotency-key': 'd-1' });
		expect(again.headers.get('idempotent-replayed')).toBe('true');
		const [a, b] = [await first.json(), await again.json()];
		expect(b.unit.id).toBe(a.unit.id);
		const held = await db.query<{ n: number }>(
			'SELECT count(*)::int8 AS n FROM patrol_unit WHERE responding_incident_id = $1',
			[created.id]
		);
		expect(held[0].n).toBe(1);
	});
});

describe('Admission control', () => {
	const gate = () => {
		let open!: () => void;
		const opened = new Promise<void>((r) => (open = r));
		return { open, opened };
	};

	it('runs `active` writes at once, queues `queued`, refuses the next with 503 + Retry-After', async () => {
		const queue = new Admission('test', { active: 1, queued: 1, waitMs: 5000 });
		const g = gate();
		const order: string[] = [];
		const first = queue.run(async () => {
			order.push('first');
			await g.opened;
		});
		const second = queue.run(async () => void order.push('second'));
		expect(queue.depth).toEqual({ active: 1, queued: 1 });
		const third = await queue.run(async () => 'ran').catch((e: unknown) => e);
		expect(third).toBeInstanceOf(ApiError);
		const err = third as ApiError;
		expect(err.status).toBe(503);
		expect(err.headers['retry-after']).toBe('1');
		expect(err.message).toMatch(/nothing was stored/);
		g.open();
		await Promise.all([first, second]);
		expect(order).toEqual(['first', 'second']);
		expect(queue.depth).toEqual({ active: 0, queued: 0 });
	});

	it('refuses a write that waited too long, without running it', async () => {
		const queue = new Admission('test', { active: 1, queued: 4, waitMs: 30 });
		const g = gate();
		const first = queue.run(() => g.opened);
		let ran = false;
		const late = await queue
			.run(async () => {
				ran = true;
			})
			.catch((e: unknown) => e);
		expect((late as ApiError).status).toBe(503);
		expect(ran).toBe(false);
		g.open();
		await first;
		expect(queue.depth).toEqual({ active: 0, queued: 0 });
	});

	it('frees the slot when a write throws', async () => {
		const queue = new Admission('test', { active: 1, queued: 0, waitMs: 30 });
		await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
		expect(await queue.run(async () => 'next')).toBe('next');
	});
});
