import { pointOnFeature } from '@turf/turf';
import type { GridCollection } from '../../src/lib/domain/city';
import { expect, onemap, openMap, pixelDiff, pixelStats, settle, test } from './fixtures';

const LAYERS = {
	grids: 'grids-fill',
	patrols: 'patrols-routes',
	hazmat: 'hazmat-sites',
	incidents: 'incidents-points'
} as const;

test('the command map renders the demo city with all four layers', async ({
	page,
	guard
}, info) => {
	await openMap(page);
	await expect(page).toHaveTitle(/一张图/);
	const layers = await onemap(page, (h) => h.deckLayers());
	for (const id of Object.values(LAYERS)) expect(layers[id], id).toBe(true);

	const shot = await page.getByTestId('map-canvas').screenshot();
	await info.attach('command-map.png', { body: shot, contentType: 'image/png' });
	const stats = pixelStats(shot);
	expect(stats.nonBackground).toBeGreaterThan(0.3);
	expect(stats.colours).toBeGreaterThan(12);
	expect(guard.consoleErrors).toEqual([]);
});

test('each layer toggles off and on again', async ({ page }) => {
	await openMap(page);
	const map = page.getByTestId('map-canvas');
	const before = pixelStats(await map.screenshot());
	for (const [key, id] of Object.entries(LAYERS)) {
		const toggle = page.getByTestId(`layer-toggle-${key}`);
		await toggle.uncheck();
		await expect
			.poll(() => onemap(page, (h) => h.deckLayers()), { message: key })
			.toMatchObject({ [id]: false });
		await settle(page);
		const off = pixelStats(await map.screenshot());
		expect(pixelDiff(before, off), `${key} off changes the picture`).toBeGreaterThan(0.002);
		await expect(page.getByTestId(`legend-${key}`)).toBeHidden();

		await toggle.check();
		await expect.poll(() => onemap(page, (h) => h.deckLayers())).toMatchObject({ [id]: true });
		await settle(page);
		const on = pixelStats(await map.screenshot());
		expect(pixelDiff(before, on), `${key} back on restores the picture`).toBeLessThan(0.01);
		await expect(page.getByTestId(`legend-${key}`)).toBeVisible();
	}
});

test('clicking a cluster zooms into it', async ({ page }) => {
	await openMap(page);
	const zoomBefore = await onemap(page, (h) => h.zoom());
	const cluster = await onemap(page, (h) => h.largestCluster());
	expect(cluster!.count).toBeGreaterThan(1);
	const box = (await page.getByTestId('map-canvas').boundingBox())!;
	await page.mouse.click(box.x + cluster!.x, box.y + cluster!.y);
	await expect
		.poll(() => onemap(page, (h) => h.zoom()), { timeout: 10_000 })
		.toBeGreaterThan(zoomBefore + 0.5);
	await settle(page);
	const after = await onemap(page, (h) => h.largestCluster());
	expect(after!.count).toBeLessThan(cluster!.count);
});

test('hovering a grid shows who is responsible for it', async ({ page, request }) => {
	const grids = (await (await request.get('/data/grids.geojson')).json()) as GridCollection;
	const grid = grids.features.reduce((a, b) =>
		b.properties.areaKm2 > a.properties.areaKm2 ? b : a
	);
	const inside = pointOnFeature(grid).geometry.coordinates as [number, number];
	await openMap(page);
	// Toggle the point layers off so the hover lands on the grid.
	for (const key of ['incidents', 'patrols', 'hazmat']) {
		await page.getByTestId(`layer-toggle-${key}`).uncheck();
	}
	await settle(page);
	const at = await page.evaluate((p) => window.__ONEMAP__!.project(p), inside);
	const box = (await page.getByTestId('map-canvas').boundingBox())!;
	await page.mouse.move(box.x + at.x, box.y + at.y);
	const tooltip = page.locator('.deck-tooltip');
	await expect(tooltip).toContainText(grid.properties.workerName);
	await expect(tooltip).toContainText(grid.properties.name);
});

test('the UI switches to English and back', async ({ page }) => {
	await openMap(page);
	await page.getByTestId('lang-toggle').click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/OneMap/);
	await expect(page.getByTestId('layer-panel')).toContainText('Incidents');
	// English plurals: the total reads "N incidents", never "1 incidents".
	await expect(page.getByTestId('incident-total')).toHaveText(/^[\d,]+ incidents?$/);
	await expect(page.getByTestId('incident-total')).not.toHaveText(/^1 incidents$/);
	await page.getByTestId('lang-toggle').click();
	// The play button draws its icon; ⏸/▶ are not in the shipped font (they showed as boxes).
	await expect(page.getByTestId('timeline-play').locator('svg')).toHaveCount(1);
	await expect(page.getByTestId('timeline-play')).not.toHaveText(/[⏸▶]/);
	// Icon and word on one line: one line high, the icon in the button's vertical middle
	// (wrapped, the button was 31 px high with the icon 8 px above its middle; on one line 21 px).
	const icon = (await page.getByTestId('timeline-play').locator('svg').boundingBox())!;
	const button = (await page.getByTestId('timeline-play').boundingBox())!;
	expect(button.height).toBeLessThan(2.5 * icon.height);
	expect(Math.abs(icon.y + icon.height / 2 - (button.y + button.height / 2))).toBeLessThan(4);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/一张图/);
});

test('data files are served with ETags and revalidate with 304', async ({ request }) => {
	const first = await request.get('/data/grids.geojson');
	expect(first.status()).toBe(200);
	const etag = first.headers()['etag'];
	expect(etag).toBeTruthy();
	const again = await request.get('/data/grids.geojson', { headers: { 'if-none-match': etag } });
	expect(again.status()).toBe(304);
	const unknown = await request.get('/data/..%2Fpackage.json');
	expect(unknown.status()).toBe(404);
});

test('a failed download shows a clear error with a retry', async ({ page, guard }) => {
	await page.route('**/data/incidents.arrow', (route) =>
		route.fulfill({
			status: 503,
			contentType: 'application/json',
			body: JSON.stringify({ message: 'Demo data "incidents.arrow" is missing' })
		})
	);
	await page.goto('/?speed=0');
	const error = page.getByTestId('load-error');
	await expect(error).toContainText('incidents.arrow');
	await page.unroute('**/data/incidents.arrow');
	await error.getByRole('button').click();
	await expect(page.getByTestId('incident-total')).toBeVisible();
	await expect(page.getByTestId('load-error')).toBeHidden();
	// The browser logs the deliberate 503 itself; nothing else may fail.
	guard.consoleErrors = guard.consoleErrors.filter((e) => !e.includes('503'));
});
