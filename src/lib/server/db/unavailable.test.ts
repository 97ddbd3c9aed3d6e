import { isHttpError } from '@sveltejs/kit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as loginPage from '../../../routes/login/+page.server';
import * as kioskRoute from '../../../routes/kiosk/[token]/+server';
import type { App } from '../app';
import { checkHealth } from '../health';
import { LiveBus } from '../live/bus';
import { MIGRATIONS } from './migrate';
import {
	DATABASE_UNAVAILABLE_TEXT,
	databaseUnavailableHandle,
	databaseUnavailableResponse,
	isDatabaseUnavailable
} from './unavailable';

describe('which errors mean "the database cannot be reached"', () => {
	it('maps restarts, failovers and dropped connections, not query errors', () => {
		const err = (props: Record<string, unknown>, message = 'x') =>
			Object.assign(new Error(message), props);
		for (const code of ['57P01', '57P02', '57P03', '08006', '08001', '08P01', '53300'])
			expect(isDatabaseUnavailable(err({ code })), code).toBe(true);
		for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'])
			expect(isDatabaseUnavailable(err({ code })), code).toBe(true);
		expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
		expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
		// Node's connect to localhost tries ::1 and 127.0.0.1: an AggregateError of two refusals.
		expect(isDatabaseUnavailable(new AggregateError([err({ code: 'ECONNREFUSED' })]))).toBe(true);
		expect(isDatabaseUnavailable(err({ cause: err({ code: '57P01' }) }))).toBe(true);
		// A wrong query, a constraint, a serialization failure: not an outage.
		for (const code of ['42P01', '23505', '40001', '22P02'])
			expect(isDatabaseUnavailable(err({ code })), code).toBe(false);
		expect(isDatabaseUnavailable(new Error('syntax error'))).toBe(false);
		expect(isDatabaseUnavailable(null)).toBe(false);
	});

	it('answers 503 with a JSON message and Retry-After', async () => {
		const r = databaseUnavailableResponse();
		expect(r.status).toBe(503);
		expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
		const body = await r.json();
		expect(body.message).toMatch(/database cannot be reached.*not applied.*Try again/);
		expect(body.code).toBe('database_unavailable');
	});
});

describe('the request hook', () => {
	it('turns an outage outside a handler (the sign-in lookup) into a 503, rethrows the rest', async () => {
		const event = {
			request: new Request('http://x/api/alerts'),
			url: new URL('http://x/api/alerts')
		};
		const run = (err: Error) =>
			databaseUnavailableHandle({
				event,
				resolve: async () => {
					throw err;
				}
			} as never);
		const r = await run(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }));
		expect(r.status).toBe(503);
		await expect(run(new Error('a bug'))).rejects.toThrow('a bug');
	});
});

describe('checkHealth', () => {
	const fakeApp = (applied: string[], bus = new LiveBus(), fail?: Error) =>
		({
			bus,
			db: {
				kind: 'pglite',
				query: async () => {
					if (fail) throw fail;
					return applied.map((version) => ({ version }));
				}
			}
		}) as unknown as App;
	const all = MIGRATIONS.map((m) => m.version);

	it('is ready when the database answers, migrations are applied and the bus is open', async () => {
		expect(await checkHealth(fakeApp(all))).toMatchObject({
			status: 'ready',
			live: true,
			database: { kind: 'pglite', reachable: true },
			migrations: { expected: all.length, applied: all.length, pending: [] },
			bus: { kind: 'in-process', open: true, streams: 0 }
		});
	});

	it('says what is wrong otherwise', async () => {
		const pending = await checkHealth(fakeApp(all.slice(0, -1)));
		expect(pending).toMatchObject({ status: 'unavailable', migrations: { pending: [all.at(-1)] } });
		const bus = new LiveBus();
		bus.close();
		expect(await checkHealth(fakeApp(all, bus))).toMatchObject({
			status: 'unavailable',
			bus: { open: false }
		});
		const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), {
			code: 'ECONNREFUSED'
		});
		const down = await checkHealth(fakeApp(all, new LiveBus(), refused));
		expect(down).toMatchObject({
			status: 'unavailable',
			database: { reachable: false, code: 'ECONNREFUSED' }
		});
		// No host, port or credentials of the database in a public answer.
		expect(JSON.stringify(down)).not.toMatch(/10\.0\.0\.5|5432/);
		expect(await checkHealth(null)).toEqual({ status: 'starting', live: true });
	});
});

describe('sign-in pages with the database down', () => {
	const APP = Symbol.for('onemap.server.app');
	const holder = globalThis as unknown as Record<symbol, unknown>;
	const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
	/** The running app, with a database every query of which fails as `fail` says. */
	function downApp(fail: () => Error = refused) {
		holder[APP] = Promise.resolve({
			db: {
				kind: 'postgres',
				query: async () => {
					throw fail();
				}
			}
		});
	}
	const saved = holder[APP];
	afterEach(() => {
		holder[APP] = saved;
		vi.restoreAllMocks();
	});
	const quiet = () => vi.spyOn(console, 'warn').mockImplementation(() => {});

	it('/login: the error page with 503 and the outage in both languages, not a 500', async () => {
		downApp();
		quiet();
		const err = await Promise.resolve(loginPage.load({} as never)).catch((e: unknown) => e);
		expect(isHttpError(err)).toBe(true);
		expect(err).toMatchObject({ status: 503, body: { message: DATABASE_UNAVAILABLE_TEXT } });
		expect(DATABASE_UNAVAILABLE_TEXT).toMatch(
			/数据库.*无法连接.*The database .* cannot be reached/
		);
		// Any other failure is still the server's fault, as before.
		downApp(() => new Error('a bug'));
		await expect(Promise.resolve(loginPage.load({} as never))).rejects.toThrow('a bug');
	});

	const kiosk = (accept: string) => {
		const url = new URL(`http://x/kiosk/${'a'.repeat(43)}`);
		return kioskRoute.GET({
			params: { token: 'a'.repeat(43) },
			url,
			request: new Request(url, { headers: { accept } }),
			cookies: { set: () => {} }
		} as never);
	};

	it('/kiosk/<token>: a 503 page that says so and reloads itself; JSON for a non-browser', async () => {
		downApp();
		quiet();
		const page = await kiosk('text/html,application/xhtml+xml');
		expect(page.status).toBe(503);
		expect(page.headers.get('content-type')).toMatch(/^text\/html/);
		expect(Number(page.headers.get('retry-after'))).toBeGreaterThan(0);
		const html = await page.text();
		expect(html).toContain('数据库暂时无法连接');
		expect(html).toContain('The database cannot be reached');
		expect(html).toMatch(/<meta http-equiv="refresh" content="\d+">/);
		const api = await kiosk('*/*');
		expect(api.status).toBe(503);
		expect((await api.json()).code).toBe('database_unavailable');
	});

	it('the hook answers a page request (a session lookup on /login) with the page', async () => {
		quiet();
		const url = new URL('http://x/login');
		const r = await databaseUnavailableHandle({
			event: { request: new Request(url, { headers: { accept: 'text/html' } }), url },
			resolve: async () => {
				throw refused();
			}
		} as never);
		expect(r.status).toBe(503);
		expect(await r.text()).toContain('数据库暂时无法连接');
	});
});
