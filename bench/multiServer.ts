/**
 * Two app servers on one PostgreSQL (issue 16), for `npm run bench:server` (its PostgreSQL part
 * calls `measureMultiServer` on the database it filled) or alone:
 *   PGTEST_PORT=55601 URL=$(scripts/pg-test-cluster.sh start)
 *   BENCH_DATA_DIR=var/e2e-data npx tsx bench/multiServer.ts "$URL"
 *
 * - SSE fan-out: BENCH_MULTI_SSE_CLIENTS (default 1000) /api/stream clients, half on each server;
 *   BENCH_MULTI_ROUNDS incidents posted to the first; latency from POST to each client's receipt,
 *   for clients of the server that took the POST and of the other one (LISTEN/NOTIFY + a read);
 *   each server's resident memory before and with the clients.
 * - Intake throughput: 8 concurrent clients posting single incidents for BENCH_MULTI_SECONDS
 *   (default 10) to one server, then spread over both.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearer } from '../tests/e2e/auth';
import { startServer, type ServerProcess } from '../tests/e2e/serverProcess';
import { MAX_STREAMS_PER_IDENTITY } from '../src/lib/server/live/sse';

const clients = Number(process.env.BENCH_MULTI_SSE_CLIENTS ?? 1000);
const rounds = Number(process.env.BENCH_MULTI_ROUNDS ?? 20);
const seconds = Number(process.env.BENCH_MULTI_SECONDS ?? 10);
const basePort = Number(process.env.BENCH_PORT ?? 4520) + 10;

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
const log = (message: string) => process.stderr.write(`• ${message}\n`);

/** Resident memory of a process, MB (Linux). */
function rssMb(s: ServerProcess): number {
	const status = readFileSync(`/proc/${s.proc.pid}/status`, 'utf8');
	const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
	return round(kb / 1024);
}

async function points(url: string, auth: Record<string, string>): Promise<[number, number][]> {
	const streets = (await (
		await fetch(`${url}/data/streets.geojson`, { headers: auth })
	).json()) as {
		features: { properties: { labelLon: number; labelLat: number } }[];
	};
	return streets.features.map((f) => [f.properties.labelLon, f.properties.labelLat]);
}

async function post(
	url: string,
	auth: Record<string, string>,
	p: [number, number],
	description: string
): Promise<void> {
	const r = await fetch(`${url}/api/incidents`, {
		method: 'POST',
		headers: { ...auth, 'content-type': 'application/json' },
		body: JSON.stringify({ type: 'dispute', lon: p[0], lat: p[1], description })
	});
	await r.arrayBuffer();
	if (r.status !== 201) throw new Error(`intake answered ${r.status}`);
}

async function fanOut(
	servers: ServerProcess[],
	auth: Record<string, string>,
	pts: [number, number][]
) {
	const arrivals = new Map<string, number[]>(); // `${server}:${k}` → receipt times
	const controllers: AbortController[] = [];
	const ready: Promise<void>[] = [];
	const tokens: Record<string, string>[] = [];
	for (let t = 0; t < Math.ceil(clients / MAX_STREAMS_PER_IDENTITY); t++)
		tokens.push(await bearer(servers[0].url, `bench:multi-${t}-${Date.now()}`, 'officer'));
	// After the sign-ins that issue the tokens (scrypt's memory is not the streams').
	const memoryBefore = servers.map(rssMb);
	for (let c = 0; c < clients; c++) {
		const on = c % 2;
		const ac = new AbortController();
		controllers.push(ac);
		ready.push(
			(async () => {
				const r = await fetch(`${servers[on].url}/api/stream`, {
					signal: ac.signal,
					headers: tokens[Math.floor(c / MAX_STREAMS_PER_IDENTITY)]
				});
				if (r.status !== 200)
					throw new Error(`/api/stream answered ${r.status}: ${(await r.text()).slice(0, 200)}`);
				const reader = r.body!.getReader();
				const decoder = new TextDecoder();
				let hello!: () => void;
				const seen = new Promise<void>((res) => (hello = res));
				void (async () => {
					let buffer = '';
					try {
						for (;;) {
							const { done, value } = await reader.read();
							if (done) return;
							const now = performance.now();
							buffer += decoder.decode(value, { stream: true });
							const end = buffer.lastIndexOf('\n\n');
							if (end < 0) continue;
							const complete = buffer.slice(0, end);
							buffer = buffer.slice(end + 2);
							if (complete.includes('event: hello')) hello();
							for (const m of complete.matchAll(/"description":"multi-(\d+)"/g)) {
								const key = `${on}:${m[1]}`;
								if (!arrivals.has(key)) arrivals.set(key, []);
								arrivals.get(key)!.push(now);
							}
						}
					} catch {
						/* aborted */
					}
				})();
				await seen;
			})()
		);
	}
	await Promise.all(ready);
	const memoryWithClients = servers.map(rssMb);
	const sent = new Map<number, number>();
	for (let k = 0; k < rounds; k++) {
		sent.set(k, performance.now());
		await post(servers[0].url, auth, pts[k % pts.length], `multi-${k}`);
		await new Promise((r) => setTimeout(r, 50));
	}
	await new Promise((r) => setTimeout(r, 1500));
	controllers.forEach((c) => c.abort());
	const latency = [[], []] as number[][];
	const delivered = [0, 0];
	for (const [k, t0] of sent) {
		for (const on of [0, 1]) {
			const got = arrivals.get(`${on}:${k}`) ?? [];
			delivered[on] += got.length;
			latency[on].push(...got.map((t) => t - t0));
		}
	}
	const half = [Math.ceil(clients / 2), Math.floor(clients / 2)];
	return {
		clients,
		events: rounds,
		sameServer: {
			delivered: `${delivered[0]}/${half[0] * rounds}`,
			latencyMsFromPost: stats(latency[0])
		},
		otherServer: {
			delivered: `${delivered[1]}/${half[1] * rounds}`,
			latencyMsFromPost: stats(latency[1])
		},
		memoryMb: { before: memoryBefore, withClients: memoryWithClients }
	};
}

async function throughput(urls: string[], auth: Record<string, string>, pts: [number, number][]) {
	let done = 0;
	let failed = 0;
	const end = performance.now() + seconds * 1000;
	await Promise.all(
		Array.from({ length: 8 }, async (_, w) => {
			for (let k = 0; performance.now() < end; k++) {
				try {
					await post(urls[w % urls.length], auth, pts[(w * 31 + k) % pts.length], 'bench:multi');
					done++;
				} catch {
					failed++;
				}
			}
		})
	);
	return { servers: urls.length, perSecond: round(done / seconds), failed };
}

/** Both measurements against `databaseUrl` (migrated and loaded, or empty: the first loads it). */
export async function measureMultiServer(databaseUrl: string, dataDir: string) {
	const dbDir = mkdtempSync(join(tmpdir(), 'onemap-bench-multi-'));
	const env = { DATABASE_URL: databaseUrl, ONEMAP_SIMULATOR: 'off' };
	const servers: ServerProcess[] = [];
	try {
		log('two servers: starting');
		for (const port of [basePort + 1, basePort + 2])
			servers.push(await startServer({ port, dbDir, dataDir, env, timeoutMs: 600_000 }));
		const auth = await bearer(servers[0].url, 'bench:multi', 'officer');
		const pts = await points(servers[0].url, auth);
		log(`two servers: SSE fan-out to ${clients} clients`);
		const sse = await fanOut(servers, auth, pts);
		log(`two servers: intake throughput, ${seconds} s on one, then on both`);
		const one = await throughput([servers[0].url], auth, pts);
		const two = await throughput(
			servers.map((s) => s.url),
			auth,
			pts
		);
		return {
			sseFanOut: sse,
			intakeThroughput: {
				oneServer: one,
				twoServers: two,
				ratio: round(two.perSecond / one.perSecond, 2)
			}
		};
	} finally {
		for (const s of servers) {
			s.proc.kill('SIGTERM');
			await s.exited;
		}
		rmSync(dbDir, { recursive: true, force: true });
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const url = process.argv[2] ?? process.env.DATABASE_URL;
	if (!url) {
		console.error('usage: tsx bench/multiServer.ts <DATABASE_URL>');
		process.exit(2);
	}
	measureMultiServer(url, process.env.BENCH_DATA_DIR ?? 'var/e2e-data')
		.then((r) => console.log(JSON.stringify(r, null, 2)))
		.catch((err) => {
			console.error(err);
			process.exit(1);
		});
}
