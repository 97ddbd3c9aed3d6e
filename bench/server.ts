/**
 * `npm run bench:server`: the server side, on PGlite (embedded) and PostgreSQL side by side —
 * first start (create the database, load the demo city), restart, intake throughput (one
 * incident per request, sequential and 8 concurrent; batches of 1000) and SSE fan-out latency
 * from POST to 100 connected /api/stream clients. Prints JSON.
 *
 * PostgreSQL: BENCH_DATABASE_URL or DATABASE_URL (a throwaway database is created on that
 * server and dropped), else a throwaway local cluster via scripts/pg-test-cluster.sh when the
 * Debian packages are installed; otherwise its column says why it was skipped.
 *
 * Env: BENCH_INCIDENTS (demo city size, default 200000), BENCH_PORT (default 4520),
 * BENCH_SINGLE (single-incident requests, default 500), BENCH_BATCHES (default 20),
 * BENCH_SSE_CLIENTS (default 100), BENCH_SSE_ROUNDS (default 50), BENCH_OVERLOAD_RATE (offered
 * incidents/s, default 1000), BENCH_OVERLOAD_SECONDS (default 15), BENCH_RETRY_CAP_SECONDS
 * (default 120), BENCH_ONLY=overload (skip the throughput and fan-out parts), PGTEST_PORT (the
 * throwaway cluster's port, default 55499).
 *
 * BENCH_CASE_IMPORT=<rows>: only the case history import (issue 15, bench/cases.ts) of a
 * GB18030 12345 export of that many rows, then the same file again; on PGlite and PostgreSQL.
 *
 * Overload (issue 16): single-incident POSTs offered open-loop at BENCH_OVERLOAD_RATE, each with
 * an Idempotency-Key and a 10 s client timeout, while the sign-in page and an authenticated read
 * are timed every 100 ms; then every request the client gave up on is sent again with its key,
 * 8 at once, for at most BENCH_RETRY_CAP_SECONDS.
 * Measured with the default admission queues and, side by side, with them opened wide (the
 * baseline: no admission control).
 *
 * Two servers on the same PostgreSQL (`postgres.twoServers`, bench/multiServer.ts): SSE fan-out to
 * 1,000 clients spread over both (p95 per server, memory) and intake on one server against two.
 */
import { bearer } from '../tests/e2e/auth';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { MAX_STREAMS_PER_IDENTITY } from '../src/lib/server/live/sse';
import { caseImportBench } from './cases';
import { benchDataDir, ensureBenchCity } from './city';
import { measureMultiServer } from './multiServer';

const root = resolve(import.meta.dirname, '..');
const incidents = Number(process.env.BENCH_INCIDENTS ?? 200_000);
const port = Number(process.env.BENCH_PORT ?? 4520);
const singles = Number(process.env.BENCH_SINGLE ?? 500);
const batches = Number(process.env.BENCH_BATCHES ?? 20);
const sseClients = Number(process.env.BENCH_SSE_CLIENTS ?? 100);
const sseRounds = Number(process.env.BENCH_SSE_ROUNDS ?? 50);
const overloadRate = Number(process.env.BENCH_OVERLOAD_RATE ?? 1000);
const overloadSeconds = Number(process.env.BENCH_OVERLOAD_SECONDS ?? 15);
/** The retry of given-up requests: this many at once, for at most this long in all. */
const RETRY_CONCURRENCY = 8;
const retryCapSeconds = Number(process.env.BENCH_RETRY_CAP_SECONDS ?? 120);
/** BENCH_ONLY=overload: only the start, the restart and the write overload (both backends). */
const only = process.env.BENCH_ONLY ?? '';
if (only && only !== 'overload')
	throw new Error(`BENCH_ONLY: only "overload" is known, not "${only}"`);
const pgPort = process.env.PGTEST_PORT ?? '55499';
const dataDir = benchDataDir(incidents);
const base = `http://127.0.0.1:${port}`;

const log = (message: string) => process.stderr.write(`• ${message}\n`);
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
function quantile(xs: number[], q: number): number {
	const s = [...xs].sort((a, b) => a - b);
	if (!s.length) return NaN;
	const i = (s.length - 1) * q;
	const lo = Math.floor(i);
	return s[lo] + (s[Math.ceil(i)] - s[lo]) * (i - lo);
}
const stats = (xs: number[]) => ({
	p50: round(quantile(xs, 0.5)),
	p95: round(quantile(xs, 0.95)),
	max: round(Math.max(...xs))
});

function newest(path: string): number {
	if (!existsSync(path)) return 0;
	const info = statSync(path);
	if (!info.isDirectory()) return info.mtimeMs;
	return Math.max(0, ...readdirSync(path).map((n) => newest(join(path, n))));
}

function prepare(): void {
	ensureBenchCity(incidents, ['ignore', 'ignore', 'inherit']);
	const entry = join(root, 'build', 'index.js');
	const sources = ['src', 'static', 'package.json', 'svelte.config.js', 'vite.config.ts'];
	if (
		!existsSync(entry) ||
		statSync(entry).mtimeMs < Math.max(...sources.map((s) => newest(join(root, s))))
	) {
		log('building the app');
		const r = spawnSync(
			process.execPath,
			[join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'],
			{
				cwd: root,
				stdio: ['ignore', 'ignore', 'inherit']
			}
		);
		if (r.status !== 0) throw new Error('build failed');
	}
}

interface Server {
	proc: ChildProcess;
	exited: Promise<unknown>;
}

/** Authorization header of the benchmark's device token (set once the server is up). */
let auth: Record<string, string> = {};

async function startServer(
	env: Record<string, string>
): Promise<{ server: Server; seconds: number }> {
	const t0 = performance.now();
	const proc = spawn(process.execPath, ['build'], {
		cwd: root,
		stdio: ['ignore', 'ignore', 'pipe'],
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ONEMAP_DATA_DIR: dataDir,
			ONEMAP_SIMULATOR: 'off',
			// As `npm start` sets it: plan saves may exceed adapter-node's default 512K.
			BODY_SIZE_LIMIT: '16M',
			...env
		}
	});
	let stderr = '';
	proc.stderr!.on('data', (d) => (stderr += d));
	const exited = new Promise((r) => proc.once('exit', r));
	let dead = false;
	void exited.then(() => (dead = true));
	for (;;) {
		if (dead) throw new Error(`server exited during start-up: ${stderr}`);
		try {
			// Up once it answers (signed out: every route needs a sign-in).
			if ((await fetch(`${base}/api/session`)).ok) break;
		} catch {
			/* not yet */
		}
		if (performance.now() - t0 > 600_000) throw new Error('server did not start in 10 min');
		await new Promise((r) => setTimeout(r, 100));
	}
	return { server: { proc, exited }, seconds: round((performance.now() - t0) / 1000, 2) };
}

async function stopServer(s: Server): Promise<void> {
	s.proc.kill('SIGTERM');
	await s.exited;
}

/** A point inside the jurisdiction per grid (a street's label point is inside its street). */
async function points(): Promise<[number, number][]> {
	const streets = (await (
		await fetch(`${base}/data/streets.geojson`, { headers: auth })
	).json()) as {
		features: { properties: { labelLon: number; labelLat: number } }[];
	};
	return streets.features.map((f) => [f.properties.labelLon, f.properties.labelLat]);
}

function incident(p: [number, number], k: number, description?: string) {
	const types = ['dispute', 'traffic', 'pollution', 'livelihood', 'city_appearance'];
	return {
		type: types[k % types.length],
		lon: p[0],
		lat: p[1],
		source: 'grid_worker',
		description
	};
}

async function post(body: unknown): Promise<number> {
	const r = await fetch(`${base}/api/incidents`, {
		method: 'POST',
		headers: { ...auth, 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
	await r.arrayBuffer();
	if (r.status !== 201) throw new Error(`intake answered ${r.status}`);
	return r.status;
}

async function intakeSingle(pts: [number, number][], n: number, concurrency: number) {
	const latencies: number[] = [];
	let next = 0;
	const t0 = performance.now();
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < n) {
				const k = next++;
				const t = performance.now();
				await post(incident(pts[k % pts.length], k));
				latencies.push(performance.now() - t);
			}
		})
	);
	const seconds = (performance.now() - t0) / 1000;
	return {
		requests: n,
		concurrency,
		incidentsPerSecond: round(n / seconds),
		latencyMs: stats(latencies)
	};
}

async function intakeBatches(pts: [number, number][], count: number, size: number) {
	const latencies: number[] = [];
	const t0 = performance.now();
	for (let b = 0; b < count; b++) {
		const body = Array.from({ length: size }, (_, k) =>
			incident(pts[(b * size + k) % pts.length], k)
		);
		const t = performance.now();
		await post(body);
		latencies.push(performance.now() - t);
	}
	const seconds = (performance.now() - t0) / 1000;
	return {
		batches: count,
		batchSize: size,
		incidentsPerSecond: round((count * size) / seconds),
		latencyMs: stats(latencies)
	};
}

/** 100 SSE clients; each round one POST; latency = event arrival at a client − POST sent. */
async function sseFanOut(pts: [number, number][]) {
	const arrivals = new Map<number, number[]>();
	const controllers: AbortController[] = [];
	const ready: Promise<void>[] = [];
	// One device holds at most MAX_STREAMS_PER_IDENTITY streams: a wall of screens, a token each few.
	const streamAuth: Record<string, string>[] = [];
	for (let t = 0; t < Math.ceil(sseClients / MAX_STREAMS_PER_IDENTITY); t++)
		streamAuth.push(await bearer(base, `bench:sse-${t}-${Date.now()}`, 'wall'));
	for (let c = 0; c < sseClients; c++) {
		const ac = new AbortController();
		controllers.push(ac);
		ready.push(
			(async () => {
				const r = await fetch(`${base}/api/stream`, {
					signal: ac.signal,
					headers: streamAuth[Math.floor(c / MAX_STREAMS_PER_IDENTITY)]
				});
				if (r.status !== 200) throw new Error(`/api/stream answered ${r.status}`);
				const reader = r.body!.getReader();
				const decoder = new TextDecoder();
				let first = true;
				let hello!: () => void;
				const helloSeen = new Promise<void>((res) => (hello = res));
				void (async () => {
					let buffer = '';
					try {
						for (;;) {
							const { done, value } = await reader.read();
							if (done) return;
							const now = performance.now();
							buffer += decoder.decode(value, { stream: true });
							// Complete messages only: a marker split across chunks counts once.
							const end = buffer.lastIndexOf('\n\n');
							if (end < 0) continue;
							const complete = buffer.slice(0, end);
							buffer = buffer.slice(end + 2);
							if (first && complete.includes('event: hello')) {
								first = false;
								hello();
							}
							for (const m of complete.matchAll(/"description":"sse-(\d+)"/g)) {
								const k = Number(m[1]);
								if (!arrivals.has(k)) arrivals.set(k, []);
								arrivals.get(k)!.push(now);
							}
						}
					} catch {
						/* aborted */
					}
				})();
				await helloSeen;
			})()
		);
	}
	await Promise.all(ready);
	const sent = new Map<number, number>();
	for (let k = 0; k < sseRounds; k++) {
		sent.set(k, performance.now());
		await post(incident(pts[k % pts.length], k, `sse-${k}`));
		await new Promise((r) => setTimeout(r, 20));
	}
	await new Promise((r) => setTimeout(r, 1000));
	controllers.forEach((c) => c.abort());
	const latencies: number[] = [];
	let delivered = 0;
	for (const [k, t0] of sent) {
		const got = arrivals.get(k) ?? [];
		delivered += got.length;
		for (const t of got) latencies.push(t - t0);
	}
	return {
		clients: sseClients,
		events: sseRounds,
		delivered: `${delivered}/${sseClients * sseRounds}`,
		latencyMsFromPost: stats(latencies)
	};
}

/** Times GET `path` every 100 ms until `stop()`; the latencies in ms (a failure counts as 10 s). */
function probe(path: string, headers: Record<string, string>) {
	const latencies: number[] = [];
	let running = true;
	const done = (async () => {
		while (running) {
			const t = performance.now();
			try {
				const r = await fetch(`${base}${path}`, { headers, signal: AbortSignal.timeout(10_000) });
				await r.arrayBuffer();
				latencies.push(r.ok ? performance.now() - t : 10_000);
			} catch {
				latencies.push(10_000);
			}
			await new Promise((r) => setTimeout(r, 100));
		}
	})();
	return {
		async stop() {
			running = false;
			await done;
			return latencies;
		}
	};
}

/**
 * Sends each request the client gave up on again with its key, RETRY_CONCURRENCY at once (a 503
 * waits its Retry-After and goes again), until all are answered or BENCH_RETRY_CAP_SECONDS have passed; what
 * the cap left unsent is counted, not waited for.
 */
async function retryGivenUp(gaveUp: { key: string; body: unknown }[]) {
	const retried = { replayedFirstAnswer: 0, storedNow: 0, failed: 0, unansweredAtCap: 0 };
	const t0 = performance.now();
	const deadline = t0 + retryCapSeconds * 1000;
	let next = 0;
	async function worker() {
		while (next < gaveUp.length) {
			const { key, body } = gaveUp[next++];
			let r: Response | null = null;
			for (;;) {
				const left = deadline - performance.now();
				if (left <= 0) break;
				r = await fetch(`${base}/api/incidents`, {
					method: 'POST',
					headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': key },
					body: JSON.stringify(body),
					signal: AbortSignal.timeout(Math.ceil(Math.min(30_000, left)))
				}).catch(() => null);
				await r?.arrayBuffer();
				if (r?.status !== 503) break;
				const after = Number(r.headers.get('retry-after') ?? 1);
				await new Promise((done) => setTimeout(done, Math.max(0.1, after) * 1000));
			}
			if (r?.status === 201 && r.headers.get('idempotent-replayed')) retried.replayedFirstAnswer++;
			else if (r?.status === 201) retried.storedNow++;
			else if (performance.now() >= deadline) retried.unansweredAtCap++;
			else retried.failed++;
		}
	}
	await Promise.all(Array.from({ length: RETRY_CONCURRENCY }, worker));
	return { of: gaveUp.length, ...retried, seconds: round((performance.now() - t0) / 1000) };
}

/** Write overload: see the header. */
async function overload(pts: [number, number][], run: string) {
	const answers = { stored: 0, refused503: 0, clientTimeouts: 0, otherErrors: 0 };
	const gaveUp: { key: string; body: unknown }[] = [];
	const login = probe('/login', {});
	const read = probe('/api/alerts?open=1&limit=1', auth);
	const sent: Promise<void>[] = [];
	const t0 = performance.now();
	const total = Math.round(overloadRate * overloadSeconds);
	for (let k = 0; k < total; k++) {
		const due = t0 + (k * 1000) / overloadRate;
		const wait = due - performance.now();
		if (wait > 1) await new Promise((r) => setTimeout(r, wait));
		const key = `${run}-${k}`;
		const body = incident(pts[k % pts.length], k, `overload-${key}`);
		sent.push(
			fetch(`${base}/api/incidents`, {
				method: 'POST',
				headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': key },
				body: JSON.stringify(body),
				signal: AbortSignal.timeout(10_000)
			})
				.then(async (r) => {
					await r.arrayBuffer();
					if (r.status === 201) answers.stored++;
					else if (r.status === 503) answers.refused503++;
					else answers.otherErrors++;
				})
				.catch(() => {
					answers.clientTimeouts++;
					gaveUp.push({ key, body });
				})
		);
	}
	const offeredSeconds = (performance.now() - t0) / 1000;
	await Promise.all(sent);
	const [loginMs, readMs] = [await login.stop(), await read.stop()];
	// The client gave up on these; were they committed anyway? The retry with the key says so.
	const retried = await retryGivenUp(gaveUp);
	return {
		offered: total,
		offeredPerSecond: round(total / offeredSeconds),
		...answers,
		storedPerSecond: round(answers.stored / offeredSeconds),
		retryOfGivenUp: retried,
		loginPageMs: stats(loginMs),
		authenticatedReadMs: stats(readMs)
	};
}

/** Intake throughput, SSE fan-out and the snapshot after the writes. */
async function throughput(name: string, pts: [number, number][]) {
	log(`${name}: intake, one incident per request`);
	const single = await intakeSingle(pts, singles, 1);
	const single8 = await intakeSingle(pts, singles, 8);
	log(`${name}: intake, batches`);
	const batch = await intakeBatches(pts, batches, 1000);
	log(`${name}: SSE fan-out to ${sseClients} clients`);
	const sse = await sseFanOut(pts);
	const t = performance.now();
	const snapshot = await fetch(`${base}/data/incidents.arrow`, { headers: auth });
	const bytes = (await snapshot.arrayBuffer()).byteLength;
	return {
		intakeSingle: single,
		intakeSingleConcurrent: single8,
		intakeBatch: batch,
		sseFanOut: sse,
		snapshotAfterWrites: { ms: round(performance.now() - t), bytes }
	};
}

async function measure(name: string, env: Record<string, string>) {
	log(`${name}: first start (new database, ${incidents.toLocaleString('en')} incidents)`);
	const first = await startServer(env);
	let server = first.server;
	try {
		// The benchmark is an integration client: an officer-role device token (Bearer), issued by
		// the demo admin on the new database; it stays valid across the restart.
		auth = await bearer(base, 'bench:server', 'officer');
		await stopServer(server);
		log(`${name}: restart`);
		const again = await startServer(env);
		server = again.server;
		const pts = await points();
		await intakeSingle(pts, 50, 1); // warm-up
		const rest = only === 'overload' ? {} : await throughput(name, pts);
		log(`${name}: write overload, ${overloadRate}/s for ${overloadSeconds} s (admission control)`);
		const admitted = await overload(pts, `${name}-admitted-${Date.now()}`);
		await stopServer(server);
		log(`${name}: write overload, baseline without admission control`);
		server = (
			await startServer({ ...env, ONEMAP_WRITE_ACTIVE: '100000', ONEMAP_WRITE_QUEUE: '100000' })
		).server;
		const baseline = await overload(pts, `${name}-baseline-${Date.now()}`);
		return {
			firstStartSeconds: first.seconds,
			restartSeconds: again.seconds,
			...rest,
			writeOverload: {
				admissionControl: admitted,
				baselineNoAdmission: baseline,
				loginP95Ratio: round(baseline.loginPageMs.p95 / admitted.loginPageMs.p95, 2),
				goal: '/login p95 ≤ 250 ms under write overload'
			}
		};
	} finally {
		await stopServer(server);
	}
}

async function withPostgres<T>(fn: (url: string) => Promise<T>): Promise<T | { skipped: string }> {
	let adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? null;
	let cluster = false;
	if (!adminUrl) {
		const script = join(root, 'scripts', 'pg-test-cluster.sh');
		const r = spawnSync(script, ['start'], {
			env: { ...process.env, PGTEST_PORT: pgPort },
			encoding: 'utf8'
		});
		if (r.status !== 0)
			return { skipped: `no DATABASE_URL and no local PostgreSQL: ${r.stderr.trim()}` };
		adminUrl = r.stdout.trim();
		cluster = true;
	}
	const name = `onemap_bench_${Date.now()}`;
	const admin = new pg.Client({ connectionString: adminUrl });
	await admin.connect();
	try {
		await admin.query(`CREATE DATABASE ${name}`);
		const url = new URL(adminUrl);
		url.pathname = `/${name}`;
		const version = (await admin.query('SHOW server_version')).rows[0].server_version as string;
		const result = await fn(url.toString());
		return {
			server: `PostgreSQL ${version}${cluster ? ' (throwaway local cluster, default settings: fsync on)' : ''}`,
			...result
		};
	} finally {
		await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
		await admin.end();
		if (cluster)
			spawnSync(join(root, 'scripts', 'pg-test-cluster.sh'), ['stop'], {
				env: { ...process.env, PGTEST_PORT: pgPort }
			});
	}
}

/** BENCH_CASE_IMPORT=<rows>: only the case history import (bench/cases.ts), PGlite and PostgreSQL. */
async function caseImportOnly(rows: number) {
	const city = ensureBenchCity(incidents, ['ignore', 'ignore', 'inherit']);
	const dbDir = mkdtempSync(join(tmpdir(), 'onemap-bench-db-'));
	try {
		log(`PGlite: case import, ${rows.toLocaleString('en')} rows`);
		const pglite = await caseImportBench({ databaseUrl: null, dbDir }, city, rows);
		const postgres = await withPostgres((url) => {
			log(`PostgreSQL: case import, ${rows.toLocaleString('en')} rows`);
			return caseImportBench({ databaseUrl: url, dbDir }, city, rows);
		});
		const machine = { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version };
		console.log(
			JSON.stringify(
				{ machine, demoIncidents: incidents, caseImport: { pglite, postgres } },
				null,
				2
			)
		);
	} finally {
		rmSync(dbDir, { recursive: true, force: true });
	}
}

async function main() {
	const caseRows = Number(process.env.BENCH_CASE_IMPORT ?? 0);
	if (caseRows > 0) return caseImportOnly(caseRows);
	prepare();
	const dbDir = mkdtempSync(join(tmpdir(), 'onemap-bench-db-'));
	try {
		const pglite = await measure('PGlite', { ONEMAP_DB_DIR: dbDir, DATABASE_URL: '' });
		const postgres = await withPostgres(async (url) => ({
			...(await measure('PostgreSQL', { DATABASE_URL: url })),
			twoServers: await measureMultiServer(url, dataDir)
		}));
		const result = {
			machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
			demoIncidents: incidents,
			pglite: { server: 'PGlite 0.5 + PostGIS (embedded, WASM)', ...pglite },
			postgres
		};
		console.log(JSON.stringify(result, null, 2));
	} finally {
		rmSync(dbDir, { recursive: true, force: true });
	}
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
