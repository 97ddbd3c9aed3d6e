import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITY_FILES } from '$lib/domain/city';
import {
	INCIDENT_COLUMNS,
	INCIDENT_SOURCES,
	INCIDENT_STATUSES,
	INCIDENT_TYPES
} from '$lib/domain/incidents';
import { CityFileCache } from '../city/files';
import { loadCity } from '../city/load';
import type { Db } from '../db/types';
import { ApiError } from '../http/errors';
import { openTestDb, TEST_BACKEND } from '../testing/db';
import {
	COMMUNITY_B1,
	fixtureCity,
	GRID_A1_01,
	GRID_A1_02,
	GRID_B1_01,
	GRID_B2_01,
	STREET_A,
	STREET_B
} from '../testing/fixtureCity';
import { intakeIncidents } from './intake';
import { loadCase, transition } from './lifecycle';
import { SnapshotCache } from './snapshot';
import { validateIntake } from './validate';

let db: Db;
beforeAll(async () => {
	db = await openTestDb();
	await db.transaction((tx) => loadCity(tx, fixtureCity()));
}, 120_000);
afterAll(() => db?.close());

const count = async () =>
	(await db.query<{ n: number }>('SELECT count(*)::int AS n FROM incident'))[0].n;

/** Validate + store, as POST /api/incidents does. */
async function intake(body: unknown) {
	const { incidents, batch } = validateIntake(body);
	return intakeIncidents(db, incidents, batch, 'test');
}

async function rejection(body: unknown): Promise<ApiError> {
	const err = await intake(body).then(
		() => null,
		(e: unknown) => e
	);
	if (!(err instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(err)}`);
	return err;
}

describe(`incident intake (${TEST_BACKEND})`, () => {
	it('places each incident in the grid that contains it, with its community and street', async () => {
		const cases = [
			[117.61, 39.005, GRID_A1_01, STREET_A],
			[117.61, 39.015, GRID_A1_02, STREET_A],
			[117.625, 39.019, GRID_B1_01, STREET_B],
			[117.639, 39.001, GRID_B2_01, STREET_B]
		] as const;
		for (const [lon, lat, grid, street] of cases) {
			const [r] = await intake({ type: 'dispute', lon, lat });
			expect(r).toMatchObject({ lon, lat, gridId: grid, streetId: street, status: 'reported' });
			expect(r.id).toBeGreaterThan(12);
		}
		const [b1] = await intake({ type: 'traffic', lon: 117.621, lat: 39.01 });
		expect(b1.communityId).toBe(COMMUNITY_B1);
	});

	it('puts a point on a shared border into exactly one grid', async () => {
		// 117.62 is the border of street A and street B; 39.01 also the border of A1-01 and A1-02.
		const [r] = await intake({ type: 'dispute', lon: 117.62, lat: 39.01 });
		expect([GRID_A1_01, GRID_A1_02, GRID_B1_01]).toContain(r.gridId);
		expect(r.gridId).toBe(GRID_A1_01); // the first in the grids' order
	});

	it('rejects a point outside the jurisdiction, naming the field, storing nothing', async () => {
		const before = await count();
		const err = await rejection({ type: 'dispute', lon: 117.7, lat: 39.005 });
		expect(err).toMatchObject({ status: 422, field: 'lon' });
		expect(err.message).toMatch(/outside the jurisdiction/);
		// A batch with one bad point is rejected as a whole.
		const batch = [
			{ type: 'dispute', lon: 117.61, lat: 39.005 },
			{ type: 'dispute', lon: 117.61, lat: 39.005 },
			{ type: 'dispute', lon: 118.5, lat: 39.005 }
		];
		const batchErr = await rejection(batch);
		expect(batchErr).toMatchObject({ status: 422, field: '[2].lon' });
		expect(await count()).toBe(before);
	});

	it('stores a batch in one transaction, ids in the order sent', async () => {
		const before = await count();
		const body = Array.from({ length: 500 }, (_, i) => ({
			type: INCIDENT_TYPES[i % INCIDENT_TYPES.length],
			source: INCIDENT_SOURCES[i % INCIDENT_SOURCES.length],
			lon: 117.601 + (i % 38) * 0.001,
			lat: 39.001 + Math.floor(i / 38) * 0.001,
			ts: Date.UTC(2026, 10, 1) + i * 1000,
			description: i === 7 ? '噪音扰民，多次协调未果' : undefined
		}));
		const rows = await intake(body);
		expect(rows).toHaveLength(500);
		expect(await count()).toBe(before + 500);
		for (let i = 1; i < rows.length; i++) expect(rows[i].id).toBe(rows[i - 1].id + 1);
		expect(rows[7]).toMatchObject({
			type: body[7].type,
			ts: body[7].ts,
			description: '噪音扰民，多次协调未果',
			lon: body[7].lon
		});
	});

	it('stores GCJ-02 input at its WGS84 position', async () => {
		// What a phone app on GCJ-02 reports for WGS84 (117.61, 39.005).
		const [r] = await intake({ type: 'pollution', lon: 117.6162, lat: 39.0062, crs: 'gcj02' });
		expect(r.lon).toBeCloseTo(117.61, 2);
		expect(r.lat).toBeCloseTo(39.005, 2);
		const [stored] = await db.query<{ crs: string }>(
			'SELECT reported_crs AS crs FROM incident WHERE id = $1',
			[r.id]
		);
		expect(stored.crs).toBe('gcj02');
	});

	it('stamps the closing time when a case is closed (full cycle in lifecycle.test.ts)', async () => {
		const [r] = await intake({ type: 'fire_hazard', lon: 117.61, lat: 39.005 });
		let version = r.version;
		const step = async (
			action: 'register' | 'dispatch' | 'accept' | 'submit' | 'close',
			at?: number
		) => {
			const assignees =
				action === 'dispatch' ? [{ kind: 'grid_worker' as const, name: '李明' }] : [];
			const res = await transition(
				db,
				r.id,
				{ action, assignees, comment: '', actor: 't', version },
				at
			);
			version = res.record.version;
			return res.record;
		};
		const registered = await step('register');
		expect(registered).toMatchObject({ status: 'registered', closedTs: null });
		expect(registered.rev).toBeGreaterThan(r.rev);
		await step('dispatch');
		await step('accept');
		await step('submit');
		const closedAt = Date.UTC(2026, 10, 27, 3);
		const closed = await step('close', closedAt);
		expect(closed).toMatchObject({ status: 'closed', closedTs: closedAt });
		await expect(
			transition(db, 999_999, {
				action: 'close',
				assignees: [],
				comment: '',
				actor: 't',
				version: 1
			})
		).rejects.toMatchObject({ status: 404 });
	});
});

describe(`incident snapshot (${TEST_BACKEND})`, () => {
	it('has exactly the documented columns and dictionaries, produced from the database', async () => {
		const cache = new SnapshotCache();
		const snap = await cache.get(db);
		const table = tableFromIPC(snap.bytes);
		expect(table.schema.fields.map((f) => f.name)).toEqual([...INCIDENT_COLUMNS]);
		const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
		expect(types).toEqual({
			id: 'Uint32',
			lon: 'Float32',
			lat: 'Float32',
			ts: 'Float64',
			closedTs: 'Float64',
			type: 'Dictionary<Int8, Utf8>',
			source: 'Dictionary<Int8, Utf8>',
			status: 'Dictionary<Int8, Utf8>',
			priority: 'Uint8',
			gridId: 'Dictionary<Int16, Utf8>',
			communityId: 'Dictionary<Int16, Utf8>',
			streetId: 'Dictionary<Int16, Utf8>'
		});
		const dict = (name: string) => [
			...(table.getChild(name)!.data[0].dictionary!.toArray() as string[])
		];
		expect(dict('type')).toEqual([...INCIDENT_TYPES]);
		expect(dict('source')).toEqual([...INCIDENT_SOURCES]);
		expect(dict('status')).toEqual([...INCIDENT_STATUSES]);
		const city = fixtureCity();
		expect(dict('gridId')).toEqual(city.grids.features.map((f) => f.properties.id));
		expect(dict('streetId')).toEqual(city.streets.features.map((f) => f.properties.id));
		expect(table.numRows).toBe(await count());

		// The fixture's rows come back exactly (Float32 positions, ms times, NaN while open).
		const ids = table.getChild('id')!.toArray() as Uint32Array;
		const at = ids.indexOf(4);
		expect(table.getChild('lon')!.get(at)).toBe(city.incidents.lon[3]);
		expect(table.getChild('ts')!.get(at)).toBe(city.incidents.ts[3]);
		expect(table.getChild('closedTs')!.get(at)).toBe(city.incidents.closedTs[3]);
		expect(Number.isNaN(table.getChild('closedTs')!.get(0))).toBe(true);
		expect(table.getChild('gridId')!.get(at)).toBe(city.incidents.gridId[3]);
	});

	it('versions the snapshot and follows new incidents and status changes incrementally', async () => {
		const cache = new SnapshotCache();
		const first = await cache.get(db);
		expect(await cache.get(db)).toBe(first); // unchanged: same bytes, same ETag

		const [r] = await intake({ type: 'traffic', lon: 117.635, lat: 39.015 });
		// Version as read now: the intakes above linked incident 1 as a repeat complaint.
		const { version } = await loadCase(db, 1);
		await transition(db, 1, {
			action: 'register',
			assignees: [],
			comment: '',
			actor: 't',
			version
		});
		const second = await cache.get(db);
		expect(second.etag).not.toBe(first.etag);
		expect(second.version.rev).toBeGreaterThan(first.version.rev);
		expect(second.rows).toBe(first.rows + 1);

		const table = tableFromIPC(second.bytes);
		const last = table.numRows - 1;
		expect(table.getChild('id')!.get(last)).toBe(r.id);
		expect(table.getChild('gridId')!.get(last)).toBe(GRID_B2_01);
		expect(table.getChild('type')!.get(last)).toBe('traffic');
		expect(table.getChild('status')!.get(0)).toBe('registered');

		// The incremental result equals a rebuild from scratch.
		const fresh = await new SnapshotCache().get(db);
		expect(Buffer.from(fresh.bytes).equals(Buffer.from(second.bytes))).toBe(true);
	});
});

describe(`city files from the database (${TEST_BACKEND})`, () => {
	it('serves the units, sites and routes exactly as the generator wrote them', async () => {
		const cache = new CityFileCache();
		const city = fixtureCity();
		const parse = async (name: string) => JSON.parse((await cache.get(db, name))!.body);
		expect(await parse(CITY_FILES.streets)).toEqual(city.streets);
		expect(await parse(CITY_FILES.communities)).toEqual(city.communities);
		expect(await parse(CITY_FILES.grids)).toEqual(city.grids);
		expect(await parse(CITY_FILES.hazmatSites)).toEqual(city.hazmatSites);
		expect(await parse(CITY_FILES.hazmatLanes)).toEqual(city.hazmatLanes);
		expect(await parse(CITY_FILES.patrols)).toEqual(city.patrols);
		// The manifest as loaded, plus the city's identity (the demo's, for a city loaded directly).
		const { city: identity, ...manifest } = (await parse(CITY_FILES.manifest)) as Record<
			string,
			unknown
		> & { city: { code: string; synthetic: boolean } };
		expect(manifest).toEqual(city.manifest);
		expect(identity).toMatchObject({ code: '120116', synthetic: true });
		const a = await cache.get(db, CITY_FILES.grids);
		expect((await cache.get(db, CITY_FILES.streets))!.etag).toBe(a!.etag);
		// Basemap layers come from the pack (city_asset); a city loaded without any has empty ones.
		expect(JSON.parse((await cache.get(db, CITY_FILES.roads))!.body).features).toEqual([]);
	});
});
