/**
 * The wall runs unattended, signed in by its kiosk link (a device token in a cookie): (1) it
 * reconnects after a server restart — still signed in, the token lives in the database — and
 * catches up on what happened meanwhile; (2) a soak run with an accelerated live feed (the simulator at 1,200
 * incidents a minute: two and a half hours of a normal day's intake in a little over two
 * minutes) keeps the JS heap bounded and never shows an error. Each test runs its own server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { bearer, issueDeviceToken } from './auth';
import { startServer, type ServerProcess } from './serverProcess';

const DATA_DIR = process.env.E2E_DATA_DIR ?? 'var/e2e-data';

/** Opens the wall through a kiosk link an admin issued (as on the command centre's screen). */
async function wallReady(page: Page, url: string) {
	const token = await issueDeviceToken(url, 'e2e 大屏 (soak)');
	await page.goto(`${url}/kiosk/${token}?next=${encodeURIComponent('/wall?speed=0&dwell=5')}`);
	await expect(page).toHaveURL(/\/wall\?speed=0&dwell=5$/);
	await expect(page.getByTestId('kpi-closure').locator('b')).toHaveText(/%$/, { timeout: 90_000 });
	await expect.poll(() => page.evaluate(() => window.__WALL__?.live() ?? false)).toBe(true);
}

test('the wall reconnects after a server restart and catches up', async ({ page }) => {
	// Not the app under the shared web server: this one runs on its own port (so no origin guard).
	const pageErrors: string[] = [];
	page.on('pageerror', (e) => pageErrors.push(e.message));
	test.setTimeout(240_000);
	const dbDir = mkdtempSync(join(tmpdir(), 'onemap-wall-'));
	let server: ServerProcess | null = null;
	try {
		server = await startServer({ port: 4520, dbDir, dataDir: DATA_DIR });
		await wallReady(page, server.url);
		const before = await page.evaluate(() => window.__WALL__!.dataVersion());

		server.proc.kill('SIGTERM');
		await server.exited;
		await expect.poll(() => page.evaluate(() => window.__WALL__!.live())).toBe(false);
		server = await startServer({ port: 4520, dbDir, dataDir: DATA_DIR });
		// Written before the wall is back: it must arrive by replay from the wall's last rev.
		const officer = await bearer(server.url, 'e2e intake', 'officer');
		const street = (
			await (await fetch(`${server.url}/data/streets.geojson`, { headers: officer })).json()
		).features[0];
		const posted = await fetch(`${server.url}/api/incidents`, {
			method: 'POST',
			headers: { ...officer, 'content-type': 'application/json' },
			body: JSON.stringify({
				type: 'traffic',
				lon: street.properties.labelLon,
				lat: street.properties.labelLat
			})
		});
		expect(posted.status).toBe(201);
		await expect
			.poll(() => page.evaluate(() => window.__WALL__!.live()), { timeout: 60_000 })
			.toBe(true);
		await expect
			.poll(() => page.evaluate(() => window.__WALL__!.dataVersion()), { timeout: 30_000 })
			.toBeGreaterThan(before);
		expect(await page.evaluate(() => window.__WALL__!.error())).toBeNull();
		// Still signed in by the same device cookie: nobody had to open the kiosk link again.
		expect(await page.evaluate(() => window.__WALL__!.revoked())).toBe(false);
		expect(await page.evaluate(() => fetch('/api/session').then((r) => r.json()))).toMatchObject({
			via: 'device',
			user: { role: 'wall' }
		});
	} finally {
		server?.proc.kill('SIGTERM');
		await server?.exited;
		rmSync(dbDir, { recursive: true, force: true });
	}
	expect(pageErrors).toEqual([]);
});

test('soak: an accelerated live feed leaves the heap bounded and the wall error-free', async ({
	page,
	context
}) => {
	const pageErrors: string[] = [];
	page.on('pageerror', (e) => pageErrors.push(e.message));
	test.setTimeout(420_000);
	const dbDir = mkdtempSync(join(tmpdir(), 'onemap-soak-'));
	let server: ServerProcess | null = null;
	try {
		server = await startServer({
			port: 4521,
			dbDir,
			dataDir: DATA_DIR,
			env: { ONEMAP_SIMULATOR: 'on', ONEMAP_SIMULATOR_RATE: '1200' }
		});
		await wallReady(page, server.url);
		const cdp = await context.newCDPSession(page);
		const heap = async () => {
			await cdp.send('HeapProfiler.collectGarbage');
			return ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
		};
		// Warm-up: more than one full tour (overview, hotspots, alerting sites at 5 s each), so the
		// map has visited every place it will keep revisiting and its caches are full.
		await page.waitForTimeout(75_000);
		const warm = await heap();
		const samples: number[] = [];
		for (let i = 0; i < 8; i++) {
			await page.waitForTimeout(12_000);
			samples.push(await heap());
			expect(await page.evaluate(() => window.__WALL__!.error())).toBeNull();
			await expect(page.getByTestId('load-error')).toHaveCount(0);
		}
		const received = await page.evaluate(() => window.__WALL__!.dataVersion());
		console.log(
			`soak heap: warm ${(warm / 1e6).toFixed(1)} MB, samples ${samples.map((x) => (x / 1e6).toFixed(1)).join(' ')} MB, ${received} live batches`
		);
		test.info().annotations.push({
			type: 'heap',
			description: `warm ${(warm / 1e6).toFixed(1)} MB → ${samples.map((s) => (s / 1e6).toFixed(1)).join(', ')} MB; ${received} live batches`
		});
		expect(received).toBeGreaterThan(50);
		// Bounded: the last samples stay within 10 % of the heap after warm-up.
		const settled = Math.min(...samples.slice(-3));
		expect(settled).toBeLessThan(warm * 1.1);
		expect(pageErrors).toEqual([]);
	} finally {
		server?.proc.kill('SIGTERM');
		await server?.exited;
		rmSync(dbDir, { recursive: true, force: true });
	}
});
