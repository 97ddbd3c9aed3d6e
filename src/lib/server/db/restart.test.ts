/**
 * A PostgreSQL restart under intake load (issue 16 #1): `pg_ctl -m immediate stop` while
 * requests run must not end the process (a pooled client without an 'error' listener did);
 * requests in flight answer 503 with a message, /api/health says the database is unreachable,
 * and once PostgreSQL is back the pool reconnects and intake works again.
 *
 * Needs the throwaway cluster of scripts/pg-test-cluster.sh (it stops and restarts it):
 *   PGTEST_PORT=55521 URL=$(scripts/pg-test-cluster.sh start)
 *   PGTEST_PORT=55521 DATABASE_URL=$URL npx vitest run src/lib/server/db/restart.test.ts
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropTestApp, useTestApp } from '../testing/app';
import { loadCity } from '../city/load';
import { LiveBus } from '../live/bus';
import { openTestDb, TEST_BACKEND } from '../testing/db';
import { fixtureCity } from '../testing/fixtureCity';
import type { Db } from './types';
import * as intakeRoute from '../../../routes/api/incidents/+server';
import * as healthRoute from '../../../routes/api/health/+server';

const CLUSTER = resolve(import.meta.dirname, '../../../../scripts/pg-test-cluster.sh');
const runs = TEST_BACKEND === 'postgres' && !!process.env.PGTEST_PORT;
const cluster = (cmd: 'kill' | 'resume') =>
	execFileSync(CLUSTER, [cmd], { stdio: ['ignore', 'ignore', 'inherit'] });

let db: Db;

beforeAll(async () => {
	if (!runs) return;
	db = await openTestDb();
	await db.transaction((tx) => loadCity(tx, fixtureCity()));
	useTestApp({ db, bus: new LiveBus() });
}, 120_000);
afterAll(async () => {
	dropTestApp();
	await db?.close();
});

type Handler = (event: never) => Response | Promise<Response>;
const officer = { id: 'u1', username: 'o', displayName: 'Officer', role: 'officer' };

async function post(): Promise<Response> {
	const url = new URL('http://localhost/api/incidents');
	const body = JSON.stringify({ type: 'dispute', lon: 117.61, lat: 39.005 });
	const request = new Request(url, {
		method: 'POST',
		body,
		headers: { 'content-type': 'application/json' }
	});
	return (intakeRoute.POST as Handler)({
		url,
		request,
		locals: { user: officer },
		getClientAddress: () => '127.0.0.1'
	} as never);
}

const health = () =>
	(healthRoute.GET as Handler)({ url: new URL('http://localhost/api/health') } as never);

describe.runIf(runs)('a PostgreSQL restart under intake load', () => {
	it('answers 503 meanwhile, says so on /api/health, and recovers', async () => {
		expect((await health()).status).toBe(200);
		// What would end `node build`: an 'error' event nobody listens to.
		const uncaught: unknown[] = [];
		const watch = (err: unknown) => uncaught.push(err);
		process.on('uncaughtException', watch);
		const statuses = new Map<number, number>();
		const bodies: Record<string, unknown>[] = [];
		let stop = false;
		const worker = async () => {
			while (!stop) {
				const r = await post();
				statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
				if (r.status !== 201 && bodies.length < 1000) bodies.push(await r.json());
				else await r.body?.cancel();
				if (r.status === 503) await new Promise((done) => setTimeout(done, 20));
			}
		};
		const workers = Array.from({ length: 8 }, worker);
		try {
			await new Promise((done) => setTimeout(done, 500)); // load running, transactions open
			cluster('kill');
			await new Promise((done) => setTimeout(done, 1000));

			// Down: requests fail with 503 and a message; health says what is wrong.
			const down = await health();
			expect(down.status).toBe(503);
			const downBody = await down.json();
			expect(downBody).toMatchObject({
				status: 'unavailable',
				live: true,
				database: { kind: 'postgres', reachable: false }
			});
			expect(downBody.database.problem).toMatch(/database unreachable/);
			const during = await post();
			expect(during.status).toBe(503);
			expect(during.headers.get('retry-after')).toBeTruthy();
			expect((await during.json()).message).toMatch(/database cannot be reached/);

			cluster('resume');
			const deadline = Date.now() + 30_000;
			while ((await health()).status !== 200) {
				if (Date.now() > deadline) throw new Error('health did not come back within 30 s');
				await new Promise((done) => setTimeout(done, 200));
			}
		} finally {
			// A failed expectation above must not leave the workers posting forever.
			stop = true;
			await Promise.all(workers);
		}

		process.off('uncaughtException', watch);
		expect(uncaught.map(String)).toEqual([]);
		// Every answer was a success or a 503 with a message: never a 500, never a crash.
		expect([...statuses.keys()].sort()).toEqual([201, 503]);
		for (const b of bodies) expect(b.message).toMatch(/database cannot be reached/);
		// The pool reconnected: intake works again.
		const after = await post();
		expect(after.status).toBe(201);
		const up = await (await health()).json();
		expect(up).toMatchObject({ status: 'ready', database: { reachable: true } });
		expect(up.migrations.pending).toEqual([]);
	}, 90_000);
});
