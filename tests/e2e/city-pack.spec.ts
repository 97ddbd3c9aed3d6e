/**
 * An admin brings a real city (issue 12): on /admin → 城市数据 a refused pack shows its located
 * problems and changes nothing; the real Tianjin districts pack (data/packs/tianjin) is checked,
 * imported with progress, and the open command map and wall show the new city without a
 * restart — the wall even when it was offline at the moment of the import. Runs on its own server and database: the import replaces the demo city.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { expect, test } from '@playwright/test';
import { signIn } from './auth';
import { pmtilesFile } from './pmtiles';
import { startServer, type ServerProcess } from './serverProcess';

const PORT = 4530;
const DATA_DIR = process.env.E2E_DATA_DIR ?? 'var/e2e-data';
const TIANJIN = 'data/packs/tianjin';

async function zipPack(
	change: (manifest: Record<string, unknown>) => void = () => {},
	extra: Record<string, Buffer> = {}
) {
	const zip = new JSZip();
	for (const [name, bytes] of Object.entries(extra)) zip.file(`tianjin/${name}`, bytes);
	for (const name of readdirSync(TIANJIN)) {
		if (name === 'city.json') {
			const manifest = JSON.parse(readFileSync(join(TIANJIN, name), 'utf8'));
			change(manifest);
			zip.file(`tianjin/${name}`, JSON.stringify(manifest));
		} else zip.file(`tianjin/${name}`, readFileSync(join(TIANJIN, name)));
	}
	return zip.generateAsync({ type: 'nodebuffer' });
}

let server: ServerProcess | null = null;
const dbDir = mkdtempSync(join(tmpdir(), 'onemap-citypack-e2e-'));

test.afterAll(async () => {
	server?.proc.kill('SIGTERM');
	await server?.exited;
	rmSync(dbDir, { recursive: true, force: true });
});

test('a refused pack changes nothing; the real Tianjin pack replaces the demo city live', async ({
	browser
}) => {
	test.setTimeout(420_000);
	server = await startServer({ port: PORT, dbDir, dataDir: DATA_DIR });
	const base = server.url;
	const headers = await signIn(base, 'admin');
	const [name, value] = headers.cookie.split('=');
	const context = await browser.newContext({ baseURL: base });
	await context.addCookies([{ name, value, url: base }]);
	const errors: string[] = [];
	const offOrigin: string[] = [];
	const page = await context.newPage();
	page.on('pageerror', (e) => errors.push(e.message));
	context.on('request', (r) => {
		const url = r.url();
		if (!url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== base)
			offOrigin.push(url);
	});
	const tileReads: number[] = [];
	page.on('response', (r) => {
		if (new URL(r.url()).pathname.startsWith('/data/basemap/')) tileReads.push(r.status());
	});
	const request = {
		get: (path: string) => fetch(base + path, { headers }).then((r) => r)
	};
	await page.goto('/');
	await expect(page.getByTestId('city-name')).toContainText('滨海新区');
	// The wall in its own browser, offline while the city changes: it misses the `city` event
	// and learns of the new city from the stream's hello when it reconnects.
	const wallContext = await browser.newContext({ baseURL: base });
	await wallContext.addCookies([{ name, value, url: base }]);
	const wall = await wallContext.newPage();
	wall.on('pageerror', (e) => errors.push(e.message));
	await wall.goto('/wall');
	await expect(wall.getByTestId('wall-title')).toContainText('滨海新区');
	const before = await (await request.get('/data/manifest.json')).json();

	const admin = await context.newPage();
	await admin.goto('/admin');
	await admin.getByTestId('admin-tab-city').click();
	await expect(admin.getByTestId('city-loaded-name')).toContainText('滨海新区');

	// At a 1 m tolerance the real boundaries' overlaps are refused, each located.
	await admin.getByTestId('city-file').setInputFiles({
		name: 'tianjin-strict.zip',
		mimeType: 'application/zip',
		buffer: await zipPack((m) => (m.toleranceM = 1))
	});
	await admin.getByTestId('city-check').click();
	await expect(admin.getByTestId('city-verdict')).toContainText('拒绝导入');
	await expect(admin.getByTestId('city-errors').locator('li').first()).toContainText(
		'coverage-overlap'
	);
	await expect(admin.getByTestId('city-import')).toBeDisabled();
	expect((await (await request.get('/data/manifest.json')).json()).city).toEqual(before.city);

	// The pack as published, with a vector basemap of its own (PMTiles, served from this origin):
	// repaired within its tolerance, imported with progress.
	const basemap = pmtilesFile([116.6, 38.5, 118.1, 40.3], [117.1, 39.0, 117.3, 39.2]);
	await admin.getByTestId('city-file').setInputFiles({
		name: 'tianjin.zip',
		mimeType: 'application/zip',
		buffer: await zipPack(
			(m) =>
				(m.basemap = {
					kind: 'pmtiles',
					file: 'basemap/tianjin.pmtiles',
					flavor: 'protomaps',
					attribution: 'e2e fixture'
				}),
			{ 'basemap/tianjin.pmtiles': basemap }
		)
	});
	await admin.getByTestId('city-check').click();
	await expect(admin.getByTestId('city-verdict')).toContainText('检查通过');
	await expect(admin.getByTestId('city-repairs')).toContainText('coverage-repaired');
	await admin.screenshot({ path: test.info().outputPath('admin-city-report.png') });
	await wallContext.setOffline(true);
	await admin.getByTestId('city-import').click();
	await expect(admin.getByTestId('city-notice')).toContainText('天津市', { timeout: 60_000 });
	await expect(admin.getByTestId('city-loaded-name')).toContainText('天津市 (120000)');
	await admin.screenshot({ path: test.info().outputPath('admin-city-imported.png') });

	// The open command map reloads by itself and shows the new city.
	await expect(page.getByTestId('city-name')).toHaveText('天津市', { timeout: 60_000 });
	await wallContext.setOffline(false);
	await expect(wall.getByTestId('wall-title')).toHaveText('天津市社会治理指挥中心', {
		timeout: 60_000
	});
	const districts = await (await request.get('/data/districts.geojson')).json();
	expect(districts.features).toHaveLength(16);

	// The real districts on screen: named in the app's font, the whole city in view (not the
	// demo city's permalink view), the pack's names for its levels, the city in the page title.
	await expect(page).toHaveTitle('天津市 · 一张图');
	await page.waitForFunction(
		() => window.__ONEMAP__!.renderedLabels('district-labels').includes('蓟州区'),
		null,
		{ timeout: 30_000 }
	);
	// The pack's PMTiles basemap, read with Range requests from this origin, is drawn under them.
	await page.waitForFunction(() => window.__ONEMAP__!.renderedLabels('land').length > 0, null, {
		timeout: 30_000
	});
	expect(tileReads.length).toBeGreaterThan(0);
	expect(tileReads.every((status) => status === 206)).toBe(true);
	const shown = await page.evaluate(() => window.__ONEMAP__!.renderedLabels('district-labels'));
	expect(shown).toEqual(expect.arrayContaining(['滨海新区', '蓟州区', '静海区', '宝坻区']));
	await expect(page.getByTestId('level-street')).toHaveText('街道/镇');
	await page.screenshot({ path: test.info().outputPath('command-map-tianjin.png') });

	// A click on a district drills into it: its name, the city above it.
	const binhai = await page.evaluate(
		() => window.__ONEMAP__!.districts().find((d) => d.name === '滨海新区')!.label
	);
	const at = await page.evaluate((p) => window.__ONEMAP__!.project(p), binhai);
	const box = (await page.getByTestId('map-canvas').boundingBox())!;
	await page.mouse.click(box.x + at.x, box.y + at.y);
	await expect(page.getByTestId('drill-title')).toHaveText('滨海新区');
	await expect(page.getByTestId('breadcrumbs')).toContainText('天津市');
	await page.screenshot({ path: test.info().outputPath('command-map-tianjin-drill.png') });

	// Incidents placed in the real districts; the analysis ranks the districts themselves.
	const labelOf = (name: string) =>
		page.evaluate((n) => window.__ONEMAP__!.districts().find((d) => d.name === n)!.label, name);
	const post = async (lonLat: [number, number]) => {
		const res = await fetch(`${base}/api/incidents`, {
			method: 'POST',
			headers: { ...headers, origin: base, 'content-type': 'application/json' },
			body: JSON.stringify({
				type: 'dispute',
				lon: lonLat[0],
				lat: lonLat[1],
				source: 'hotline_12345'
			})
		});
		expect(res.status).toBe(201);
	};
	const heping = await labelOf('和平区');
	await post(binhai);
	await post(binhai);
	await post(heping);
	await page.getByTestId('drill-close').click();
	await page.getByTestId('level-district').click();
	await expect(page.getByTestId('level-district')).toHaveText('区');
	// Per km², tiny 和平区 (one incident) leads; by count, 滨海新区 (two).
	await expect(page.getByTestId('top-units').locator('li').first()).toContainText('和平区');
	await page.getByTestId('metric-count').click();
	await expect(page.getByTestId('legend-title')).toHaveText('事件数（所选时段）');
	await expect(page.getByTestId('top-units').locator('li')).toHaveCount(2);
	await expect(page.getByTestId('top-units').locator('li').first()).toContainText('滨海新区');
	await expect(page.getByTestId('top-units').locator('li').first()).toContainText('2');
	await page.screenshot({ path: test.info().outputPath('command-map-tianjin-districts.png') });

	// GIS clients get the districts too.
	const ogc = await (await request.get('/ogc/collections/districts/items?limit=20')).json();
	expect(ogc.numberMatched).toBe(16);
	expect(errors, 'page errors').toEqual([]);
	expect(offOrigin, 'requests outside the origin').toEqual([]);
	await context.close();
	await wallContext.close();
});
