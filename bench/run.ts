/**
 * `npm run bench`: the command map's engine on the million-incident demo city, in headless
 * Chromium against the built app, side by side with the plain-MapLibre baseline on the same points.
 * Prints a JSON summary (medians and p95 over repeated runs) and writes bench/results.json.
 *
 * Env: BENCH_INCIDENTS (default 1,000,000), BENCH_RUNS (page loads, default 3),
 * BENCH_REPEATS (filter changes per kind, default 15), BENCH_PORT (default 4310).
 */
import { signIn } from '../tests/e2e/auth';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { benchDataDir, ensureBenchCity } from './city';
import { CHROMIUM_ARGS } from '../playwright.config';
import '../src/lib/map/handle';

const root = resolve(import.meta.dirname, '..');
const incidents = Number(process.env.BENCH_INCIDENTS ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const repeats = Number(process.env.BENCH_REPEATS ?? 15);
const port = Number(process.env.BENCH_PORT ?? 4310);
const dataDir = benchDataDir(incidents);
const base = `http://127.0.0.1:${port}`;

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
	const s = [...xs].sort((a, b) => a - b);
	if (s.length === 0) return NaN;
	const i = (s.length - 1) * q;
	const lo = Math.floor(i);
	return s[lo] + (s[Math.ceil(i)] - s[lo]) * (i - lo);
}
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

function log(message: string) {
	process.stderr.write(`• ${message}\n`);
}

async function waitFor(url: string, timeoutMs: number) {
	const until = Date.now() + timeoutMs;
	while (Date.now() < until) {
		try {
			if ((await fetch(url)).ok) return;
		} catch {
			/* not up yet */
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

/** Waits until clusters that arrived after `since` have been drawn; returns that frame's time. */
async function drawnAfter(page: Page, since: number): Promise<number> {
	const handle = await page.waitForFunction(
		(t0) => {
			const h = window.__ONEMAP__;
			if (!h) return null;
			return h.clustersAt() > t0 && h.lastFrameAt() >= h.clustersAt() ? h.lastFrameAt() : null;
		},
		since,
		{ timeout: 120_000, polling: 'raf' }
	);
	return (await handle.jsonValue()) as number;
}

const queryMs: number[] = [];
/** Click → query asked, and clusters landed → drawn: where the time outside the query goes. */
const askMs: number[] = [];
const drawMs: number[] = [];

/** Waits until no query is pending and deck.gl has drawn nothing for 400 ms (a settled page). */
async function quiet(page: Page) {
	await page.waitForFunction(
		() => {
			const h = window.__ONEMAP__!;
			return !h.busy() && performance.now() - h.lastFrameAt() > 400;
		},
		null,
		{ timeout: 60_000, polling: 100 }
	);
}

/**
 * Clicks a control on a settled page (as an officer would, not mid-redraw) and measures until
 * the resulting clusters are on screen (ms).
 */
async function timeClick(page: Page, testId: string, settle = true): Promise<number> {
	if (settle) await quiet(page);
	const t0 = await page.evaluate((id) => {
		const now = performance.now();
		(document.querySelector(`[data-testid="${id}"]`) as HTMLElement).click();
		return now;
	}, testId);
	const total = (await drawnAfter(page, t0)) - t0;
	const h = await page.evaluate(() => {
		const o = window.__ONEMAP__!;
		return { query: o.clusterQueryMs(), landed: o.clustersAt(), frame: o.lastFrameAt() };
	});
	queryMs.push(h.query);
	askMs.push(h.landed - h.query - t0);
	drawMs.push(h.frame - h.landed);
	return total;
}

async function main() {
	ensureBenchCity(incidents);
	log('starting the built app (builds if stale)');
	const server = spawn(process.execPath, ['scripts/start.js'], {
		cwd: root,
		stdio: ['ignore', 'ignore', 'inherit'],
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ONEMAP_DATA_DIR: dataDir,
			ONEMAP_DB_DIR: join(root, 'var', `bench-db-${incidents}`),
			ONEMAP_SIMULATOR: 'off'
		}
	});
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [...CHROMIUM_ARGS, '--enable-precise-memory-info', '--js-flags=--expose-gc']
	});
	try {
		await waitFor(`${base}/api/session`, 600_000);
		// Signed in as the demo duty officer, like a person at the command map.
		const session = (await signIn(base, 'officer')).cookie.split('=');
		const signedIn = async (context: BrowserContext) =>
			context.addCookies([{ name: session[0], value: session.slice(1).join('='), url: base }]);
		const viewport = { width: 1280, height: 800 };

		// ── Ours: load, then filter changes ──────────────────────────────────────────────────────
		const load: { interactiveMs: number; engineMs: number; mb: number; heapMb: number }[] = [];
		const timeRange: number[] = [];
		const type: number[] = [];
		const rapid: number[] = [];
		const queries: Record<string, number[]> = { gridAggregateMs: [], hotspotsMs: [], radiusMs: [] };
		for (let run = 0; run < runs; run++) {
			const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
			await signedIn(context);
			const page = await context.newPage();
			let bytes = 0;
			page.on('response', (r) => {
				bytes += Number(r.headers()['content-length'] ?? 0);
			});
			await page.goto(`${base}/?speed=0`);
			const interactiveMs = await drawnAfter(page, 0);
			const summary = await page.evaluate(() => window.__ONEMAP__!.loadSummary()!);
			const cdp = await context.newCDPSession(page);
			await cdp.send('HeapProfiler.collectGarbage');
			const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
			load.push({
				interactiveMs,
				engineMs: summary.loadMs,
				mb: bytes / 1e6,
				heapMb: heap.usedSize / 1e6
			});
			log(
				`load ${run + 1}/${runs}: interactive ${round(interactiveMs, 0)} ms, engine ${round(summary.loadMs, 0)} ms, ${round(bytes / 1e6)} MB, heap ${round(heap.usedSize / 1e6)} MB`
			);
			if (run === 0) {
				for (let i = 0; i < repeats; i++) {
					timeRange.push(await timeClick(page, i % 2 === 0 ? 'preset-30' : 'preset-all'));
				}
				for (let i = 0; i < repeats; i++) {
					// Toggle one type off and on again: both are filter changes.
					type.push(await timeClick(page, 'chip-types-0'));
				}
				// Back to back, without waiting for the page to settle: with software GL the previous
				// change's frames still occupy the rasteriser, which is what this series shows.
				for (let i = 0; i < repeats; i++) {
					rapid.push(await timeClick(page, i % 2 === 0 ? 'preset-90' : 'preset-all', false));
				}
				log(
					`filter: time range p50 ${round(median(timeRange))} ms, type p50 ${round(median(type))} ms, back to back p50 ${round(median(rapid))} ms`
				);
				for (let i = 0; i < 5; i++) {
					const q = await page.evaluate(() => window.__ONEMAP__!.timeQueries());
					for (const [k, v] of Object.entries(q)) queries[k].push(v);
				}
			}
			await context.close();
		}

		// ── Baseline: the same points in a clustered GeoJSON source ─────────────────────────────
		const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
		await signedIn(context);
		const page = await context.newPage();
		await page.goto(`${base}/bench/baseline`);
		await page.waitForFunction(() => window.__BASELINE__, null, { timeout: 600_000 });
		const baselineFirst = await page.evaluate(() => window.__BASELINE__!.firstRenderMs);
		const baselineTime: number[] = [];
		const baselineType: number[] = [];
		const baselineRepeats = Math.max(2, Math.min(4, repeats));
		for (let i = 0; i < baselineRepeats; i++) {
			baselineTime.push(
				await page.evaluate((d) => window.__BASELINE__!.lastDays(d), i % 2 === 0 ? 30 : 366)
			);
			baselineType.push(
				await page.evaluate((t) => window.__BASELINE__!.onlyType(t), i % 2 === 0 ? 0 : null)
			);
		}
		log(
			`baseline: first render ${round(baselineFirst, 0)} ms, re-render p50 ${round(median(baselineTime), 0)} ms`
		);
		await context.close();

		const oursFilterP50 = median([...timeRange, ...type]);
		const baselineRerenderP50 = median([...baselineTime, ...baselineType]);
		const result = {
			incidents,
			machine: `${process.platform} ${process.arch}, Chromium headless, software WebGL`,
			runs,
			repeats,
			load_to_interactive_ms: round(median(load.map((l) => l.interactiveMs)), 0),
			load_to_interactive_p95_ms: round(
				quantile(
					load.map((l) => l.interactiveMs),
					0.95
				),
				0
			),
			engine_load_ms: round(median(load.map((l) => l.engineMs)), 0),
			transferred_mb: round(median(load.map((l) => l.mb))),
			js_heap_mb: round(median(load.map((l) => l.heapMb))),
			filter_time_range_p50_ms: round(median(timeRange)),
			filter_time_range_p95_ms: round(quantile(timeRange, 0.95)),
			filter_type_p50_ms: round(median(type)),
			filter_type_p95_ms: round(quantile(type, 0.95)),
			filter_back_to_back_p50_ms: round(median(rapid)),
			filter_back_to_back_p95_ms: round(quantile(rapid, 0.95)),
			filter_cluster_query_p50_ms: round(median(queryMs)),
			filter_cluster_query_p95_ms: round(quantile(queryMs, 0.95)),
			filter_click_to_query_p50_ms: round(median(askMs)),
			filter_landed_to_drawn_p50_ms: round(median(drawMs)),
			grid_aggregate_ms: round(median(queries.gridAggregateMs)),
			emerging_hotspots_ms: round(median(queries.hotspotsMs)),
			radius_query_ms: round(median(queries.radiusMs)),
			baseline_first_render_ms: round(baselineFirst, 0),
			baseline_rerender_time_range_p50_ms: round(median(baselineTime), 0),
			baseline_rerender_type_p50_ms: round(median(baselineType), 0),
			ratio_first_render_baseline_over_ours: round(
				baselineFirst / median(load.map((l) => l.interactiveMs)),
				2
			),
			ratio_filter_rerender_baseline_over_ours: round(baselineRerenderP50 / oursFilterP50, 1),
			targets: {
				filter_p95_ms_max: 150,
				ratio_filter_rerender_min: 10,
				load_to_interactive_ms_max: 4000,
				js_heap_mb_max: 600
			}
		};
		writeFileSync(join(root, 'bench', 'results.json'), JSON.stringify(result, null, 2) + '\n');
		console.log(JSON.stringify(result, null, 2));
	} finally {
		await browser.close();
		server.kill('SIGTERM');
	}
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
