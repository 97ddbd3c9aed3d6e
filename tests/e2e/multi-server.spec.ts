/**
 * Several app servers on one PostgreSQL (issue 16): two `node build` processes share a
 * throwaway cluster (scripts/pg-test-cluster.sh, on its own port). An incident posted to one
 * reaches a live stream and the command map served by the other within 1 s; a device revoked
 * through one loses its stream on the other; follow mode pushed through one shows on the other;
 * exactly one of them runs the simulator and the plan scheduler, and the other takes over when
 * that one is killed. Skipped where no PostgreSQL server is installed.
 *   E2E_PG_PORT (default 55439), E2E_MULTI_PORTS (default 4541,4542) */
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { signIn } from './auth';
import { startServer, type ServerProcess } from './serverProcess';

const ROOT = resolve(import.meta.dirname, '../..');
const CLUSTER = join(ROOT, 'scripts/pg-test-cluster.sh');
const PG_PORT = process.env.E2E_PG_PORT ?? '55439';
const [PORT_A, PORT_B] = (process.env.E2E_MULTI_PORTS ?? '4541,4542').split(',').map(Number);
const DATA_DIR = process.env.E2E_DATA_DIR ?? 'var/e2e-data';

/** As .ci/run checks: Debian's server binaries and PostGIS for one of its versions. */
function postgresInstalled(): boolean {
	const versions = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);
	return (
		versions('/usr/lib/postgresql').some((v) =>
			existsSync(`/usr/lib/postgresql/${v}/bin/pg_ctl`)
		) &&
		versions('/usr/share/postgresql').some((v) =>
			existsSync(`/usr/share/postgresql/${v}/extension/postgis.control`)
		)
	);
}
const havePostgres = postgresInstalled();

const cluster = (cmd: 'start' | 'stop') =>
	execFileSync(CLUSTER, [cmd], {
		env: { ...process.env, PGTEST_PORT: PG_PORT },
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit']
	}).trim();

interface Health {
	status: string;
	bus: { kind: string; connected?: boolean };
	jobs: { leader: boolean; simulator: string };
}

const health = async (s: ServerProcess): Promise<Health> =>
	(await fetch(`${s.url}/api/health`)).json() as Promise<Health>;

/** A live stream read from Node: its text so far, and whether the server ended it. */
function openStream(url: string, headers: Record<string, string>) {
	const state = { text: '', ended: false, status: 0 };
	const controller = new AbortController();
	const done = (async () => {
		const r = await fetch(`${url}/api/stream`, { headers, signal: controller.signal });
		state.status = r.status;
		const reader = r.body!.getReader();
		const decoder = new TextDecoder();
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			state.text += decoder.decode(value, { stream: true });
		}
		state.ended = true;
	})().catch(() => {});
	return { state, done, stop: () => controller.abort() };
}

async function until(what: () => boolean | Promise<boolean>, ms: number): Promise<number> {
	const t0 = Date.now();
	while (!(await what())) {
		if (Date.now() - t0 > ms) throw new Error(`not within ${ms} ms`);
		await new Promise((r) => setTimeout(r, 10));
	}
	return Date.now() - t0;
}

test('two app servers on one PostgreSQL share the live feed, revocations and one leader', async ({
	browser
}) => {
	test.skip(!havePostgres, 'no PostgreSQL + PostGIS server installed (pg_ctl not found)');
	test.setTimeout(300_000);
	const dbDir = mkdtempSync(join(tmpdir(), 'onemap-multi-'));
	const servers: ServerProcess[] = [];
	const streams: { stop(): void }[] = [];
	try {
		const url = cluster('start');
		const env = {
			DATABASE_URL: url,
			ONEMAP_SIMULATOR: 'on',
			ONEMAP_SIMULATOR_RATE: '2',
			ONEMAP_LEADER_RETRY_MS: '500',
			ONEMAP_DEMO_INCIDENTS: '20000'
		};
		// One after the other: the first loads the demo city into the empty database.
		const a = await startServer({ port: PORT_A, dbDir, dataDir: DATA_DIR, env });
		servers.push(a);
		const b = await startServer({ port: PORT_B, dbDir, dataDir: DATA_DIR, env });
		servers.push(b);
		for (const s of servers) {
			const h = await health(s);
			expect(h.status).toBe('ready');
			expect(h.bus).toMatchObject({ kind: 'postgres', connected: true });
		}

		// Exactly one leader: the one that started first.
		const jobs = await Promise.all(servers.map(async (s) => (await health(s)).jobs));
		expect(jobs.map((j) => j.leader)).toEqual([true, false]);
		expect(jobs.map((j) => j.simulator)).toEqual(['running', 'standby']);

		// An incident posted to A reaches a stream served by B within 1 s.
		const officerA = await signIn(a.url, 'officer');
		const officerB = await signIn(b.url, 'officer');
		const onB = openStream(b.url, officerB);
		streams.push(onB);
		await until(() => onB.state.text.includes('event: hello'), 10_000);
		// The standby relays the leader's simulator: patrol positions arrive on B too.
		await until(() => onB.state.text.includes('event: patrols'), 10_000);
		// The command map served by B, signed in there.
		const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
		const [name, value] = officerB.cookie.split('=');
		await context.addCookies([{ name, value, url: b.url }]);
		const map = await context.newPage();
		await map.goto(`${b.url}/?clock=10:00&speed=0`);
		await expect(map.getByTestId('incident-total')).toBeVisible({ timeout: 60_000 });
		await expect(map.getByTestId('live-status')).toContainText('实时', { timeout: 30_000 });
		const total = () => map.evaluate(() => window.__ONEMAP__?.incidentTotal() ?? null);
		await expect.poll(total, { timeout: 60_000 }).not.toBeNull();
		const totalBefore = (await total())!;
		const tag = `multi-server-${Date.now()}`;
		const streets = (await (
			await fetch(`${a.url}/data/streets.geojson`, { headers: officerA })
		).json()) as { features: { properties: { labelLon: number; labelLat: number } }[] };
		const { labelLon, labelLat } = streets.features[0].properties;
		const posted = await fetch(`${a.url}/api/incidents`, {
			method: 'POST',
			headers: { ...officerA, 'content-type': 'application/json' },
			body: JSON.stringify({ type: 'dispute', lon: labelLon, lat: labelLat, description: tag })
		});
		expect(posted.status).toBe(201);
		const ms = await until(() => onB.state.text.includes(tag), 1000);
		console.log(`incident posted to A reached B's stream in ${ms} ms`);
		expect(onB.state.text.split(tag).length - 1).toBe(1); // once
		// …and on B's map (the simulator may add one of its own meanwhile: at least one more).
		await expect
			.poll(total, { intervals: [50], timeout: 1000 + 250 }) // + the poll's own granularity
			.toBeGreaterThan(totalBefore);
		await context.close();

		// A device revoked through A loses its stream on B at once.
		const admin = await signIn(a.url, 'admin');
		const issued = await fetch(`${a.url}/api/admin/devices`, {
			method: 'POST',
			headers: { ...admin, 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'multi-server wall', role: 'wall' })
		});
		expect(issued.status).toBe(201);
		const { device, token } = (await issued.json()) as { device: { id: number }; token: string };
		const wall = openStream(b.url, { authorization: `Bearer ${token}` });
		streams.push(wall);
		await until(() => wall.state.text.includes('event: hello'), 10_000);
		const revoked = await fetch(`${a.url}/api/admin/devices/${device.id}`, {
			method: 'DELETE',
			headers: admin
		});
		expect(revoked.status).toBe(200);
		const closeMs = await until(() => wall.state.ended, 1000);
		console.log(`revocation through A ended the stream on B in ${closeMs} ms`);
		expect(onB.state.ended).toBe(false);
		expect(
			(await fetch(`${b.url}/api/stream`, { headers: { authorization: `Bearer ${token}` } })).status
		).toBe(401);

		// Follow mode pushed through A: B's wall stream is told, and B answers the same state.
		const pushed = await fetch(`${a.url}/api/wall/follow`, {
			method: 'POST',
			headers: { ...officerA, 'content-type': 'application/json' },
			body: JSON.stringify({ center: [labelLon, labelLat], zoom: 15 })
		});
		expect(pushed.status).toBe(200);
		await until(() => /event: wall\ndata: [^\n]*"mode":"follow"/.test(onB.state.text), 1000);
		const followB = await fetch(`${b.url}/api/wall/follow`, { headers: officerB });
		expect(await followB.json()).toMatchObject({ mode: 'follow', zoom: 15 });

		// The leader dies: B takes over the simulator and the scheduler.
		a.proc.kill('SIGKILL');
		await a.exited;
		const takeover = await until(async () => {
			const { jobs } = await health(b);
			return jobs.leader && jobs.simulator === 'running';
		}, 15_000);
		console.log(`B took over the simulator and the scheduler ${takeover} ms after A was killed`);
	} finally {
		streams.forEach((s) => s.stop());
		for (const s of servers) {
			if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGTERM');
			await s.exited;
		}
		if (havePostgres) cluster('stop');
		rmSync(dbDir, { recursive: true, force: true });
	}
});
