/**
 * The wall: its layout at both resolutions (screenshots attached; text must not overflow), no
 * personal data, nothing to edit, and a high-priority incident interrupting the tour.
 */
import type { Page } from '@playwright/test';
import { pointOnFeature } from '@turf/turf';
import type { GridCollection } from '../../src/lib/domain/city';
import { expect, test } from './fixtures';

// The wall signs in with a device token through its kiosk link (fixtures.ts).
test.use({ role: 'wall' });

async function openWall(page: Page) {
	await page.goto('/wall?speed=0&dwell=600');
	await expect(page.getByTestId('kpi-closure').locator('b')).toHaveText(/%$/, { timeout: 60_000 });
	await expect
		.poll(() => page.evaluate(() => window.__WALL__?.clusterTotal() ?? 0))
		.toBeGreaterThan(0);
	await expect(page.getByTestId('wall-safety').locator('li')).toHaveCount(21);
	await expect(page.getByTestId('tour-stop')).toHaveText('全区总览');
}

/** Elements whose text is wider than their box (ellipsis-truncated ones excepted). */
async function overflowing(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const out: string[] = [];
		for (const el of document.querySelectorAll<HTMLElement>('[data-testid=wall] *')) {
			if (!el.textContent?.trim() || el.children.length > 0) continue;
			const style = getComputedStyle(el);
			if (style.textOverflow === 'ellipsis') continue;
			if (el.scrollWidth > el.clientWidth + 1 && style.overflow !== 'visible')
				out.push(el.textContent.trim());
			const box = el.getBoundingClientRect();
			if (box.right > innerWidth + 1 || box.bottom > innerHeight + 1)
				out.push(el.textContent.trim());
		}
		// The KPI tiles must not overlap each other.
		const tiles = [...document.querySelectorAll('.tile')].map((t) => t.getBoundingClientRect());
		tiles.forEach((a, i) => {
			const b = tiles[i + 1];
			if (b && a.bottom > b.top + 0.5) out.push(`tile ${i} overlaps tile ${i + 1}`);
		});
		return out;
	});
}

for (const [width, height] of [
	[1920, 1080],
	[3840, 2160]
]) {
	test(`the wall at ${width}×${height}: legible, nothing overflows`, async ({ page }, info) => {
		test.setTimeout(120_000);
		await page.setViewportSize({ width, height });
		await openWall(page);
		await page.waitForTimeout(1500);
		const shot = await page.screenshot();
		await info.attach(`wall-${width}x${height}.png`, { body: shot, contentType: 'image/png' });
		expect(await overflowing(page)).toEqual([]);
		// Legible from across a room: the KPI figures are at least 4 % of the screen height.
		const size = await page
			.getByTestId('kpi-today')
			.locator('b')
			.evaluate((b) => parseFloat(getComputedStyle(b).fontSize));
		expect(size).toBeGreaterThanOrEqual(height * 0.04);
	});
}

test('the wall shows no personal data and nothing to edit', async ({ page, request, as }) => {
	const officer = await as('officer');
	const grids = (await (await officer.get('/data/grids.geojson')).json()) as GridCollection;
	expect(grids.features[0].properties.workerName).toBeTruthy();
	// The server leaves the names and phones out of the wall's copy.
	const wallGrids = await (await request.get('/data/grids.geojson')).text();
	expect(wallGrids).not.toContain('workerName');
	expect(wallGrids).not.toMatch(/1[3-9]\d{9}/);
	const sites = await (await request.get('/data/hazmat-sites.geojson')).text();
	expect(sites).not.toContain('responsiblePhone');
	expect((await request.get('/api/incidents/1')).status()).toBe(403);
	await openWall(page);
	const text = await page.locator('body').innerText();
	expect(text).not.toMatch(/1[3-9]\d{9}/);
	for (const g of grids.features.slice(0, 50)) expect(text).not.toContain(g.properties.workerName);
	expect(await page.locator('input, select, textarea').count()).toBe(0);
	// No zoom buttons on a kiosk nobody stands at.
	await expect(page.locator('.maplibregl-ctrl-zoom-in')).toHaveCount(0);
	const box = (await page.getByTestId('map-canvas').boundingBox())!;
	await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
	await page.waitForTimeout(500);
	await expect(page.locator('.deck-tooltip')).toBeHidden();
});

test('a new high-priority incident interrupts the tour and enters the ticker', async ({
	page,
	as
}) => {
	const request = await as('officer');
	const grids = (await (await request.get('/data/grids.geojson')).json()) as GridCollection;
	const [lon, lat] = pointOnFeature(grids.features[1]).geometry.coordinates;
	await openWall(page);
	await expect(page.getByTestId('wall-live')).toContainText('实时');
	const response = await request.post('/api/incidents', {
		data: { type: 'public_security', lon, lat, priority: 1, description: 'e2e: wall interrupt' }
	});
	expect(response.status()).toBe(201);
	await expect(page.getByTestId('tour-stop')).toContainText('治安隐患');
	await expect(page.getByTestId('wall-ticker')).toContainText('治安隐患');
});

test('a duty officer pushes their view to the wall, which follows until released', async ({
	page,
	browser,
	stateOf
}) => {
	await openWall(page);
	const officer = await browser.newPage({
		viewport: { width: 1280, height: 800 },
		storageState: await stateOf('officer')
	});
	try {
		await officer.goto('/?speed=0&map=117.70000,39.02000,13.50');
		await expect(officer.getByTestId('incident-total')).toBeVisible({ timeout: 60_000 });
		await expect
			.poll(() => officer.evaluate(() => window.__ONEMAP__?.zoom() ?? 0))
			.toBeCloseTo(13.5, 1);
		await officer.getByTestId('wall-push').click();
		await expect(page.getByTestId('tour-stop')).toHaveText('跟随值班员视图');
		await expect.poll(() => page.evaluate(() => window.__WALL__!.zoom())).toBeCloseTo(13.5, 0);
		await officer.getByTestId('wall-release').click();
		await expect(page.getByTestId('tour-stop')).not.toHaveText('跟随值班员视图');
	} finally {
		await officer.close();
	}
});
