/**
 * Shared e2e fixtures: every test fails on a console error, an uncaught page error, or a request
 * that leaves the app's origin.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { PNG } from 'pngjs';
import type { OneMapHandle } from '../../src/lib/map/handle';

export interface Guard {
	consoleErrors: string[];
	offOrigin: string[];
}

export const test = base.extend<{ guard: Guard }>({
	guard: async ({ page, baseURL }, use) => {
		const origin = new URL(baseURL!).origin;
		const guard: Guard = { consoleErrors: [], offOrigin: [] };
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
		expect(guard.consoleErrors, 'console errors').toEqual([]);
		expect(guard.offOrigin, 'requests outside the origin').toEqual([]);
	}
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
