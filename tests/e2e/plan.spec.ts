/**
 * The grid planner (/plan): split a grid by drawing a line with the mouse, undo, redo, save,
 * publish and see the new grids on the command map; the 409 a second planner's save causes;
 * an import of a broken file that lists its problems and leaves the draft as it was; and a
 * publish scheduled for tomorrow that freezes the draft until it is cancelled.
 *
 * Every test runs signed in as the demo planner (the `role` fixture: browser and `request` carry
 * the planner's session) and starts from a community without a draft (`resetDraft`), so the
 * spec can run again on the same database.
 */
import type { APIRequestContext, Page } from '@playwright/test';
import type { PlanHandle } from '../../src/lib/map/handle';
import { expect, onemap, openMap, test } from './fixtures';

test.use({ role: 'planner' });

/** Communities of the generated e2e city with two grids each, one per test. */
const SPLIT_COMMUNITY = '120116001001';
const CONFLICT_COMMUNITY = '120116001002';
const IMPORT_COMMUNITY = '120116001003';
const SCHEDULE_COMMUNITY = '120116001005';

function plan<T>(page: Page, fn: (h: PlanHandle) => T): Promise<T> {
	return page.evaluate(`(${fn.toString()})(window.__PLAN__)`) as Promise<T>;
}

interface PlanBody {
	published: { version: number; grids: { features: { properties: { id: string } }[] } };
	draft: null | {
		version: number;
		grids: { features: { properties: Record<string, unknown> }[] };
		scheduled: null | { effectiveDate: string; by: string };
	};
}

async function getPlan(request: APIRequestContext, cid: string): Promise<PlanBody> {
	const r = await request.get(`/api/plans/${cid}`);
	expect(r.status()).toBe(200);
	return (await r.json()) as PlanBody;
}

/** Discards a draft left by an earlier run (cancelling its schedule first). */
async function resetDraft(request: APIRequestContext, cid: string) {
	const p = await getPlan(request, cid);
	if (p.draft?.scheduled) {
		const r = await request.delete(`/api/plans/${cid}/schedule?version=${p.draft.version}`);
		expect(r.status()).toBe(204);
	}
	if (p.draft) {
		const r = await request.delete(`/api/plans/${cid}/draft?version=${p.draft.version}`);
		expect(r.status()).toBe(204);
	}
}

/** Opens the planner on a community and waits until its draft, balance and map are there. */
async function openPlanner(page: Page, cid: string) {
	await page.goto(`/plan?community=${cid}`);
	await page.waitForFunction(() => window.__PLAN__?.ready() === true, null, { timeout: 60_000 });
	await expect(page.getByTestId('pick-community')).toHaveValue(cid);
}

const gridCount = (page: Page) => plan(page, (h) => h.grids().length);

type Pixel = { x: number; y: number };

/**
 * Where to draw across the largest grid: a horizontal line through its middle, from `outside`
 * px left of it to `outside` px right of it (negative: that far inside), in page pixels.
 */
async function acrossLargestGrid(page: Page, outside: number): Promise<[Pixel, Pixel, string]> {
	const grids = await plan(page, (h) => h.grids());
	// The largest grid (shoelace area in degrees²), so reruns on one database halve grids
	// instead of slicing one ever thinner.
	const area = (r: [number, number][]) =>
		Math.abs(r.slice(1).reduce((sum, p, i) => sum + r[i][0] * p[1] - p[0] * r[i][1], 0));
	const grid = grids.reduce((a, b) => (area(b.ring) > area(a.ring) ? b : a));
	const ys = grid.ring.map((p) => p[1]);
	const y = (Math.min(...ys) + Math.max(...ys)) / 2;
	// Where the horizontal line y crosses the ring.
	const xs: number[] = [];
	for (let i = 0; i < grid.ring.length - 1; i++) {
		const [a, b] = [grid.ring[i], grid.ring[i + 1]];
		if ((a[1] - y) * (b[1] - y) < 0) xs.push(a[0] + ((y - a[1]) / (b[1] - a[1])) * (b[0] - a[0]));
	}
	const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
	const p0 = await page.evaluate(([lon, lat]) => window.__PLAN__!.project([lon, lat]), [x0, y]);
	const p1 = await page.evaluate(([lon, lat]) => window.__PLAN__!.project([lon, lat]), [x1, y]);
	const box = (await page.getByTestId('plan-map').boundingBox())!;
	return [
		{ x: box.x + p0.x - outside, y: box.y + p0.y },
		{ x: box.x + p1.x + outside, y: box.y + p1.y },
		grid.id
	];
}

/**
 * Draws a line with the mouse in the split tool: clicked point by point in terra-draw's line
 * mode, finished by clicking the last point again.
 */
async function drawLine(page: Page, a: Pixel, b: Pixel) {
	await page.keyboard.press('s');
	await expect(page.getByTestId('tool-split')).toHaveClass(/active/);
	await page.mouse.move(a.x, a.y);
	await page.mouse.click(a.x, a.y);
	await page.mouse.move((a.x + b.x) / 2, a.y, { steps: 5 });
	await page.mouse.move(b.x, b.y, { steps: 5 });
	await page.mouse.click(b.x, b.y);
	await page.waitForTimeout(100);
	await page.mouse.click(b.x, b.y);
}

test('a planner splits a grid by drawing, undoes, redoes, saves, publishes; the command map shows it', async ({
	page,
	browser,
	request,
	stateOf
}) => {
	test.setTimeout(120_000);
	await resetDraft(request, SPLIT_COMMUNITY);
	await openPlanner(page, SPLIT_COMMUNITY);
	const before = await gridCount(page);
	await expect(page.getByTestId('balance-row')).toHaveCount(before);

	// A line that ends inside the grid is refused by the core, with the reason and its spot.
	const [inA, inB] = await acrossLargestGrid(page, -30);
	await drawLine(page, inA, inB);
	await expect(page.getByTestId('plan-message')).toContainText('拆分线必须完整穿过网格');
	expect(await plan(page, (h) => h.lastRefusal())).toBe('split_line_not_across');
	expect(await gridCount(page)).toBe(before);
	expect(await plan(page, (h) => h.canUndo())).toBe(false);

	const [a, b, split] = await acrossLargestGrid(page, 20);
	await drawLine(page, a, b);
	await expect.poll(() => gridCount(page)).toBe(before + 1);
	await expect(page.getByTestId('balance-row')).toHaveCount(before + 1);
	expect(await plan(page, (h) => h.grids().map((g) => g.id))).not.toContain(split);
	expect(await plan(page, (h) => h.balance()!.length)).toBe(before + 1);
	await expect(page.getByTestId('plan-dirty')).toHaveText('有未保存的修改');

	await page.getByTestId('plan-undo').click();
	await expect.poll(() => gridCount(page)).toBe(before);
	expect(await plan(page, (h) => h.canRedo())).toBe(true);
	await page.keyboard.press('Control+y');
	await expect.poll(() => gridCount(page)).toBe(before + 1);
	const ids = await plan(page, (h) => h.grids().map((g) => g.id));

	await page.getByTestId('plan-save').click();
	await expect(page.getByTestId('plan-dirty')).toHaveText('已保存');
	const saved = await getPlan(request, SPLIT_COMMUNITY);
	expect(saved.draft!.grids.features.map((f) => f.properties.id).sort()).toEqual([...ids].sort());

	// A duty officer's command map (another browser) is open while the plan is published.
	const officer = await browser.newContext({ storageState: await stateOf('officer') });
	const map = await officer.newPage();
	const mapErrors: string[] = [];
	map.on('console', (m) => void (m.type() === 'error' && mapErrors.push(m.text())));
	map.on('pageerror', (e) => mapErrors.push(e.message));
	await openMap(map);
	const mapGrids = () =>
		map.evaluate(
			(cid) =>
				(window as unknown as { __ONEMAP__: { gridIds(c: string): string[] } }).__ONEMAP__.gridIds(
					cid
				),
			SPLIT_COMMUNITY
		);
	const oldOnMap = await mapGrids();
	expect(oldOnMap.length).toBe(before);

	await page.getByTestId('plan-publish').click();
	await page.getByTestId('publish-note').fill('e2e: split by drawing');
	await page.getByTestId('publish-confirm').click();
	await expect(page.getByTestId('plan-message')).toContainText('已发布');
	const published = await getPlan(request, SPLIT_COMMUNITY);
	expect(published.draft).toBeNull();
	expect(published.published.version).toBeGreaterThan(0);
	// Publishing gives split grids fresh ids of the community's series: compare the count.
	const publishedIds = published.published.grids.features.map((f) => f.properties.id).sort();
	expect(publishedIds).toHaveLength(ids.length);
	await expect(page.getByTestId('history-version').first()).toContainText(
		`v${published.published.version}`
	);

	// The open command map takes the new grids in place (the live feed's plan event), without
	// a reload, and its incident engine is back with the snapshot's new grid codes.
	await expect
		.poll(async () => (await mapGrids()).sort(), { timeout: 30_000 })
		.toEqual(publishedIds);
	await expect(map.getByTestId('incident-total')).toBeVisible({ timeout: 60_000 });
	expect(await onemap(map, (h) => h.incidentTotal())).toBeGreaterThan(0);
	// …and a fresh load draws them too.
	await openMap(map);
	expect((await mapGrids()).sort()).toEqual(publishedIds);
	expect(mapErrors, 'console errors on the command map').toEqual([]);
	await officer.close();
});

test('the second planner to save gets the conflict dialog, reviews and reloads', async ({
	page,
	browser,
	request,
	stateOf,
	guard
}) => {
	await resetDraft(request, CONFLICT_COMMUNITY);
	await openPlanner(page, CONFLICT_COMMUNITY);
	// The second planner: another browser, signed in as an admin (who may plan too).
	const context = await browser.newContext({
		viewport: { width: 1280, height: 800 },
		storageState: await stateOf('admin')
	});
	try {
		const other = await context.newPage();
		await openPlanner(other, CONFLICT_COMMUNITY);

		const assign = async (p: Page, row: number, name: string) => {
			await p.getByTestId('balance-row').nth(row).click();
			await p.getByTestId('worker-name').fill(name);
			await p.getByTestId('worker-assign').click();
			await expect(p.getByTestId('plan-dirty')).toHaveText('有未保存的修改');
		};
		await assign(other, 0, '李先到');
		await other.getByTestId('plan-save').click();
		await expect(other.getByTestId('plan-dirty')).toHaveText('已保存');
		const theirs = await getPlan(request, CONFLICT_COMMUNITY);

		await assign(page, 1, '王后到');
		await page.getByTestId('plan-save').click();
		const dialog = page.getByTestId('conflict-dialog');
		await expect(dialog).toBeVisible();
		await expect(dialog).toContainText('对方修改了 1 个网格');
		await page.getByTestId('conflict-review').click();
		await expect(page.getByTestId('conflict-overwrite')).toBeVisible();
		await page.getByTestId('conflict-reload').click();
		await expect(dialog).toBeHidden();
		expect(await plan(page, (h) => h.draftVersion())).toBe(theirs.draft!.version);
		expect(await plan(page, (h) => h.dirty())).toBe(false);
		const names = (await getPlan(request, CONFLICT_COMMUNITY)).draft!.grids.features.map(
			(f) => f.properties.workerName
		);
		expect(names).toContain('李先到');
		expect(names).not.toContain('王后到');
	} finally {
		await context.close();
	}
	// The browser logs the 409 itself; nothing else may fail.
	guard.consoleErrors = guard.consoleErrors.filter((e) => !/status of 409/.test(e));
});

test('an import of a broken file lists its problems and leaves the draft unchanged', async ({
	page,
	request,
	guard
}) => {
	await resetDraft(request, IMPORT_COMMUNITY);
	await openPlanner(page, IMPORT_COMMUNITY);
	const before = await plan(page, (h) => h.grids().map((g) => g.id));
	const ring = (await plan(page, (h) => h.grids()))[0].ring;
	const [x, y] = ring[0];
	const broken = {
		type: 'FeatureCollection',
		features: [
			{
				// A bow tie: crosses itself.
				type: 'Feature',
				properties: { id: 'bow-tie' },
				geometry: {
					type: 'Polygon',
					coordinates: [
						[
							[x, y],
							[x + 0.002, y + 0.002],
							[x + 0.002, y],
							[x, y + 0.002],
							[x, y]
						]
					]
				}
			}
		]
	};
	await page.getByTestId('import-file').setInputFiles({
		name: 'broken.geojson',
		mimeType: 'application/geo+json',
		buffer: Buffer.from(JSON.stringify(broken))
	});
	const list = page.getByTestId('problem-list');
	await expect(list).toBeVisible();
	await expect(list.locator('li').first()).toBeVisible();
	await expect(page.getByTestId('plan-message')).toContainText('草稿未改变');
	expect(await plan(page, (h) => h.grids().map((g) => g.id))).toEqual(before);
	expect(await plan(page, (h) => h.draftVersion())).toBeNull();
	expect((await getPlan(request, IMPORT_COMMUNITY)).draft).toBeNull();
	// The browser logs the 422 itself; nothing else may fail.
	guard.consoleErrors = guard.consoleErrors.filter((e) => !/status of 422/.test(e));
});

test('a publish dated tomorrow schedules the plan and freezes the draft until cancelled', async ({
	page,
	request
}) => {
	await resetDraft(request, SCHEDULE_COMMUNITY);
	await openPlanner(page, SCHEDULE_COMMUNITY);
	const publishedBefore = (await getPlan(request, SCHEDULE_COMMUNITY)).published.version;
	await page.getByTestId('balance-row').first().click();
	await page.getByTestId('worker-name').fill('排定测试');
	await page.getByTestId('worker-assign').click();
	await page.getByTestId('plan-save').click();
	await expect(page.getByTestId('plan-dirty')).toHaveText('已保存');

	// Tomorrow in China Standard Time, the app's day.
	const tomorrow = new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
	await page.getByTestId('plan-publish').click();
	await page.getByTestId('publish-date').fill(tomorrow);
	await expect(page.getByTestId('publish-confirm')).toHaveText('排定发布');
	await page.getByTestId('publish-confirm').click();
	await expect(page.getByTestId('plan-scheduled')).toHaveText(`已排定 ${tomorrow} 生效`);

	// Frozen: nothing published, the page offers no save, discard or import, the server refuses.
	const state = await getPlan(request, SCHEDULE_COMMUNITY);
	expect(state.published.version).toBe(publishedBefore);
	expect(state.draft!.scheduled).toMatchObject({ effectiveDate: tomorrow });
	await expect(page.getByTestId('plan-save')).toBeDisabled();
	await expect(page.getByTestId('plan-save')).toHaveAttribute('title', /先取消排定/);
	await expect(page.getByTestId('plan-discard')).toBeDisabled();
	await expect(page.getByTestId('import-file')).toBeDisabled();
	const put = await request.put(`/api/plans/${SCHEDULE_COMMUNITY}/draft`, {
		data: { version: state.draft!.version, grids: state.draft!.grids }
	});
	expect(put.status()).toBe(409);

	await page.getByTestId('plan-unschedule').click();
	await expect(page.getByTestId('plan-scheduled')).toBeHidden();
	await expect(page.getByTestId('plan-discard')).toBeEnabled();
	await expect(page.getByTestId('plan-publish')).toBeVisible();
	expect((await getPlan(request, SCHEDULE_COMMUNITY)).draft!.scheduled).toBeNull();
});
