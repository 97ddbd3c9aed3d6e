/**
 * Shared e2e fixtures: every test fails on a console error, an uncaught page error, a
 * Content-Security-Policy violation, or a request that leaves the app's origin.
 *
 * Every test runs signed in: `role` (default 'officer'; `test.use({ role: 'planner' })` in a spec
 * file) signs the browser context and the `request` fixture in through the real login API — or,
 * for 'wall', through a kiosk link an admin issued — once per worker. `request` sends the
 * session cookie and the app's Origin (the CSRF check). `as(role)` gives an API context of
 * another role, `stateOf(role)` the storage state for `browser.newPage({ storageState })`.
 */
import {
	test as base,
	expect,
	type APIRequestContext,
	type Page,
	type PlaywrightWorkerArgs
} from '@playwright/test';
import { PNG } from 'pngjs';
import type { OneMapHandle } from '../../src/lib/map/handle';
import { DEMO_PASSWORDS, type DemoRole } from './auth';

export interface Guard {
	consoleErrors: string[];
	offOrigin: string[];
}

export type TestRole = DemoRole | 'wall';
type StorageState = Awaited<ReturnType<APIRequestContext['storageState']>>;

/** Storage states by base URL and role, signed in once per worker. */
const states = new Map<string, Promise<StorageState>>();

async function signedInState(
	playwright: PlaywrightWorkerArgs['playwright'],
	baseURL: string,
	role: TestRole
): Promise<StorageState> {
	const origin = new URL(baseURL).origin;
	// Explicitly empty: contexts made in a test otherwise start from the test's storageState.
	const empty = { cookies: [], origins: [] };
	const ctx = await playwright.request.newContext({
		baseURL,
		storageState: empty,
		extraHTTPHeaders: { origin }
	});
	try {
		const username: DemoRole = role === 'wall' ? 'admin' : role;
		const r = await ctx.post('/api/session', {
			data: { username, password: DEMO_PASSWORDS[username] }
		});
		if (!r.ok()) throw new Error(`sign-in as ${username}: ${r.status()} ${await r.text()}`);
		if (role !== 'wall') return await ctx.storageState();
		// The wall: a device token from the admin, stored by visiting its kiosk link.
		const issued = await ctx.post('/api/admin/devices', {
			data: { name: 'e2e 大屏', role: 'wall' }
		});
		if (issued.status() !== 201)
			throw new Error(`issuing the wall's token: ${await issued.text()}`);
		const { token } = (await issued.json()) as { token: string };
		const kiosk = await playwright.request.newContext({ baseURL, storageState: empty });
		try {
			const visit = await kiosk.get(`/kiosk/${token}`, { maxRedirects: 0 });
			if (visit.status() !== 303) throw new Error(`kiosk link: ${visit.status()}`);
			return await kiosk.storageState();
		} finally {
			await kiosk.dispose();
		}
	} finally {
		await ctx.dispose();
	}
}

export const test = base.extend<{
	guard: Guard;
	role: TestRole;
	stateOf: (role: TestRole) => Promise<StorageState>;
	as: (role: TestRole) => Promise<APIRequestContext>;
}>({
	role: ['officer', { option: true }],
	stateOf: async ({ playwright, baseURL }, use) => {
		await use((role) => {
			const key = `${baseURL}|${role}`;
			let state = states.get(key);
			if (!state) {
				state = signedInState(playwright, baseURL!, role);
				state.catch(() => states.delete(key));
				states.set(key, state);
			}
			return state;
		});
	},
	storageState: async ({ role, stateOf }, use) => use(await stateOf(role)),
	as: async ({ playwright, baseURL, stateOf }, use) => {
		const made: APIRequestContext[] = [];
		await use(async (role) => {
			const ctx = await playwright.request.newContext({
				baseURL,
				storageState: await stateOf(role),
				extraHTTPHeaders: { origin: new URL(baseURL!).origin }
			});
			made.push(ctx);
			return ctx;
		});
		await Promise.all(made.map((c) => c.dispose()));
	},
	request: async ({ as, role }, use) => use(await as(role)),
	guard: [
		async ({ page, baseURL }, use) => {
			const origin = new URL(baseURL!).origin;
			const guard: Guard = { consoleErrors: [], offOrigin: [] };
			// CSP violations: Chromium logs most as console errors; the event catches the rest.
			await page.addInitScript(() => {
				document.addEventListener('securitypolicyviolation', (e) =>
					console.error(
						`CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`
					)
				);
			});
			page.on('console', (msg) => {
				if (msg.type() === 'error') guard.consoleErrors.push(msg.text());
			});
			page.on('pageerror', (err) => guard.consoleErrors.push(`pageerror: ${err.message}`));
			page.on('request', (req) => {
				const url = req.url();
				if (url.startsWith('data:') || url.startsWith('blob:')) return;
				if (new URL(url).origin !== origin) guard.offOrigin.push(url);
			});
			await use(guard);
			expect(guard.consoleErrors, 'console errors (CSP violations included)').toEqual([]);
			expect(guard.offOrigin, 'requests outside the origin').toEqual([]);
		},
		// Every test of these specs, not only those that ask for it.
		{ auto: true }
	]
});

export { expect };

/** Reads the app's read-only test handle. */
export function onemap<T>(page: Page, fn: (h: OneMapHandle) => T): Promise<T> {
	return page.evaluate(`(${fn.toString()})(window.__ONEMAP__)`) as Promise<T>;
}

/** Opens the command map with a frozen patrol clock and waits until everything is drawn. */
export async function openMap(page: Page, query = '') {
	await page.goto(`/?clock=10:00&speed=0${query}`);
	await expect(page.getByTestId('incident-total')).toBeVisible({ timeout: 60_000 });
	await expect(page.getByTestId('loading')).toBeHidden({ timeout: 60_000 });
	await settle(page);
}

/** Waits until deck.gl has drawn the latest clusters and stopped drawing. */
export async function settle(page: Page) {
	await page.waitForFunction(() => {
		const h = (window as unknown as { __ONEMAP__?: OneMapHandle }).__ONEMAP__;
		return !!h && h.largestCluster() !== null && h.deckFrames() > 0;
	});
	let frames = -1;
	for (let i = 0; i < 40; i++) {
		const now = await onemap(page, (h) => h.deckFrames());
		if (now === frames) return;
		frames = now;
		await page.waitForTimeout(400);
	}
}

export interface PixelStats {
	width: number;
	height: number;
	/** Share of pixels that differ from the most common colour (the background). */
	nonBackground: number;
	/** Distinct colours after quantising each channel to 32 levels. */
	colours: number;
	data: Buffer;
}

export function pixelStats(png: Buffer): PixelStats {
	const img = PNG.sync.read(png);
	const counts = new Map<number, number>();
	for (let i = 0; i < img.data.length; i += 4) {
		const key = ((img.data[i] >> 3) << 10) | ((img.data[i + 1] >> 3) << 5) | (img.data[i + 2] >> 3);
		counts.set(key, (counts.get(key) ?? 0) + 1);
	}
	const total = img.width * img.height;
	const background = Math.max(...counts.values());
	return {
		width: img.width,
		height: img.height,
		nonBackground: 1 - background / total,
		colours: [...counts.values()].filter((n) => n > total * 0.0005).length,
		data: img.data
	};
}

/** Share of pixels that differ noticeably between two same-sized screenshots. */
export function pixelDiff(a: PixelStats, b: PixelStats): number {
	let differing = 0;
	for (let i = 0; i < a.data.length; i += 4) {
		const d =
			Math.abs(a.data[i] - b.data[i]) +
			Math.abs(a.data[i + 1] - b.data[i + 1]) +
			Math.abs(a.data[i + 2] - b.data[i + 2]);
		if (d > 24) differing++;
	}
	return differing / (a.width * a.height);
}
