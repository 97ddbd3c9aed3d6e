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
