/**
 * GET and HEAD /api/stream, the route handlers themselves, against a test database handed to
 * them as the running app: HEAD answers at once without holding a stream; one sign-in holds at
 * most MAX_STREAMS_PER_IDENTITY streams.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropTestApp, useTestApp } from '../testing/app';
import { loadCity } from '../city/load';
import type { Db } from '../db/types';
import { openTestDb, TEST_BACKEND } from '../testing/db';
import { fixtureCity } from '../testing/fixtureCity';
import { LiveBus } from './bus';
import { MAX_STREAMS_PER_IDENTITY } from './sse';
import * as route from '../../../routes/api/stream/+server';

let db: Db;
const bus = new LiveBus();

beforeAll(async () => {
	db = await openTestDb();
	await db.transaction((tx) => loadCity(tx, fixtureCity()));
	useTestApp({ db, bus });
}, 120_000);
afterAll(async () => {
	dropTestApp();
	bus.close();
	await db?.close();
});

type Handler = (event: never) => Response | Promise<Response>;
function call(handler: Handler, method: string, session: string, userId = 'u1') {
	const url = new URL('http://localhost/api/stream?since=0');
	const request = new Request(url, { method });
	const locals = { user: { id: userId, username: 'o', displayName: 'O', role: 'officer' } };
	const cookies = { get: (name: string) => (name === 'onemap_session' ? session : undefined) };
	return handler({ url, request, locals, cookies } as never);
}

describe(`GET/HEAD /api/stream (${TEST_BACKEND})`, () => {
	it('answers HEAD at once with the stream headers and no body, holding no stream', async () => {
		expect(route.HEAD).toBeTypeOf('function');
		const t0 = performance.now();
		const r = await call(route.HEAD as Handler, 'HEAD', 's1');
		expect(performance.now() - t0).toBeLessThan(1000);
		expect(r.status).toBe(200);
		expect(r.headers.get('content-type')).toMatch(/^text\/event-stream/);
		expect(r.body).toBeNull();
		expect(bus.size).toBe(0);
	});

	it('caps the streams of one session, not of other sessions of the same user', async () => {
		const held: Response[] = [];
		for (let i = 0; i < MAX_STREAMS_PER_IDENTITY; i++) {
			const r = await call(route.GET as Handler, 'GET', 'session-one');
			expect(r.status).toBe(200);
			held.push(r);
		}
		const refused = await call(route.GET as Handler, 'GET', 'session-one');
		expect(refused.status).toBe(429);
		expect(refused.headers.get('retry-after')).toBeTruthy();
		const body = await refused.json();
		expect(body.message).toMatch(/live streams/);
		expect(body.code).toBe('too_many_streams');
		const other = await call(route.GET as Handler, 'GET', 'session-two');
		expect(other.status).toBe(200);
		held.push(other);
		for (const r of held) await r.body!.cancel();
		expect(bus.size).toBe(0);
	});
});
