/**
 * OGC API – Features checked by a client nobody here wrote: GDAL's OAPIF driver (Debian
 * gdal-bin) lists the collections and reads features from the e2e server, as QGIS would.
 */
import { expect, test } from '@playwright/test';
import { execFileSync, spawnSync } from 'node:child_process';
import { bearer } from './auth';

const hasGdal = spawnSync('ogrinfo', ['--version']).status === 0;
// CI installs gdal-bin and sets ONEMAP_REQUIRE_GDAL=1: there a missing ogrinfo is a failure.
const required = process.env.ONEMAP_REQUIRE_GDAL === '1';

test.skip(!hasGdal && !required, 'ogrinfo not installed (apt-get install gdal-bin)');

/** GDAL signs in as an integration client: an officer-role device token as a Bearer header. */
let auth: Record<string, string> = {};

function gdal(tool: string, args: string[]): string {
	return execFileSync(tool, args, {
		encoding: 'utf8',
		timeout: 120_000,
		maxBuffer: 64 << 20,
		env: { ...process.env, GDAL_HTTP_HEADERS: `Authorization: ${auth.authorization}` }
	});
}

test('GDAL lists the OGC API collections and reads their features', async ({ baseURL }) => {
	auth = await bearer(baseURL!, 'e2e GDAL', 'officer');
	const source = `OAPIF:${baseURL}/ogc`;
	const layers = gdal('ogrinfo', ['-ro', '-q', source]);
	for (const name of [
		'streets',
		'communities',
		'grids',
		'hazmat-sites',
		'patrol-routes',
		'incidents'
	]) {
		expect(layers).toMatch(new RegExp(`^\\d+: ${name} \\(`, 'm'));
	}

	const manifest = await (await fetch(`${baseURL}/data/manifest.json`, { headers: auth })).json();
	const summary = gdal('ogrinfo', ['-ro', '-so', source, 'grids']);
	expect(summary).toContain(`Feature Count: ${manifest.counts.grids}`);
	expect(summary).toMatch(/workerName: String/);

	// Every street, through paging, as GeoJSON.
	const streets = JSON.parse(
		gdal('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', source, 'streets', '-oo', 'PAGE_SIZE=5'])
	);
	expect(streets.features).toHaveLength(manifest.counts.streets);
	expect(streets.features[0].properties.name).toMatch(/街道|镇/);
	expect(streets.features[0].geometry.type).toBe('Polygon');

	// A spatial filter becomes a bbox request; every feature returned lies in it.
	const [cx, cy] = manifest.center as [number, number];
	const [x0, y0, x1, y1] = [cx - 0.05, cy - 0.05, cx + 0.05, cy + 0.05];
	const spat = [x0, y0, x1, y1].map(String);
	const near = JSON.parse(
		gdal('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', source, 'incidents', '-spat', ...spat])
	);
	expect(near.features.length).toBeGreaterThan(0);
	// One expect for all (Playwright records every expect as a step: thousands cost seconds).
	const outside = (
		near.features as { geometry: { coordinates: number[] }; properties: { gridId: string } }[]
	).filter(
		({
			geometry: {
				coordinates: [lon, lat]
			},
			properties
		}) =>
			lon < x0 - 1e-9 ||
			lon > x1 + 1e-9 ||
			lat < y0 - 1e-9 ||
			lat > y1 + 1e-9 ||
			!/^\d{14}$/.test(properties.gridId)
	);
	expect(outside).toEqual([]);
});

test('without a token GDAL is refused', async ({ baseURL }) => {
	const r = spawnSync('ogrinfo', ['-ro', '-q', `OAPIF:${baseURL}/ogc`], {
		encoding: 'utf8',
		timeout: 60_000,
		env: { ...process.env, GDAL_HTTP_HEADERS: '' }
	});
	expect(r.status).not.toBe(0);
	expect(r.stderr).toMatch(/401/);
});
