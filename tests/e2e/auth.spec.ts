/**
 * Sign-in, roles and audit (issue 8) over the running server: signing in and out in the browser,
 * the whole role × route matrix (every route of the policy table × every method × each role,
 * anonymous, a forged cookie, an ended session and a revoked device token), direct object
 * access, the CSRF check, security headers and CSP, the kiosk link and its revocation, and the
 * admin page.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { APIRequestContext } from '@playwright/test';
import { ROLES, type Role } from '../../src/lib/domain/auth';
import { POLICY, decide } from '../../src/lib/server/auth/policy';
import { DEMO_PASSWORDS, signIn } from './auth';
import { expect, test, type TestRole } from './fixtures';

type Headers = Record<string, string>;

/** A concrete request for each route of the policy table: URL and, for writes, a body. */
function samples(ids: {
	incident: number;
	community: string;
}): Record<string, { url: string; body?: unknown }> {
	return {
		'/': { url: '/' },
		'/wall': { url: '/wall' },
		'/plan': { url: '/plan' },
		'/admin': { url: '/admin' },
		'/bench/baseline': { url: '/bench/baseline' },
		'/data/[file]': { url: '/data/manifest.json' },
		// The demo city has no basemap file: allowed callers get a 404, others 401/403.
		'/data/basemap/[name]': { url: '/data/basemap/city.pmtiles' },
		'/api/stream': { url: '/api/stream' },
		'/api/alerts': { url: '/api/alerts?open=1' },
		'/api/alerts/[id]/ack': { url: '/api/alerts/987654321/ack', body: {} },
		'/api/wall/follow': { url: '/api/wall/follow', body: { center: [0, 0], zoom: 1 } },
		'/api/incidents': { url: '/api/incidents?overdue=1', body: {} },
		'/api/incidents/[id]': { url: `/api/incidents/${ids.incident}`, body: {} },
		'/api/incidents/[id]/transitions': {
			url: `/api/incidents/${ids.incident}/transitions`,
			body: {}
		},
		'/api/incidents/[id]/dispatch-nearest': {
			url: `/api/incidents/${ids.incident}/dispatch-nearest`,
			body: {}
		},
		'/api/incidents/[id]/nearest-units': { url: `/api/incidents/${ids.incident}/nearest-units` },
		'/api/units/nearest': { url: '/api/units/nearest?lon=117.7&lat=39.0' },
		'/ogc': { url: '/ogc' },
		'/ogc/api': { url: '/ogc/api' },
		'/ogc/conformance': { url: '/ogc/conformance' },
		'/ogc/collections': { url: '/ogc/collections' },
		'/ogc/collections/[id]': { url: '/ogc/collections/streets' },
		'/ogc/collections/[id]/queryables': { url: '/ogc/collections/incidents/queryables' },
		'/ogc/collections/[id]/items': { url: '/ogc/collections/streets/items?limit=1' },
		'/ogc/collections/[id]/items/[featureId]': { url: '/ogc/collections/streets/items/120116001' },
		'/api/plans/[cid]': { url: `/api/plans/${ids.community}` },
		// Writes with an empty body: allowed callers get a 4xx for the body, nothing is stored.
		'/api/plans/[cid]/draft': { url: `/api/plans/${ids.community}/draft`, body: {} },
		'/api/plans/[cid]/publish': { url: `/api/plans/${ids.community}/publish`, body: {} },
		'/api/plans/[cid]/schedule': { url: `/api/plans/${ids.community}/schedule?version=1` },
		'/api/plans/[cid]/import': { url: `/api/plans/${ids.community}/import`, body: {} },
		'/api/plans/[cid]/export': { url: `/api/plans/${ids.community}/export?format=geojson` },
		'/api/plans/[cid]/history': { url: `/api/plans/${ids.community}/history` },
		'/api/plans/[cid]/versions/[v]': { url: `/api/plans/${ids.community}/versions/0` },
		'/api/plans/[cid]/diff': { url: `/api/plans/${ids.community}/diff?from=0&to=draft` },
		'/api/plans/[cid]/incidents': { url: `/api/plans/${ids.community}/incidents?days=90` },
		'/api/admin/users': { url: '/api/admin/users', body: {} },
		'/api/admin/users/[id]': { url: '/api/admin/users/987654321', body: {} },
		'/api/admin/devices': { url: '/api/admin/devices', body: {} },
		'/api/admin/devices/[id]': { url: '/api/admin/devices/987654321' },
		'/api/audit': { url: '/api/audit?limit=1' },
		// An admin gets a backup of the embedded database (a few MB here).
		'/api/admin/backup': { url: '/api/admin/backup' },
		// A JSON body where a .zip belongs: an allowed caller gets 415, nothing is imported.
		'/api/admin/city': { url: '/api/admin/city' },
		'/api/admin/city/check': { url: '/api/admin/city/check', body: {} },
		'/api/admin/city/import': { url: '/api/admin/city/import', body: {} },
		// A JSON body where a CSV or XLSX file belongs: refused before anything is read.
		'/api/admin/cases/import': { url: '/api/admin/cases/import', body: {} }
	};
}

/** Public routes are tested on their own below, not in the matrix. */
const PUBLIC = new Set(['/login', '/kiosk/[token]', '/api/session', '/api/health']);

const cookieOf = (state: { cookies: { name: string; value: string }[] }) =>
	state.cookies.map((c) => `${c.name}=${c.value}`).join('; ');

async function call(
	baseURL: string,
	method: string,
	url: string,
	headers: Headers,
	body?: unknown
): Promise<{ status: number; json: Record<string, unknown> | null }> {
	const origin = new URL(baseURL).origin;
	const r = await fetch(origin + url, {
		method,
		redirect: 'manual',
		headers: {
			origin,
			accept: 'application/json',
			...(body !== undefined ? { 'content-type': 'application/json' } : {}),
			...headers
		},
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const type = r.headers.get('content-type') ?? '';
	// The live feed never ends: its status and headers are all we need.
	const json = type.includes('json') ? await r.json().catch(() => null) : null;
	if (!type.includes('json')) await r.body?.cancel();
	return { status: r.status, json };
}

test.describe('the role × route matrix', () => {
	test('every route × method × caller answers as the policy table says', async ({
		baseURL,
		stateOf,
		as
	}) => {
		test.setTimeout(180_000);
		const officerApi = await as('officer');
		const [first] = (
			(await (await officerApi.get('/ogc/collections/incidents/items?limit=1')).json()) as {
				features: { id: number }[];
			}
		).features;
		const communities = (await (await officerApi.get('/data/communities.geojson')).json()) as {
			features: { properties: { id: string } }[];
		};
		const sample = samples({
			incident: first.id,
			community: communities.features[0].properties.id
		});

		// Callers: each role, anonymous, forged, an ended session, a revoked device token.
		const callers: { name: string; role: Role | null; headers: Headers }[] = [];
		for (const role of ROLES)
			callers.push({
				name: role,
				role,
				headers: { cookie: cookieOf(await stateOf(role as TestRole)) }
			});
		callers.push({ name: 'anonymous', role: null, headers: {} });
		callers.push({
			name: 'forged session cookie',
			role: null,
			headers: { cookie: 'onemap_session=' + 'A'.repeat(43) }
		});
		const ended = await signIn(baseURL!, 'officer');
		await fetch(new URL('/api/session', baseURL).href, { method: 'DELETE', headers: ended });
		callers.push({
			name: 'signed-out (expired) session',
			role: null,
			headers: { cookie: ended.cookie }
		});
		const admin = await as('admin');
		const issued = (await (
			await admin.post('/api/admin/devices', { data: { name: 'e2e revoked', role: 'officer' } })
		).json()) as { device: { id: number }; token: string };
		expect((await admin.delete(`/api/admin/devices/${issued.device.id}`)).status()).toBe(200);
		callers.push({
			name: 'revoked device (Bearer)',
			role: null,
			headers: { authorization: `Bearer ${issued.token}` }
		});
		callers.push({
			name: 'revoked device (cookie)',
			role: null,
			headers: { cookie: `onemap_device=${issued.token}` }
		});

		const wrong: string[] = [];
		let checked = 0;
		const entries = Object.entries(POLICY).filter(([id]) => !PUBLIC.has(id));
		// Methods no entry lists are refused to everyone (deny by default).
		const unlisted: [string, string][] = [
			['/api/incidents', 'DELETE'],
			['/api/alerts', 'PUT'],
			['/ogc', 'POST'],
			['/data/[file]', 'DELETE']
		];
		for (const [id, policy] of entries) {
			const s = sample[id];
			expect(s, `a sample request for ${id}`).toBeTruthy();
			const methods = [
				...Object.keys(policy),
				...unlisted.filter(([u]) => u === id).map(([, m]) => m)
			];
			for (const method of methods) {
				for (const caller of callers) {
					const decision = decide(id, method, caller.role);
					const body = method === 'GET' || method === 'DELETE' ? undefined : (s.body ?? {});
					const { status, json } = await call(baseURL!, method, s.url, caller.headers, body);
					checked++;
					const ok =
						decision === 'allow'
							? status !== 401 && status !== 403 && status < 500
							: decision === 'sign-in'
								? status === 401 && typeof json?.message === 'string'
								: status === 403 && typeof json?.message === 'string';
					if (!ok)
						wrong.push(`${caller.name}: ${method} ${s.url} → ${status} (expected ${decision})`);
					if (caller.name.startsWith('revoked') && decision === 'sign-in')
						expect(json?.code).toBe('device_revoked');
				}
			}
		}
		console.log(`role × route matrix: ${checked} requests, ${wrong.length} wrong`);
		expect(wrong).toEqual([]);
		expect(checked).toBeGreaterThan(300);
	});

	test('signed-out page requests go to /login?next=…; a wrong role gets a 403 page', async ({
		baseURL,
		stateOf
	}) => {
		const origin = new URL(baseURL!).origin;
		const page = await fetch(`${origin}/?map=117.7,39.0,12`, {
			redirect: 'manual',
			headers: { accept: 'text/html' }
		});
		expect(page.status).toBe(303);
		expect(page.headers.get('location')).toBe('/login?next=%2F%3Fmap%3D117.7%2C39.0%2C12');
		const wall = await fetch(`${origin}/admin`, {
			redirect: 'manual',
			headers: { accept: 'text/html', cookie: cookieOf(await stateOf('wall')) }
		});
		expect(wall.status).toBe(403);
		expect(await wall.text()).toContain('无权访问');
	});
});

test.describe('direct object access', () => {
	test('a real id in the URL unlocks nothing the role may not do', async ({ as }) => {
		const officer = await as('officer');
		const planner = await as('planner');
		const wall = await as('wall');
		const [incident] = (
			(await (await officer.get('/ogc/collections/incidents/items?limit=1')).json()) as {
				features: { id: number }[];
			}
		).features;
		const before = (await (await officer.get(`/api/incidents/${incident.id}`)).json()) as {
			version: number;
			status: string;
		};
		// A planner with a valid body for a real case: refused, nothing changed.
		const step = await planner.post(`/api/incidents/${incident.id}/transitions`, {
			data: { action: 'register', version: before.version }
		});
		expect(step.status()).toBe(403);
		expect((await step.json()).message).toMatch(/planner/);
		expect(
			(
				await planner.post(`/api/incidents/${incident.id}/dispatch-nearest`, {
					data: { version: before.version }
				})
			).status()
		).toBe(403);
		const after = (await (await officer.get(`/api/incidents/${incident.id}`)).json()) as {
			version: number;
		};
		expect(after.version).toBe(before.version);
		// The wall cannot read a case (it names people), nor act on alerts.
		expect((await wall.get(`/api/incidents/${incident.id}`)).status()).toBe(403);
		expect((await wall.post('/api/alerts/1/ack')).status()).toBe(403);
		// An officer cannot write a plan, whatever community id is in the URL.
		const communities = (await (await officer.get('/data/communities.geojson')).json()) as {
			features: { properties: { id: string } }[];
		};
		const cid = communities.features[0].properties.id;
		const plan = (await (await officer.get(`/api/plans/${cid}`)).json()) as {
			draft: { version: number } | null;
		};
		const draftUrl = `/api/plans/${cid}/draft`;
		expect((await officer.put(draftUrl, { data: { version: null, grids: {} } })).status()).toBe(
			403
		);
		expect((await officer.delete(`${draftUrl}?version=${plan.draft?.version ?? 1}`)).status()).toBe(
			403
		);
		expect(
			(await officer.post(`/api/plans/${cid}/publish`, { data: { version: 1 } })).status()
		).toBe(403);
		expect(
			(
				await officer.post(`/api/plans/${cid}/import`, { data: { type: 'FeatureCollection' } })
			).status()
		).toBe(403);
	});

	test('the actor comes from the session: a body naming someone else is refused', async ({
		as
	}) => {
		const officer = await as('officer');
		const [incident] = (
			(await (await officer.get('/ogc/collections/incidents/items?limit=1')).json()) as {
				features: { id: number }[];
			}
		).features;
		const current = (await (await officer.get(`/api/incidents/${incident.id}`)).json()) as {
			version: number;
		};
		const forged = await officer.post(`/api/incidents/${incident.id}/transitions`, {
			data: { action: 'supervise', comment: 'x', actor: '局长', version: current.version }
		});
		expect(forged.status()).toBe(422);
		expect((await forged.json()).field).toBe('actor');
	});
});

test.describe('CSRF', () => {
	test('a cookie-carrying write must come from the app origin; Bearer clients are exempt', async ({
		baseURL,
		stateOf
	}) => {
		const origin = new URL(baseURL!).origin;
		const cookie = cookieOf(await stateOf('officer'));
		const body = JSON.stringify({ center: [117.7, 39.02], zoom: 12 });
		const post = (headers: Headers) =>
			fetch(`${origin}/api/wall/follow`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...headers },
				body
			});
		const evil = await post({ cookie, origin: 'http://evil.example' });
		expect(evil.status).toBe(403);
		expect(((await evil.json()) as { message: string }).message).toMatch(
			/Cross-site request refused/
		);
		expect((await post({ cookie })).status).toBe(403); // no Origin at all
		expect((await post({ cookie, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
		expect((await post({ cookie, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
		expect((await post({ cookie, origin })).status).toBe(200);
		// Sign-in itself is checked too (login CSRF).
		const login = await fetch(`${origin}/api/session`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
			body: JSON.stringify({ username: 'officer', password: DEMO_PASSWORDS.officer })
		});
		expect(login.status).toBe(403);
		// A Bearer token is no ambient credential: no Origin needed.
		const admin = await signIn(baseURL!, 'admin');
		const issued = await fetch(`${origin}/api/admin/devices`, {
			method: 'POST',
			headers: { ...admin, 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'e2e csrf', role: 'officer' })
		});
		const { token } = (await issued.json()) as { token: string };
		expect((await post({ authorization: `Bearer ${token}` })).status).toBe(200);
		// Each push is audited with who pushed it: the session's user, the token's device.
		const audit = (await (
			await fetch(`${origin}/api/audit?action=wall.follow&limit=2`, { headers: admin })
		).json()) as { entries: { actor: string; after: { zoom: number } }[] };
		expect(audit.entries.map((e) => e.actor)).toEqual(['e2e csrf', '王值班']);
		expect(audit.entries[0].after.zoom).toBe(12);
		await fetch(`${origin}/api/wall/follow`, {
			method: 'DELETE',
			headers: { authorization: `Bearer ${token}` }
		});
	});
});

test.describe('security headers', () => {
	test('every answer carries them; pages carry a CSP without unsafe-eval', async ({ request }) => {
		for (const url of ['/', '/api/alerts?open=1', '/data/manifest.json', '/login']) {
			const r = await request.get(url);
			const h = r.headers();
			expect(h['x-content-type-options'], url).toBe('nosniff');
			expect(h['x-frame-options'], url).toBe('DENY');
			expect(h['referrer-policy'], url).toBe('same-origin');
			expect(h['permissions-policy'], url).toContain('camera=()');
			expect(h['cross-origin-opener-policy'], url).toBe('same-origin');
			expect(h['cross-origin-resource-policy'], url).toBe('same-origin');
			expect(h['content-security-policy'], url).toContain("frame-ancestors 'none'");
		}
		const csp = (await request.get('/')).headers()['content-security-policy'];
		for (const d of [
			"default-src 'self'",
			"worker-src 'self' blob:",
			"connect-src 'self'",
			"img-src 'self' data: blob:",
			"style-src 'self'",
			"font-src 'self'",
			"object-src 'none'",
			"base-uri 'self'",
			"form-action 'self'"
		])
			expect(csp).toContain(d);
		expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
		expect(csp).not.toMatch(/unsafe-eval/);
		expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
	});
});

test.describe('signing in and out in the browser', () => {
	test.use({ storageState: { cookies: [], origins: [] } });

	test('signed out → /login (Chinese, English switch) → wrong password → signed in → 退出', async ({
		page,
		guard
	}) => {
		test.setTimeout(120_000);
		await page.goto('/?speed=0');
		await expect(page).toHaveURL(/\/login\?next=%2F%3Fspeed%3D0$/);
		await expect(page.getByTestId('login-submit')).toHaveText('登录');
		await page.getByTestId('lang-toggle').click();
		await expect(page.getByTestId('login-submit')).toHaveText('Sign in');
		await page.getByTestId('lang-toggle').click();

		await page.getByTestId('login-username').fill('officer');
		await page.getByTestId('login-password').fill('not the password');
		await page.getByTestId('login-submit').click();
		await expect(page.getByTestId('login-error')).toHaveText('用户名或密码错误');

		await page.getByTestId('login-password').fill(DEMO_PASSWORDS.officer);
		await page.getByTestId('login-submit').click();
		await expect(page).toHaveURL(/\/\?speed=0$/);
		await expect(page.getByTestId('user-name')).toHaveText('王值班');
		const cookies = await page.context().cookies();
		const session = cookies.find((c) => c.name === 'onemap_session')!;
		expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
		expect(await page.evaluate(() => document.cookie)).not.toContain('onemap_session');
		await expect(page.getByTestId('incident-total')).toBeVisible({ timeout: 60_000 });

		await page.getByTestId('sign-out').click();
		await expect(page).toHaveURL(/\/login$/);
		// The session is gone on the server, not only in this browser.
		const replay = await page.request.get('/api/alerts', {
			headers: { cookie: `onemap_session=${session.value}` }
		});
		expect(replay.status()).toBe(401);
		await page.goto('/');
		await expect(page).toHaveURL(/\/login\?next=%2F$/);
		// The browser itself logs the wrong password's 401; nothing else may fail.
		guard.consoleErrors = guard.consoleErrors.filter((e) => !/status of 401/.test(e));
	});
});

test.describe('the kiosk link', () => {
	test.use({ storageState: { cookies: [], origins: [] } });

	test('signs the wall in for good; revoked, the wall says 设备已停用 instead of failing', async ({
		browser,
		as,
		baseURL
	}) => {
		test.setTimeout(120_000);
		const admin = await as('admin');
		const issued = (await (
			await admin.post('/api/admin/devices', { data: { name: 'e2e 大厅大屏' } })
		).json()) as { device: { id: number }; kioskUrl: string };
		expect(issued.kioskUrl).toMatch(new RegExp(`^${baseURL}/kiosk/[A-Za-z0-9_-]{43}$`));
		const context = await browser.newContext({
			viewport: { width: 1280, height: 800 },
			storageState: { cookies: [], origins: [] }
		});
		const page = await context.newPage();
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		try {
			await page.goto(issued.kioskUrl + '?next=%2Fwall%3Fspeed%3D0');
			await expect(page).toHaveURL(/\/wall\?speed=0$/);
			await expect(page.getByTestId('kpi-closure').locator('b')).toHaveText(/%$/, {
				timeout: 60_000
			});
			// The wall says a wall device is signed in, not which one (issue 14).
			await expect(page.getByTestId('user-role')).toHaveText('设备 · 大屏');
			await expect(page.getByTestId('user-name')).toHaveCount(0);
			expect(await page.locator('body').innerText()).not.toContain('e2e 大厅大屏');
			const device = (await context.cookies()).find((c) => c.name === 'onemap_device')!;
			expect(device.httpOnly).toBe(true);
			expect(device.expires - Date.now() / 1000).toBeGreaterThan(300 * 24 * 3600);
			await expect.poll(() => page.evaluate(() => window.__WALL__!.live())).toBe(true);

			expect((await admin.delete(`/api/admin/devices/${issued.device.id}`)).status()).toBe(200);
			await expect(page.getByTestId('wall-revoked')).toBeVisible({ timeout: 20_000 });
			await expect(page.getByTestId('wall-revoked')).toContainText('设备已停用');
			expect(await page.evaluate(() => window.__WALL__!.revoked())).toBe(true);
			await page.reload();
			await expect(page).toHaveURL(/\/login\?next=%2Fwall%3Fspeed%3D0&device=revoked$/);
			await expect(page.getByTestId('login-device-revoked')).toContainText('设备已停用');
			expect(errors).toEqual([]);
		} finally {
			await context.close();
		}
	});
});

test.describe('the admin page', () => {
	test.use({ role: 'admin' });

	test('creates a user, issues and revokes a device token, and finds both in the audit log', async ({
		page
	}) => {
		await page.goto('/admin');
		await expect(page.getByTestId('admin-users')).toBeVisible();
		const name = `e2e${Date.now().toString(36)}`;
		await page.getByTestId('new-username').fill(name);
		await page.getByTestId('new-displayname').fill('测试员');
		await page.getByTestId('new-role').selectOption('planner');
		await page.getByTestId('new-password').fill('e2e-password-1');
		await page.getByTestId('new-user-submit').click();
		await expect(page.getByTestId(`user-${name}`)).toContainText('测试员');
		await page.getByTestId(`user-${name}`).getByTestId('user-toggle').click();
		await expect(page.getByTestId(`user-${name}`)).toContainText('已停用');

		await page.getByTestId('admin-tab-devices').click();
		await page.getByTestId('device-name').fill('e2e 值班室大屏');
		await page.getByTestId('device-issue').click();
		await expect(page.getByTestId('device-kiosk-url')).toContainText('/kiosk/');
		const row = page
			.getByTestId('admin-devices')
			.locator('tr', { hasText: 'e2e 值班室大屏' })
			.first();
		// Revoking asks first, naming the device: dismissed, nothing changes.
		const asked: string[] = [];
		page.once('dialog', (d) => {
			asked.push(d.message());
			void d.dismiss();
		});
		await row.getByTestId('device-revoke').click();
		await expect.poll(() => asked.length).toBe(1);
		expect(asked[0]).toContain('e2e 值班室大屏');
		await expect(row).toContainText('有效');
		page.once('dialog', (d) => void d.accept());
		await row.getByTestId('device-revoke').click();
		await expect(row).toContainText('已吊销');

		await page.getByTestId('admin-tab-audit').click();
		await page.getByTestId('audit-target-type').fill('user');
		await page.getByTestId('audit-apply').click();
		await expect(page.getByTestId('admin-audit')).toContainText('user.disable');
		await expect(page.getByTestId('admin-audit')).toContainText('user.create');
		await page.getByTestId('audit-target-type').fill('device');
		await page.getByTestId('audit-apply').click();
		await expect(page.getByTestId('admin-audit')).toContainText('device.revoke');
		await page.getByTestId('lang-toggle').click();
		await expect(page.getByTestId('admin-tab-audit')).toHaveText('Audit log');
	});
});

test.describe('the admin backup', () => {
	test.use({ role: 'admin' });

	test('/admin → 备份 downloads a gzipped tarball of the embedded database', async ({ page }) => {
		await page.goto('/admin');
		await page.getByTestId('admin-tab-backup').click();
		await expect(page.getByTestId('admin-backup')).toContainText('数据库备份');
		const arrived = page.waitForEvent('download');
		await page.getByTestId('backup-download').click();
		const download = await arrived;
		expect(download.suggestedFilename()).toMatch(/^onemap-backup-\d{8}-\d{4}\.tar\.gz$/);
		const bytes = readFileSync(await download.path());
		expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]); // gzip
		const tar = gunzipSync(bytes);
		expect(tar.subarray(257, 262).toString('latin1')).toBe('ustar'); // a tar header
		await expect(page.getByTestId('backup-notice')).toContainText(download.suggestedFilename());
	});
});

test.describe('the planner', () => {
	test.use({ role: 'planner' });

	test('reads the map data but not cases, and cannot open the command map', async ({
		request
	}: {
		request: APIRequestContext;
	}) => {
		expect((await request.get('/data/grids.geojson')).status()).toBe(200);
		expect((await request.get('/api/incidents/1')).status()).toBe(403);
		expect((await request.get('/api/stream')).status()).toBe(403);
	});
});
