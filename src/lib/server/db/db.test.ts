import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCity } from '../city/seed';
import { fixtureCity, writeFixtureCity } from '../testing/fixtureCity';
import { openTestDb, TEST_BACKEND } from '../testing/db';
import { bulkInsert, input } from './bulk';
import { MIGRATIONS, migrate } from './migrate';
import type { Db } from './types';

let db: Db;
beforeAll(async () => {
	db = await openTestDb();
}, 120_000);
afterAll(() => db?.close());

describe(`database layer (${TEST_BACKEND})`, () => {
	it('has PostGIS and every migration applied once', async () => {
		const [v] = await db.query<{ v: string }>('SELECT postgis_lib_version() AS v');
		expect(v.v).toMatch(/^3\./);
		const applied = await db.query<{ version: string }>(
			'SELECT version FROM schema_migrations ORDER BY version'
		);
		expect(applied.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
		expect(await migrate(db)).toEqual([]); // a second start applies nothing
	});

	it('indexes every geometry column with GiST', async () => {
		const rows = await db.query<{ table: string; gist: boolean }>(
			`SELECT c.f_table_name AS table,
			        EXISTS (SELECT 1 FROM pg_indexes i WHERE i.tablename = c.f_table_name
			                AND i.indexdef ILIKE '%USING gist (' || c.f_geometry_column || ')%') AS gist
			 FROM geometry_columns c WHERE c.f_table_schema = current_schema() ORDER BY 1`
		);
		expect(rows.map((r) => r.table)).toEqual([
			'community',
			'district',
			'grid',
			'hazmat_lane',
			'hazmat_site',
			'incident',
			'patrol_route',
			'street'
		]);
		expect(rows.every((r) => r.gist)).toBe(true);
	});

	it('returns the agreed value types', async () => {
		const [row] = await db.query<Record<string, unknown>>(
			`SELECT 42::int8 AS big, 1.5::numeric AS num, now() AS at, '{"a":1}'::jsonb AS doc,
			        ARRAY[1,2]::int8[] AS bigs, ARRAY['x','y'] AS texts`
		);
		expect(row).toMatchObject({
			big: 42,
			num: 1.5,
			doc: { a: 1 },
			bigs: [1, 2],
			texts: ['x', 'y']
		});
		expect(row.at).toBeInstanceOf(Date);
	});

	it('rolls a failed transaction back completely', async () => {
		await db.exec('CREATE TABLE tx_probe (n int PRIMARY KEY)');
		await expect(
			db.transaction(async (tx) => {
				await tx.query('INSERT INTO tx_probe VALUES (1)');
				await tx.query('INSERT INTO tx_probe VALUES (1)'); // duplicate key
			})
		).rejects.toThrow();
		expect(await db.query('SELECT * FROM tx_probe')).toEqual([]);
		await db.transaction((tx) => tx.query('INSERT INTO tx_probe VALUES (2)'));
		expect(await db.query('SELECT n FROM tx_probe')).toEqual([{ n: 2 }]);
	});

	it('bulk-inserts in batches with derived columns', async () => {
		await db.exec('CREATE TABLE bulk_probe (n int, label text, pt geometry(Point, 4326))');
		const n = 1234;
		await db.transaction((tx) =>
			bulkInsert(
				tx,
				'bulk_probe',
				{
					n: input(
						'int4',
						Array.from({ length: n }, (_, i) => i)
					),
					label: input(
						'text',
						Array.from({ length: n }, (_, i) => `第${i}号 "quoted", {x}`)
					),
					x: input(
						'float8',
						Array.from({ length: n }, (_, i) => 117 + i / 1e4)
					)
				},
				{ x: null, pt: 'ST_SetSRID(ST_MakePoint(x, 39), 4326)' },
				500
			)
		);
		const [row] = await db.query<{ c: number; label: string; x: number }>(
			`SELECT count(*) OVER () AS c, label, ST_X(pt) AS x FROM bulk_probe WHERE n = 7`
		);
		expect(row).toEqual({ c: 1, label: '第7号 "quoted", {x}', x: 117.0007 });
		const [count] = await db.query<{ c: number }>('SELECT count(*) AS c FROM bulk_probe');
		expect(count.c).toBe(n);
	});

	it('refuses to start empty without a demo city to load', async () => {
		const empty = mkdtempSync(join(tmpdir(), 'onemap-empty-'));
		await expect(ensureCity(db, { dataDir: empty, cityPack: null })).rejects.toThrow(
			/npm run data/
		);
		rmSync(empty, { recursive: true });
	});

	it('loads the demo city pack from a data folder once (read → check → import), and continues incident ids after it', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'onemap-city-'));
		writeFixtureCity(dir);
		const first = await ensureCity(db, { dataDir: dir, cityPack: null });
		expect(first).toMatchObject({ loaded: true, incidents: 12 });
		expect(await ensureCity(db, { dataDir: dir, cityPack: null })).toMatchObject({ loaded: false });
		rmSync(dir, { recursive: true });

		const [counts] = await db.query<Record<string, number>>(
			`SELECT (SELECT count(*) FROM street) AS streets, (SELECT count(*) FROM grid) AS grids,
			        (SELECT count(*) FROM incident) AS incidents, (SELECT count(*) FROM patrol_unit) AS units,
			        (SELECT count(*) FROM incident WHERE closed_ts IS NOT NULL) AS closed`
		);
		expect(counts).toEqual({ streets: 2, grids: 4, incidents: 12, units: 2, closed: 3 });
		const [first12] = await db.query<{ ts: number; lon: number }>(
			`SELECT (extract(epoch FROM ts) * 1000)::float8 AS ts, ST_X(geom) AS lon FROM incident WHERE id = 12`
		);
		const fixture = fixtureCity().incidents;
		expect(first12).toEqual({ ts: fixture.ts[11], lon: fixture.lon[11] });
		const [next] = await db.query<{ id: number }>(
			`SELECT nextval(pg_get_serial_sequence('incident', 'id')) AS id`
		);
		expect(next.id).toBe(13);
		const [site] = await db.query<{ substances: string[] }>(
			`SELECT substances FROM hazmat_site WHERE id = 'HZ001'`
		);
		expect(site.substances).toEqual(['苯', '柴油']);
	});
});
