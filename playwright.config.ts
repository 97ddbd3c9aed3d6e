import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 4173);

/** Chromium flags that work headless on a machine without GPU (see docs/testing.md). */
export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu-sandbox',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--use-gl=angle',
	'--use-angle=gl-egl',
	'--ignore-gpu-blocklist',
	'--enable-unsafe-swiftshader'
];

export default defineConfig({
	testDir: 'tests/e2e',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 90_000,
	expect: { timeout: 30_000 },
	reporter: [['list']],
	use: {
		baseURL: `http://127.0.0.1:${PORT}`,
		viewport: { width: 1280, height: 800 },
		deviceScaleFactor: 1,
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: CHROMIUM_ARGS
		}
	},
	webServer: {
		command: 'node scripts/start.js',
		url: `http://127.0.0.1:${PORT}/data/manifest.json`,
		timeout: 300_000,
		reuseExistingServer: false,
		stdout: 'pipe',
		env: {
			PORT: String(PORT),
			HOST: '127.0.0.1',
			// A small city keeps the suite fast; the million-incident city is for `npm run bench`.
			ONEMAP_DATA_DIR: process.env.E2E_DATA_DIR ?? 'var/e2e-data',
			ONEMAP_DB_DIR: process.env.E2E_DB_DIR ?? 'var/e2e-db',
			// Counts in the tests are checked against the snapshot: no simulated intake meanwhile.
			ONEMAP_SIMULATOR: 'off',
			ONEMAP_DEMO_INCIDENTS: '20000'
		}
	}
});
