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

/**
 * GDAL 3.6 pushes the equalities of a -where that name a queryable down as query parameters
 * (`?status=closed`, read from the per-collection parameters of /ogc/api) and evaluates the
 * rest itself; it does not send a CQL2 `filter`. So GDAL's own reading of a where clause is an
 * independent check of the server's CQL2: both must count the same features.
 */
test('GDAL -where and the CQL2 filter count the same incidents', async ({ baseURL }) => {
	auth = await bearer(baseURL!, 'e2e GDAL where', 'officer');
	const source = `OAPIF:${baseURL}/ogc`;
	const count = (where: string) => {
		const out = gdal('ogrinfo', [
			...['-ro', '-so', '-oo', 'PAGE_SIZE=10000', source, 'incidents', '-where', where]
		]);
		return Number(/Feature Count: (\d+)/.exec(out)?.[1]);
	};
	const matched = async (query: string) => {
		const r = await fetch(`${baseURL}/ogc/collections/incidents/items?limit=1&${query}`, {
			headers: auth
		});
		expect(r.status).toBe(200);
		return ((await r.json()) as { numberMatched: number }).numberMatched;
	};
	const filter = (cql: string) => `filter=${encodeURIComponent(cql)}`;
	const cases: [string, string][] = [
		["status = 'closed'", "status = 'closed'"],
		["type = 'dispute' AND priority <= 2", "type = 'dispute' AND priority <= 2"],
		["priority IN (1, 2) OR type LIKE 'pol%'", "priority IN (1, 2) OR type LIKE 'pol%'"],
		[
			'priority BETWEEN 2 AND 3 AND closedTs IS NOT NULL',
			'priority BETWEEN 2 AND 3 AND closedTs IS NOT NULL'
		]
	];
	// The server's counts first: a pooled connection left idle while GDAL runs may be closed.
	const server: number[] = [];
	for (const [, cql] of cases) server.push(await matched(filter(cql)));
	// The queryable as a parameter, as GDAL sends it, agrees too.
	expect(await matched('status=closed')).toBe(server[0]);
	cases.forEach(([where], i) => {
		expect(server[i], where).toBeGreaterThan(0);
		expect({ where, n: count(where) }).toEqual({ where, n: server[i] });
	});
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
