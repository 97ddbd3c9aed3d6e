/**
 * /admin → 案件导入 (issue 15): an admin uploads a GB18030 12345 export and checks it — the
 * report shows the counts, the column mapping, the unmapped type and the refused rows with row
 * number, column and reason, and the refused rows download as a CSV. A check writes nothing, so
 * the shared e2e database stays as the other specs expect (the import itself is covered by
 * src/lib/server/cases/import.test.ts, through the same service).
 */
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { expect, test } from './fixtures';

test.use({ role: 'admin' });

test('an admin checks a 12345 export and downloads its refused rows', async ({
	page,
	request,
	guard
}) => {
	const manifest = (await (await request.get('/data/manifest.json')).json()) as {
		center: [number, number];
	};
	const [lon, lat] = manifest.center;
	const csv = [
		'工单编号,诉求类型,来电时间,办结时间,处理状态,诉求内容,地址,经度,纬度',
		`E2E-1,市容环境,2026-01-05 10:00:00,2026-01-05 18:00:00,已办结,占道经营,新港路1号,${lon},${lat}`,
		`E2E-2,咨询,2026-01-05 11:00:00,,办理中,政策咨询,新港路2号,${lon},${lat}`,
		'E2E-3,邻里纠纷,2026-01-05 12:00:00,,待受理,噪音,新港路3号,,'
	].join('\r\n');
	await page.goto('/admin');
	await page.getByTestId('admin-tab-cases').click();
	await page.getByTestId('cases-file').setInputFiles({
		name: '12345导出.csv',
		mimeType: 'text/csv',
		buffer: iconv.encode(csv, 'gb18030')
	});
	await page.getByTestId('cases-check').click();
	const summary = page.getByTestId('cases-summary');
	await expect(summary).toContainText('12345导出.csv');
	await expect(summary).toContainText('共 3 行');
	await expect(summary).toContainText('未写入');
	await expect(page.getByTestId('cases-unmapped-type')).toContainText('咨询 ×1');
	const refused = page.getByTestId('cases-refused');
	await expect(refused).toContainText('诉求类型');
	await expect(refused).toContainText('没有坐标（按地址定位尚未提供）');
	await expect(refused.locator('tbody tr').first()).toContainText('3');
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByTestId('cases-download').click()
	]);
	const text = readFileSync((await download.path())!, 'utf8');
	expect(text).toContain('行号,列,原因,reason,工单编号');
	expect(text).toContain('E2E-2');
	expect(text).toContain('E2E-3');
	expect(guard.consoleErrors).toEqual([]);
});
