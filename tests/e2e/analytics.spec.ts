import type { APIRequestContext } from '@playwright/test';
import { readIncidentColumns } from '../../src/lib/engine/columns';
import { INCIDENT_TYPES } from '../../src/lib/domain/incidents';
import { expect, onemap, openMap, settle, test } from './fixtures';

const DAY = 86_400_000;

/** The answers, counted independently of the app from the snapshot it serves. */
async function expectedCounts(request: APIRequestContext) {
	const c = readIncidentColumns(await (await request.get('/data/incidents.arrow')).body());
	const manifest = await (await request.get('/data/manifest.json')).json();
	const endMs: number = manifest.endMs;
	const dispute = INCIDENT_TYPES.indexOf('dispute');
	let disputes = 0;
	let disputes30 = 0;
	for (let i = 0; i < c.length; i++) {
		if (c.type[i] !== dispute) continue;
		disputes++;
		if (c.ts[i] >= endMs - 30 * DAY) disputes30++;
	}
	return { total: c.length, disputes, disputes30 };
}

const matchingText = (n: number) => new RegExp(`^${n.toLocaleString('zh-CN')} /`);

test('filters and time range change the counts on the map and in the panel', async ({
	page,
	request
}) => {
	const expected = await expectedCounts(request);
	await openMap(page);
	await expect(page.getByTestId('filter-matching')).toHaveText(matchingText(expected.total));
	expect(await onemap(page, (h) => h.clusterTotal())).toBe(expected.total);

	// Only disputes: double-click a chip selects just that type.
	await page.getByTestId('chip-types-0').dblclick();
	await expect(page.getByTestId('filter-matching')).toHaveText(matchingText(expected.disputes));
	await expect.poll(() => onemap(page, (h) => h.clusterTotal())).toBe(expected.disputes);
	expect(page.url()).toContain('type=dispute');

	// And only the last 30 days.
	await page.getByTestId('preset-30').click();
	await expect(page.getByTestId('filter-matching')).toHaveText(matchingText(expected.disputes30));
	await expect.poll(() => onemap(page, (h) => h.clusterTotal())).toBe(expected.disputes30);
	expect(page.url()).toMatch(/from=\d{4}-\d{2}-\d{2}/);

	// The permalink reproduces the view.
	const link = page.url();
	await page.goto(link);
	await expect(page.getByTestId('filter-matching')).toHaveText(matchingText(expected.disputes30));
	await settle(page);
	expect(await onemap(page, (h) => h.clusterTotal())).toBe(expected.disputes30);

	await page.getByTestId('filter-reset').click();
	await expect(page.getByTestId('filter-matching')).toHaveText(matchingText(expected.total));
});

test('the analysis panel ranks areas, shows the hour matrix and lists hotspots', async ({
	page
}) => {
	await openMap(page);
	await expect(page.getByTestId('top-units').locator('li')).toHaveCount(10);
	await page.getByTestId('level-street').click();
	await expect(page.getByTestId('top-units').locator('li').first()).toContainText(/街道|镇/);
	await page.getByTestId('tab-matrix').click();
	await expect(page.getByTestId('hour-matrix').locator('td')).toHaveCount(168);
	await page.getByTestId('tab-hotspots').click();
	const first = page.getByTestId('hotspot-list').locator('button').first();
	await expect(first).toBeVisible();
	const zoom = await onemap(page, (h) => h.zoom());
	await first.click();
	await expect.poll(() => onemap(page, (h) => h.zoom())).toBeGreaterThan(zoom + 1);
});

test('a radius query counts incidents around a clicked point', async ({ page }) => {
	await openMap(page);
	await page.getByTestId('tab-spatial').click();
	await page.getByTestId('spatial-radius').click();
	await page.getByTestId('radius-input').fill('3000');
	const box = (await page.getByTestId('map-canvas').boundingBox())!;
	await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
	await expect(page.getByTestId('spatial-count')).toHaveText(/\d/);
});

test('a drawn polygon and the K nearest answer too', async ({ page }) => {
	await openMap(page);
	await page.getByTestId('tab-spatial').click();
	const box = (await page.getByTestId('map-canvas').boundingBox())!;
	const at = (fx: number, fy: number) => [box.x + box.width * fx, box.y + box.height * fy] as const;

	await page.getByTestId('spatial-nearest').click();
	await page.mouse.click(...at(0.5, 0.5));
	await expect(page.getByTestId('spatial-count')).toHaveText(/^共 10 件$/);

	await page.getByTestId('spatial-polygon').click();
	for (const [fx, fy] of [
		[0.3, 0.3],
		[0.7, 0.3],
		[0.7, 0.7],
		[0.3, 0.7],
		[0.3, 0.3]
	]) {
		await page.mouse.click(...at(fx, fy));
	}
	await expect(page.getByTestId('spatial-count')).toHaveText(/^共 [\d,]+ 件$/);
	const inside = Number(
		(await page.getByTestId('spatial-count').textContent())!.replace(/\D/g, '')
	);
	expect(inside).toBeGreaterThan(0);
	expect(inside).toBeLessThan(await onemap(page, (h) => h.matching()!));
});
