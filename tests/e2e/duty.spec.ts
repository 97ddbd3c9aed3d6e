/**
 * The duty officer's loop: from a hotspot to one of its incidents, one-click dispatch of the
 * nearest unit, through the case cycle to 结案 — while a second officer watches it change live —
 * and the 409 a stale case gets.
 */
import type { Page } from '@playwright/test';
import { expect, openMap, test } from './fixtures';

/** Opens the first emerging hotspot and, in it, the first case still 上报/受理. */
async function openReportedCase(page: Page): Promise<number> {
	await openMap(page);
	await page.getByTestId('tab-hotspots').click();
	await page.getByTestId('hotspot-list').locator('button').first().click();
	await expect(page.getByTestId('drill-panel')).toBeVisible();
	await page.getByTestId('drill-sort').selectOption('status');
	await page.getByTestId('drill-list').locator('button').first().click();
	await expect(page.getByTestId('case-status')).toHaveText('上报/受理');
	const title = await page.getByTestId('drill-title').textContent();
	return Number(title!.replace(/\D/g, ''));
}

test('an officer dispatches and closes a case from a hotspot; another officer sees it live', async ({
	page,
	browser,
	stateOf
}) => {
	test.setTimeout(120_000);
	const id = await openReportedCase(page);
	const other = await browser.newPage({
		viewport: { width: 1280, height: 800 },
		storageState: await stateOf('officer')
	});
	try {
		expect(await openReportedCase(other)).toBe(id);

		// The panel's nearest units are the server's ranking: the first available one is the unit
		// that one-click dispatch sends, and it is then listed as responding.
		const units = page.getByTestId('drill-units');
		const nearest = (await units.locator('li:not(.busy) b').first().textContent())!;
		expect(nearest).toMatch(/巡/);
		await page.getByTestId('case-dispatch-nearest').click();
		await expect(page.getByTestId('case-status')).toHaveText('派遣');
		await expect(page.getByTestId('case-assignees')).toContainText(nearest);
		await expect(units.locator('li.busy', { hasText: nearest })).toHaveCount(1);
		await expect(other.getByTestId('case-status')).toHaveText('派遣');

		for (const [action, status] of [
			['accept', '处置'],
			['submit', '核查'],
			['close', '结案']
		]) {
			await page.getByTestId(`case-${action}`).click();
			await expect(page.getByTestId('case-status')).toHaveText(status);
		}
		await expect(other.getByTestId('case-status')).toHaveText('结案');
		// register + dispatch (one click), accept, submit, close — each with actor and time; the
		// actor is the signed-in officer (the demo account 王值班), not anything the page sent.
		await expect(page.getByTestId('case-trail').locator('li')).toHaveCount(5);
		await expect(other.getByTestId('case-trail')).toContainText('王值班');
	} finally {
		await other.close();
	}
});

test('a case changed by someone else answers 409; the panel shows what changed and reloads', async ({
	page,
	request,
	guard,
	as,
	playwright,
	baseURL
}) => {
	// This officer gets no live updates, so the change below reaches them only as a conflict.
	await page.route('**/api/stream*', (route) => route.abort());
	const id = await openReportedCase(page);
	const current = await (await request.get(`/api/incidents/${id}`)).json();
	// A second officer account (created by the admin once), signed in on its own.
	const admin = await as('admin');
	const created = await admin.post('/api/admin/users', {
		data: {
			username: 'officer2',
			displayName: '值班员乙',
			role: 'officer',
			password: 'officer2-pass'
		}
	});
	expect([201, 409]).toContain(created.status());
	const second = await playwright.request.newContext({
		baseURL,
		storageState: { cookies: [], origins: [] },
		extraHTTPHeaders: { origin: new URL(baseURL!).origin }
	});
	await second.post('/api/session', { data: { username: 'officer2', password: 'officer2-pass' } });
	const other = await second.post(`/api/incidents/${id}/transitions`, {
		data: { action: 'register', version: current.version }
	});
	await second.dispose();
	expect(other.status()).toBe(200);

	await page.getByTestId('case-register').click();
	const conflict = page.getByTestId('case-conflict');
	await expect(conflict).toContainText('值班员乙');
	await expect(conflict).toContainText('立案');
	await page.getByTestId('case-reload').click();
	await expect(page.getByTestId('case-status')).toHaveText('立案');
	// The aborted stream and the 409 are logged by the browser itself; nothing else may fail.
	guard.consoleErrors = guard.consoleErrors.filter(
		(e) => !/ERR_FAILED|409|Failed to load resource/.test(e)
	);
});

test('an incident inside a hazmat risk radius raises a live alert that can be acknowledged', async ({
	page,
	request
}) => {
	const sites = await (await request.get('/data/hazmat-sites.geojson')).json();
	const site = sites.features[0];
	const [lon, lat] = site.geometry.coordinates;
	await openMap(page);
	await page.getByTestId('tab-alerts').click();
	const list = page.getByTestId('alert-list');
	const before = await list.locator('li button.chip').count();
	const posted = await request.post('/api/incidents', {
		data: { type: 'work_safety', lon: lon + 0.0005, lat, description: 'e2e: near a hazmat site' }
	});
	expect(posted.status()).toBe(201);
	const incident = (await posted.json()) as { id: number; priority: number };
	expect(incident.priority).toBe(1); // escalated
	await expect(list.locator('li button.chip')).toHaveCount(before + 1);
	// The flag goes to the gravest site whose radius holds the incident (not always the nearest):
	// the alert row and the case both name that site, and how far it is.
	const detail = await (await request.get(`/api/incidents/${incident.id}`)).json();
	const flagger = sites.features.find(
		(f: { properties: { id: string } }) => f.properties.id === detail.hazmatSiteId
	).properties.name as string;
	const row = list.locator('li', { hasText: flagger }).first();
	await expect(row.locator('.place')).toContainText(/距[\d,]+米/);
	await row.locator('button.link').click();
	await expect(page.getByTestId('case-hazmat')).toContainText(flagger);
	await expect(page.getByTestId('case-hazmat')).toContainText(/距[\d,]+米/);
	await page.getByTestId('drill-close').click();
	await page.getByTestId('tab-alerts').click();
	const ack = list.locator('li button.chip').first();
	await ack.click();
	await expect(list.locator('li button.chip')).toHaveCount(before);
});

test('a repeat complaint lists the linked cases, and each opens', async ({ page, request }) => {
	const sites = await (await request.get('/data/hazmat-sites.geojson')).json();
	const [lon, lat] = sites.features[sites.features.length - 1].geometry.coordinates;
	await openMap(page);
	// Three reports of one type within 100 m: the third is linked to the two before it. Each is
	// inside the site's risk radius, so each raises an alert, whose row opens the case.
	const ids: number[] = [];
	for (let i = 0; i < 3; i++) {
		const posted = await request.post('/api/incidents', {
			data: {
				type: 'work_safety',
				lon: lon + 0.0003 + i * 0.0001,
				lat,
				description: `e2e: repeat ${i + 1}`
			}
		});
		expect(posted.status()).toBe(201);
		ids.push(((await posted.json()) as { id: number }).id);
	}
	const detail = await (await request.get(`/api/incidents/${ids[2]}`)).json();
	const linked = (detail.repeats as { id: number }[]).map((r) => r.id);
	expect(linked).toEqual(expect.arrayContaining([ids[0], ids[1]]));

	await page.getByTestId('tab-alerts').click();
	// Alerts are listed newest first: the third report's.
	await page.getByTestId('alert-list').locator('li').first().locator('button.link').click();
	await expect(page.getByTestId('drill-title')).toContainText(String(ids[2]));
	const repeats = page.getByTestId('case-repeats').locator('li');
	await expect(repeats).toHaveCount(linked.length);
	await expect(repeats.first()).toContainText(/相距[\d,]+米/);
	const first = repeats.locator('button', { hasText: `#${ids[0]} ` });
	await first.click();
	await expect(page.getByTestId('drill-title')).toContainText(String(ids[0]));
	await expect(page.getByTestId('case')).toContainText('e2e: repeat 1');
});
