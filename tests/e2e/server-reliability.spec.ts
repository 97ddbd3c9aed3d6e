/**
 * A write acknowledged is a write kept: the server is killed (SIGKILL, no shutdown code runs)
 * in the middle of a burst of intake, restarted on the same database folder, and every incident
 * it answered 201 for must be there — and no batch may be there in part.
 */
import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearer } from './auth';
import { startServer, type ServerProcess } from './serverProcess';

const PORT = 4510;
const DATA_DIR = process.env.E2E_DATA_DIR ?? 'var/e2e-data';

interface Stored {
	id: number;
	type: string;
	lon: number;
	lat: number;
	description: string;
}

test('every acknowledged incident survives a SIGKILL during a burst of intake', async () => {
	test.setTimeout(240_000);
	const dbDir = mkdtempSync(join(tmpdir(), 'onemap-kill-'));
	let server: ServerProcess | null = null;
	try {
		server = await startServer({ port: PORT, dbDir, dataDir: DATA_DIR });
		const url = server.url;
		// An intake client with a device token (role officer), as a non-browser integration is.
		const auth = await bearer(url, 'e2e intake burst', 'officer');
		// A point inside the jurisdiction: a street's label point lies inside the street.
		const streets = (await (
			await fetch(`${url}/data/streets.geojson`, { headers: auth })
		).json()) as {
			features: { properties: { labelLon: number; labelLat: number } }[];
		};
		const { labelLon, labelLat } = streets.features[0].properties;
		const centre = { lon: labelLon, lat: labelLat };

		const acknowledged: Stored[] = [];
		const batchesSent: string[] = [];
		let stop = false;
		let seq = 0;
		const worker = async (w: number) => {
			while (!stop) {
				const n = seq++;
				const batch = n % 3 === 0;
				const tag = `burst-${w}-${n}`;
				const one = (k: number) => ({
					type: ['dispute', 'traffic', 'pollution'][k % 3],
					lon: centre.lon + (k % 7) * 1e-6,
					lat: centre.lat,
					description: `${tag}-${k}`
				});
				const body = batch ? Array.from({ length: 10 }, (_, k) => one(k)) : one(0);
				if (batch) batchesSent.push(tag);
				try {
					const r = await fetch(`${url}/api/incidents`, {
						method: 'POST',
						headers: { ...auth, 'content-type': 'application/json' },
						body: JSON.stringify(body)
					});
					if (r.status !== 201) continue;
					const json = await r.json();
					acknowledged.push(...((batch ? json.incidents : [json]) as Stored[]));
				} catch {
					return; // the server died under this request: not acknowledged
				}
			}
		};
		const workers = [0, 1, 2, 3].map(worker);
		const started = Date.now();
		while (acknowledged.length < 300 && Date.now() - started < 20_000) {
			await new Promise((r) => setTimeout(r, 20));
		}
		server.proc.kill('SIGKILL');
		expect(await server.exited).toBe('SIGKILL');
		stop = true;
		await Promise.all(workers);
		expect(acknowledged.length).toBeGreaterThanOrEqual(300);

		// Same folder, stale lock file of a dead process: the restart must take over.
		server = await startServer({ port: PORT, dbDir, dataDir: DATA_DIR });
		const found = new Map<string, Stored & { properties?: unknown }>();
		let next: string | undefined =
			`${server.url}/ogc/collections/incidents/items?limit=10000&datetime=${new Date(started - 60_000).toISOString()}/..`;
		while (next) {
			const page = (await (await fetch(next, { headers: auth })).json()) as {
				features: { id: number; properties: { type: string; description: string | null } }[];
				links: { rel: string; href: string }[];
			};
			for (const f of page.features) {
				if (f.properties.description?.startsWith('burst-')) {
					found.set(f.properties.description, { ...f.properties, id: f.id } as Stored);
				}
			}
			next = page.links.find((l) => l.rel === 'next')?.href;
		}
		const missing = acknowledged.filter((a) => found.get(a.description)?.id !== a.id);
		expect(missing, 'acknowledged but lost').toEqual([]);
		const changed = acknowledged.filter((a) => found.get(a.description)?.type !== a.type);
		expect(changed, 'stored with another type').toEqual([]);
		// All of a batch or none of it, even for the batch in flight at the kill.
		const partial = batchesSent
			.map((tag) => [tag, [...found.keys()].filter((d) => d.startsWith(`${tag}-`)).length] as const)
			.filter(([, n]) => n !== 0 && n !== 10);
		expect(partial, 'batches stored in part').toEqual([]);
	} finally {
		if (server && server.proc.exitCode === null && server.proc.signalCode === null) {
			server.proc.kill('SIGTERM');
			await server.exited;
		}
		rmSync(dbDir, { recursive: true, force: true });
	}
});

test('a production start refuses demo passwords until they are changed', async () => {
	test.setTimeout(240_000);
	const dbDir = mkdtempSync(join(tmpdir(), 'onemap-prod-'));
	// A production start also needs ORIGIN (else it is refused before the database opens).
	const env = { ONEMAP_ENV: 'production', ORIGIN: `http://127.0.0.1:${PORT}` };
	let server: ServerProcess | null = null;
	try {
		// First start: the demo accounts are created, and the server refuses to serve with them.
		const refused = await startServer({ port: PORT, dbDir, dataDir: DATA_DIR, env }).then(
			() => null,
			(err: Error) => err.message
		);
		expect(refused).toContain(
			'refusing to start while these accounts still have their demo passwords: admin, officer, planner'
		);
		expect(refused).toContain('npm run user -- set-password admin');
		// The operator changes them from the console…
		for (const user of ['admin', 'officer', 'planner']) {
			const r = spawnSync(
				process.execPath,
				['--import', 'tsx', 'scripts/user.ts', 'set-password', user, `${user}-prod-secret`],
				{
					env: { ...process.env, ONEMAP_DB_DIR: dbDir },
					encoding: 'utf8'
				}
			);
			expect(r.status, r.stderr).toBe(0);
		}
		// …and now it starts; the new password signs in, the demo one does not.
		server = await startServer({ port: PORT, dbDir, dataDir: DATA_DIR, env });
		const login = (password: string) =>
			fetch(`${server!.url}/api/session`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', origin: server!.url },
				body: JSON.stringify({ username: 'admin', password })
			});
		expect((await login('onemap-admin')).status).toBe(401);
		expect((await login('admin-prod-secret')).status).toBe(200);
	} finally {
		server?.proc.kill('SIGTERM');
		await server?.exited;
		rmSync(dbDir, { recursive: true, force: true });
	}
});

/**
 * A PostgreSQL restart under intake load (issue 16 #1): `node build` on a throwaway cluster
 * (scripts/pg-test-cluster.sh on PGTEST_PORT), stopped with `-m immediate` while requests run.
 * The process must stay up, answer 503 with a message meanwhile, say so on /api/health, and take
 * intake again once PostgreSQL is back. Runs where the PostgreSQL server binaries are installed.
 */
test('the server survives a PostgreSQL restart under intake load', async () => {
	test.setTimeout(300_000);
	const pgPort = process.env.PGTEST_PORT ?? '55433';
	const cluster = (cmd: string) =>
		spawnSync('scripts/pg-test-cluster.sh', [cmd], {
			env: { ...process.env, PGTEST_PORT: pgPort },
			encoding: 'utf8'
		});
	const started = cluster('start');
	test.skip(started.status !== 0, `no PostgreSQL to test against: ${started.stderr}`);
	const databaseUrl = started.stdout.trim();
	const dbDir = mkdtempSync(join(tmpdir(), 'onemap-pgrestart-'));
	const port = Number(process.env.E2E_PORT ?? 4173) + 401;
	let server: ServerProcess | null = null;
	try {
		server = await startServer({
			port,
			dbDir,
			dataDir: DATA_DIR,
			env: { DATABASE_URL: databaseUrl },
			timeoutMs: 240_000
		});
		const url = server.url;
		const auth = await bearer(url, 'e2e restart intake', 'officer');
		const wall = await bearer(url, 'e2e restart wall', 'wall');
		const streets = (await (
			await fetch(`${url}/data/streets.geojson`, { headers: auth })
		).json()) as { features: { properties: { labelLon: number; labelLat: number } }[] };
		const { labelLon: lon, labelLat: lat } = streets.features[0].properties;
		const post = () =>
			fetch(`${url}/api/incidents`, {
				method: 'POST',
				headers: { ...auth, 'content-type': 'application/json' },
				body: JSON.stringify({ type: 'dispute', lon, lat })
			});

		// Up: ready, and HEAD /api/stream answers at once instead of holding a stream.
		const ready = await fetch(`${url}/api/health`);
		expect(ready.status).toBe(200);
		expect(await ready.json()).toMatchObject({ status: 'ready', database: { reachable: true } });
		const head = await fetch(`${url}/api/stream`, {
			method: 'HEAD',
			headers: wall,
			signal: AbortSignal.timeout(5000)
		});
		expect(head.status).toBe(200);
		expect(head.headers.get('content-type')).toMatch(/^text\/event-stream/);

		const statuses: number[] = [];
		const messages: string[] = [];
		let stop = false;
		const worker = async () => {
			while (!stop) {
				const r = await post();
				statuses.push(r.status);
				const body = await r.json();
				if (r.status !== 201) {
					messages.push(body.message);
					await new Promise((done) => setTimeout(done, 50));
				}
			}
		};
		const workers = [0, 1, 2, 3, 4, 5].map(worker);
		await new Promise((done) => setTimeout(done, 1500));
		expect(cluster('kill').status).toBe(0);
		await new Promise((done) => setTimeout(done, 1500));

		// Down: the process is alive, answers 503 + a message, and health says what is wrong.
		expect(server.proc.exitCode).toBeNull();
		const down = await fetch(`${url}/api/health`);
		expect(down.status).toBe(503);
		const health = await down.json();
		expect(health).toMatchObject({ status: 'unavailable', database: { reachable: false } });
		expect(health.database.problem).toMatch(/database unreachable/);
		const during = await post();
		expect(during.status).toBe(503);
		expect(during.headers.get('retry-after')).toBeTruthy();
		expect((await during.json()).message).toMatch(/database cannot be reached/);

		expect(cluster('resume').status).toBe(0);
		await expect
			.poll(async () => (await fetch(`${url}/api/health`)).status, { timeout: 30_000 })
			.toBe(200);
		stop = true;
		await Promise.all(workers);
		expect(server.proc.exitCode).toBeNull();
		expect(new Set(statuses)).toEqual(new Set([201, 503]));
		for (const m of messages) expect(m).toMatch(/database cannot be reached/);
		expect((await post()).status).toBe(201);
		expect(server.output()).not.toMatch(/Unhandled 'error' event/);
	} finally {
		server?.proc.kill('SIGTERM');
		await server?.exited;
		rmSync(dbDir, { recursive: true, force: true });
		cluster('stop');
	}
});
