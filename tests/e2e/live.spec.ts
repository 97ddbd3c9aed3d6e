import { pointOnFeature } from '@turf/turf';
import type { GridCollection } from '../../src/lib/domain/city';
import { expect, onemap, openMap, test } from './fixtures';

test('a new incident appears on the map within a second of its intake, without reload', async ({
	page,
	request
}) => {
	const grids = (await (await request.get('/data/grids.geojson')).json()) as GridCollection;
	const [lon, lat] = pointOnFeature(grids.features[0]).geometry.coordinates;
	await openMap(page);
	await expect(page.getByTestId('live-status')).toContainText('实时');
	const before = await onemap(page, (h) => h.matching()!);
	const totalBefore = await onemap(page, (h) => h.incidentTotal()!);
	const clustersBefore = await onemap(page, (h) => h.clusterTotal()!);

	const response = await request.post('/api/incidents', {
		data: { type: 'dispute', lon, lat, source: 'resident_app', description: 'e2e: live intake' }
	});
	expect(response.status()).toBe(201);
	const sentAt = Date.now();
	await expect
		.poll(() => onemap(page, (h) => h.clusterTotal()), { intervals: [50], timeout: 5_000 })
		.toBe(clustersBefore + 1);
	expect(Date.now() - sentAt).toBeLessThan(1_000 + 250); // + the poll's own granularity
	// The total grows with it: the matching count never exceeds it.
	await expect(page.getByTestId('filter-matching')).toHaveText(
		new RegExp(
			`^${(before + 1).toLocaleString('zh-CN')} / ${(totalBefore + 1).toLocaleString('zh-CN')} 件`
		)
	);
	await expect(page.getByTestId('live-status')).toContainText('新增 1 件');
});
