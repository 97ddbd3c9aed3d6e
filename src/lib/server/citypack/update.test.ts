/**
 * A new version of a loaded real city (issue 12): its boundaries replace the loaded ones through
 * the grid-plan history — a published version per changed community, incidents placed again and
 * audited, removed units recorded — never by silently dropping rows.
 *
 * v1: the fixture city (2 streets, 3 communities, 4 grids) as a real city.
 * v2: community A1's two grids merged into one; community B2 folded into B1 (B1 and its grid
 *     grow over B2, which is gone with its grid).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CityData } from '../city/cityData';
import type { Db } from '../db/types';
import { ApiError } from '../http/errors';
import { intakeIncidents } from '../incidents/intake';
import { validateIntake } from '../incidents/validate';
import { openTestDb } from '../testing/db';
import {
	COMMUNITY_A1,
	COMMUNITY_B1,
	COMMUNITY_B2,
	GRID_A1_01,
	GRID_A1_02,
	GRID_B1_01,
	GRID_B2_01,
	fixtureCity,
	writeFixtureCity
} from '../testing/fixtureCity';
import { importCityPack } from '.';
import { formatImport } from './report';
import { updateSummary } from './update';

const tmp = mkdtempSync(join(tmpdir(), 'onemap-update-'));
let db: Db;

function rect(x0: number, y0: number, x1: number, y1: number): Polygon {
	const ring = [
		[x0, y0],
		[x1, y0],
		[x1, y1],
		[x0, y1],
		[x0, y0]
	];
	return { type: 'Polygon', coordinates: [ring] };
}

/** The fixture city as a real city's pack, `change`d, with its own version and code. */
function pack(name: string, change: (c: CityData) => void = () => {}, code = '120116'): string {
	// A copy: the fixture's features are shared module objects.
	const city = structuredClone(fixtureCity());
	change(city);
	const dir = join(tmp, name);
	writeFixtureCity(dir, city);
	const file = join(dir, 'city.json');
	const manifest = JSON.parse(readFileSync(file, 'utf8'));
	manifest.city = { ...manifest.city, synthetic: false, code, name: { zh: '滨海测试市' } };
	manifest.version = name;
	writeFileSync(file, JSON.stringify(manifest));
	return dir;
}

const v2 = (c: CityData) => {
	const a1 = c.grids.features.find((g) => g.properties.id === GRID_A1_01)!;
	a1.geometry = rect(117.6, 39.0, 117.62, 39.02);
	const b1 = c.grids.features.find((g) => g.properties.id === GRID_B1_01)!;
	b1.geometry = rect(117.62, 39.0, 117.64, 39.02);
	c.grids.features = c.grids.features.filter(
		(g) => g.properties.id !== GRID_A1_02 && g.properties.id !== GRID_B2_01
	);
	c.communities.features.find((f) => f.properties.id === COMMUNITY_B1)!.geometry = rect(
		117.62,
		39.0,
		117.64,
		39.02
	);
	c.communities.features = c.communities.features.filter((f) => f.properties.id !== COMMUNITY_B2);
};

const count = async (sql: string, params: unknown[] = []) =>
	(await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n;

beforeAll(async () => {
	db = await openTestDb();
}, 180_000);
afterAll(async () => {
	await db?.close();
	rmSync(tmp, { recursive: true, force: true });
});

describe('a new version of the loaded city', { timeout: 240_000 }, () => {
	let caseId = 0;

	it('v1 goes into the empty database as it is', async () => {
		const run = await importCityPack(db, pack('v1'), { actor: 'test' });
		expect(run.result).toMatchObject({ mode: 'fresh', update: null });
		expect(await count('grid')).toBe(4);
		// An open case in grid A1-02, which v2 merges away.
		const { incidents, batch } = validateIntake({ type: 'dispute', lon: 117.61, lat: 39.015 });
		const [stored] = await intakeIncidents(db, incidents, batch, 'test');
		expect(stored.gridId).toBe(GRID_A1_02);
		caseId = stored.id;
	});

	it('v2 publishes a plan version per changed community, places incidents again, removes B2', async () => {
		const before = await count('incident');
		const inB2 = await count('incident WHERE grid_id = $1', [GRID_B2_01]);
		expect(inB2).toBeGreaterThan(0);
		const run = await importCityPack(db, pack('v2', v2), { actor: 'test' });
		const r = run.result!;
		expect(r.mode).toBe('update');
		expect(r.update!.plans.map((p) => p.communityId).sort()).toEqual([COMMUNITY_A1, COMMUNITY_B1]);
		expect(r.update!.removed).toEqual({
			grid: [GRID_A1_02, GRID_B2_01],
			community: [COMMUNITY_B2]
		});
		expect(r.update!.incidentsSkipped).toBe(true);
		// Nothing dropped: every incident is still there, each inside a grid of v2.
		expect(await count('incident')).toBe(before);
		expect(
			await count(`incident WHERE grid_id = ANY($1::text[])`, [[GRID_A1_02, GRID_B2_01]])
		).toBe(0);
		expect(
			await count(
				`incident i JOIN grid g ON g.id = i.grid_id
				 WHERE NOT ST_Intersects(g.geom, i.geom) OR g.community_id <> i.community_id`
			)
		).toBe(0);
		expect(await count('incident WHERE grid_id = $1', [GRID_B1_01])).toBeGreaterThanOrEqual(inB2);
		// The open case moved into the merged grid, with an entry on its trail.
		const [moved] = await db.query<{ grid_id: string }>(
			'SELECT grid_id FROM incident WHERE id = $1',
			[caseId]
		);
		expect(moved.grid_id).toBe(GRID_A1_01);
		const trail = await db.query<{ action: string; comment: string }>(
			'SELECT action, comment FROM incident_event WHERE incident_id = $1 ORDER BY id',
			[caseId]
		);
		expect(trail.at(-1)).toMatchObject({ action: 'reassign_grid' });
		// The grid-plan history: version 0 (as loaded) and 1 (the pack), named in the note.
		const versions = await db.query<{ version: number; note: string; removed: string[] }>(
			'SELECT version, note, removed FROM plan_version WHERE community_id = $1 ORDER BY version',
			[COMMUNITY_A1]
		);
		expect(versions.map((v) => v.version)).toEqual([0, 1]);
		expect(versions[1]).toMatchObject({ removed: [GRID_A1_02] });
		expect(versions[1].note).toContain('v2');
		// B2's removal is in the audit log, and the import record says update.
		expect(await count(`audit_log WHERE action = 'city.update.remove'`)).toBe(1);
		const modes = await db.query<{ mode: string }>('SELECT mode FROM city_pack_import ORDER BY id');
		expect(modes.map((m) => m.mode)).toEqual(['fresh', 'update']);
		expect(r.events.at(-1)).toMatchObject({ type: 'city', version: 'v2' });
		expect(formatImport({ ...r, update: updateSummary(r.update!) })).toMatch(
			/2 communities got a new grid plan version/
		);
	});

	it('the same version again changes no grid', async () => {
		const run = await importCityPack(db, pack('v2-again', v2), { actor: 'test' });
		expect(run.result!.update).toMatchObject({ plans: [], incidentsMoved: 0, removed: {} });
		expect(await count('plan_version WHERE community_id = $1', [COMMUNITY_A1])).toBe(2);
	});

	it('a pack of another real city is refused, and nothing changes', async () => {
		const grids = await count('grid');
		const err = await importCityPack(
			db,
			pack('other', () => {}, '310000'),
			{
				actor: 'test'
			}
		).catch((e) => e);
		expect(err).toBeInstanceOf(ApiError);
		expect((err as ApiError).status).toBe(409);
		expect(await count('grid')).toBe(grids);
	});

	it('a grid id moved to another community is refused with the grid named', async () => {
		const err = await importCityPack(
			db,
			pack('moved', (c) => {
				v2(c);
				// B1-01's id given to A1's grid, B1 gets a new one.
				c.grids.features.find((g) => g.properties.id === GRID_A1_01)!.properties.id =
					'12011600100199';
				for (const g of c.grids.features)
					if (g.properties.id === GRID_B1_01) g.properties.id = '12011600200199';
				c.grids.features.find((g) => g.properties.id === '12011600100199')!.properties.id =
					GRID_B1_01;
			}),
			{ actor: 'test' }
		).catch((e) => e);
		expect(err).toBeInstanceOf(ApiError);
		expect((err as ApiError).status).toBe(422);
		expect((err as ApiError).message).toContain(GRID_B1_01);
		expect(
			await count('grid WHERE id = $1 AND community_id = $2', [GRID_B1_01, COMMUNITY_B1])
		).toBe(1);
	});
});
