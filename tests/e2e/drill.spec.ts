import { pointOnFeature } from '@turf/turf';
import type {
	CommunityCollection,
	GridCollection,
	StreetCollection
} from '../../src/lib/domain/city';
import { expect, onemap, openMap, settle, test } from './fixtures';

test('clicking a grid drills into it: counts, trend, worker, nearest units, hierarchy', async ({
	page,
	request
}) => {
	const get = async <T>(file: string) => (await (await request.get(`/data/${file}`)).json()) as T;
	const grids = await get<GridCollection>('grids.geojson');
	const communities = await get<CommunityCollection>('communities.geojson');
	const streets = await get<StreetCollection>('streets.geojson');
	const grid = grids.features.reduce((a, b) =>
		b.properties.areaKm2 > a.properties.areaKm2 ? b : a
	);
	const community = communities.features.find(
		(c) => c.properties.id === grid.properties.communityId
	)!;
	const street = streets.features.find((s) => s.properties.id === grid.properties.streetId)!;

	await openMap(page);
	for (const key of ['incidents', 'patrols', 'hazmat']) {
		await page.getByTestId(`layer-toggle-${key}`).uncheck();
	}
	await settle(page);
	const inside = pointOnFeature(grid).geometry.coordinates as [number, number];
	const at = await page.evaluate((p) => window.__ONEMAP__!.project(p), inside);
	const box = (await page.getByTestId('map-canvas').boundingBox())!;
	await page.mouse.click(box.x + at.x, box.y + at.y);

	const panel = page.getByTestId('drill-panel');
	await expect(page.getByTestId('drill-title')).toHaveText(grid.properties.name);
	await expect(page.getByTestId('breadcrumbs')).toContainText(street.properties.name);
	await expect(page.getByTestId('breadcrumbs')).toContainText(community.properties.name);
	await expect(page.getByTestId('drill-responsible')).toContainText(grid.properties.workerName);
	await expect(page.getByTestId('drill-total')).toHaveText(/^共 [\d,]+ 件$/);
	await expect(page.getByTestId('drill-units').locator('li')).toHaveCount(5);
	const total = Number((await page.getByTestId('drill-total').textContent())!.replace(/\D/g, ''));
	const rows = page.getByTestId('drill-list').locator('button');
	if (total > 0) await expect(rows.first()).toBeVisible();
	// Virtualized: never more rows in the DOM than fit, however many incidents.
	expect(await rows.count()).toBeLessThanOrEqual(16);

	// Up the hierarchy to the community: its grids become the children, all their workers listed.
	await page
		.getByTestId('breadcrumbs')
		.getByRole('button', { name: community.properties.name })
		.click();
	await expect(page.getByTestId('drill-title')).toHaveText(community.properties.name);
	await expect(panel).toContainText(grid.properties.name);
	await page.getByTestId('drill-close').click();
	await expect(page.getByTestId('analytics-panel')).toBeVisible();
});

test('clicking a cluster opens its area while the map zooms in', async ({ page }) => {
	await openMap(page);
	const cluster = await onemap(page, (h) => h.largestCluster());
	const box = (await page.getByTestId('map-canvas').boundingBox())!;
	await page.mouse.click(box.x + cluster!.x, box.y + cluster!.y);
	await expect(page.getByTestId('drill-title')).toHaveText('聚类区域');
	await expect(page.getByTestId('drill-total')).toHaveText(/^共 [\d,]+ 件$/);
	const total = Number((await page.getByTestId('drill-total').textContent())!.replace(/\D/g, ''));
	expect(total).toBeGreaterThan(0);
});
