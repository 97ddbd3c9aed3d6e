import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCity } from '../city/load';
import type { Db } from '../db/types';
import { ApiError } from '../http/errors';
import { openTestDb, TEST_BACKEND } from '../testing/db';
import { fixtureCity, GRID_B2_01, T0 } from '../testing/fixtureCity';
import { CRS84_URI, OGC_CRS, OGC_CRS_URIS } from './crs';
import { parseBbox, parseDatetime, parseItemsQuery } from './params';
import * as ogc from './service';

let db: Db;
beforeAll(async () => {
	db = await openTestDb();
	await db.transaction((tx) => loadCity(tx, fixtureCity()));
}, 120_000);
afterAll(() => db?.close());

const ORIGIN = 'http://gis.example:4500';
const u = (path: string) => new URL(ORIGIN + path);
type Json = Record<string, unknown> & { links: { rel: string; href: string; type: string }[] };
const body = async (r: Response | Promise<Response>) => (await (await r).json()) as Json;
const rel = (doc: Json, name: string) => doc.links.find((l) => l.rel === name);

async function status(fn: () => unknown): Promise<ApiError> {
	try {
		await fn();
	} catch (err) {
		if (err instanceof ApiError) return err;
		throw err;
	}
	throw new Error('expected an ApiError');
}

describe('OGC API – Features parameters', () => {
	it('parses bbox, also across the antimeridian and with heights', () => {
		expect(parseBbox('117.6,39,117.7,39.1')).toEqual([[117.6, 39, 117.7, 39.1]]);
		expect(parseBbox('117.6,39,0,117.7,39.1,100')).toEqual([[117.6, 39, 117.7, 39.1]]);
		expect(parseBbox('170,-10,-170,10')).toEqual([
			[170, -10, 180, 10],
			[-180, -10, -170, 10]
		]);
		expect(() => parseBbox('1,2,3')).toThrow(/minLon,minLat,maxLon,maxLat/);
		expect(() => parseBbox('1,50,3,40')).toThrow(/southern edge/);
	});

	it('parses datetime instants, dates and open or closed intervals', () => {
		const t = Date.UTC(2026, 10, 1);
		expect(parseDatetime('2026-11-01T00:00:00Z')).toEqual({ start: t, end: t });
		// A bare date is the China Standard Time day: 2026-11-01 00:00 +08:00 to 23:59:59.999.
		const cst = t - 8 * 3_600_000;
		expect(parseDatetime('2026-11-01')).toEqual({ start: cst, end: cst + 86_400_000 - 1 });
		expect(() => parseDatetime('2026-02-30')).toThrow(/not a date/);
		expect(parseDatetime('2026-11-01T08:00:00+08:00/..')).toEqual({ start: t, end: null });
		expect(parseDatetime('../2026-11-01T00:00:00Z')).toEqual({ start: null, end: t });
		expect(() => parseDatetime('yesterday')).toThrow(/RFC 3339/);
		expect(() => parseDatetime('../..')).toThrow(/at least one end/);
	});

	it('clamps a large limit, rejects a bad one and unknown parameters', () => {
		expect(parseItemsQuery(new URLSearchParams('limit=999999')).limit).toBe(10_000);
		expect(parseItemsQuery(new URLSearchParams('')).limit).toBe(100);
		expect(() => parseItemsQuery(new URLSearchParams('limit=0'))).toThrow(/positive integer/);
		expect(() => parseItemsQuery(new URLSearchParams('colour=red'))).toThrow(/unknown parameter/);
		expect(() => parseItemsQuery(new URLSearchParams('f=html'))).toThrow(/only JSON/);
		expect(() => parseItemsQuery(new URLSearchParams('bbox=0,0,1,1&bbox=1,1,2,2'))).toThrow(
			/bbox: given more than once/
		);
	});
});

describe(`OGC API – Features resources (${TEST_BACKEND})`, () => {
	it('has a landing page linking the API definition, conformance and collections', async () => {
		const doc = await body(await ogc.landing(db, u('/ogc')));
		expect(doc.title).toMatch(/OneMap/);
		expect(rel(doc, 'self')?.href).toBe(`${ORIGIN}/ogc`);
		expect(rel(doc, 'conformance')?.href).toBe(`${ORIGIN}/ogc/conformance`);
		expect(rel(doc, 'data')?.href).toBe(`${ORIGIN}/ogc/collections`);
		expect(rel(doc, 'service-desc')?.href).toBe(`${ORIGIN}/ogc/api`);
		const api = await body(ogc.apiDefinition(u('/ogc/api')));
		expect(api.openapi).toBe('3.0.3');
		// How to sign in is declared, and every operation says it may answer 401 and 403.
		const components = api.components as { securitySchemes: Record<string, unknown> };
		expect(components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
		expect(api.security).toContainEqual({ bearer: [] });
		const operations = Object.values(api.paths as Record<string, { get: { responses: object } }>);
		for (const op of operations)
			expect(Object.keys(op.get.responses)).toEqual(expect.arrayContaining(['401', '403']));
		const itemsOp = (
			api.paths as Record<string, { get: { parameters: { $ref?: string; name?: string }[] } }>
		)['/collections/{collectionId}/items'].get;
		expect(itemsOp.parameters.map((p) => p.name ?? p.$ref)).toEqual(
			expect.arrayContaining(['bbox-crs', '#/components/parameters/crs'])
		);
		const conf = await body(ogc.conformance(u('/ogc/conformance')));
		expect(conf.conformsTo).toContain(
			'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core'
		);
		expect(conf.conformsTo).toContain(
			'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson'
		);
	});

	it('lists the collections with extents', async () => {
		const doc = await body(ogc.collections(db, u('/ogc/collections')));
		const list = doc.collections as (Json & {
			id: string;
			extent: { spatial: { bbox: number[][] }; temporal?: { interval: string[][] } };
		})[];
		expect(list.map((c) => c.id)).toEqual([
			'streets',
			'communities',
			'grids',
			'hazmat-sites',
			'hazmat-lanes',
			'patrol-routes',
			'incidents'
		]);
		const streets = list[0];
		expect(streets.extent.spatial.bbox[0]).toEqual([117.6, 39, 117.64, 39.02]);
		expect(rel(streets, 'items')).toMatchObject({
			href: `${ORIGIN}/ogc/collections/streets/items`,
			type: 'application/geo+json'
		});
		expect(list[6].extent.temporal?.interval[0][0]).toBe(
			new Date(T0).toISOString().slice(0, 19) + 'Z'
		);
		const one = await body(ogc.collection(db, u('/ogc/collections/grids'), 'grids'));
		expect(one.id).toBe('grids');
		expect((await status(() => ogc.collection(db, u('/ogc/collections/x'), 'x'))).status).toBe(404);
	});

	it('pages through items with next links until the last page', async () => {
		const seen: unknown[] = [];
		let url: string | undefined = `${ORIGIN}/ogc/collections/incidents/items?limit=5`;
		let pages = 0;
		let matched: unknown;
		while (url) {
			const page = await body(ogc.items(db, new URL(url), 'incidents'));
			pages++;
			if (pages === 1) matched = page.numberMatched;
			const features = page.features as { id: number }[];
			expect(page.numberReturned).toBe(features.length);
			seen.push(...features.map((f) => f.id));
			url = rel(page, 'next')?.href;
		}
		expect(matched).toBe(12);
		expect(pages).toBe(3);
		expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
	});

	it('filters by bbox and datetime', async () => {
		const inB2 = await body(
			ogc.items(
				db,
				u('/ogc/collections/incidents/items?bbox=117.63,39.0,117.64,39.02'),
				'incidents'
			)
		);
		const features = inB2.features as { properties: { gridId: string } }[];
		expect(features).toHaveLength(3);
		expect(features.every((f) => f.properties.gridId === GRID_B2_01)).toBe(true);

		const from = new Date(T0 + 10 * 3600_000).toISOString();
		const late = await body(
			ogc.items(db, u(`/ogc/collections/incidents/items?datetime=${from}/..`), 'incidents')
		);
		expect((late.features as { id: number }[]).map((f) => f.id)).toEqual([11, 12]);
		expect(late.numberMatched).toBe(2);

		const grids = await body(
			ogc.items(db, u('/ogc/collections/grids/items?bbox=117.605,39.012,117.606,39.013'), 'grids')
		);
		expect((grids.features as { id: string }[]).map((f) => f.id)).toEqual(['12011600100102']);
	});

	it('returns GeoJSON features with the contract property names', async () => {
		const page = await body(
			ogc.items(db, u('/ogc/collections/hazmat-sites/items'), 'hazmat-sites')
		);
		const [site] = page.features as {
			id: string;
			geometry: unknown;
			properties: Record<string, unknown>;
		}[];
		expect(site).toMatchObject({
			id: 'HZ001',
			geometry: { type: 'Point', coordinates: [117.635, 39.005] },
			properties: { name: '天津渤海石油化工有限公司', riskLevel: 1, substances: '苯;柴油' }
		});
		const feature = await body(
			ogc.item(db, u('/ogc/collections/incidents/items/4'), 'incidents', '4')
		);
		expect(feature).toMatchObject({
			type: 'Feature',
			id: 4,
			properties: {
				type: 'hazmat_alarm',
				status: 'closed',
				priority: 4,
				ts: new Date(T0 + 3 * 3600_000).toISOString()
			}
		});
		expect(rel(feature, 'collection')?.href).toBe(`${ORIGIN}/ogc/collections/incidents`);
		const street = await body(
			ogc.item(db, u('/ogc/collections/streets/items/120116001'), 'streets', '120116001')
		);
		expect((street.geometry as { type: string }).type).toBe('Polygon');
		expect(
			(
				await status(() =>
					ogc.item(db, u('/ogc/collections/incidents/items/99999'), 'incidents', '99999')
				)
			).status
		).toBe(404);
		expect(
			(
				await status(() =>
					ogc.item(db, u('/ogc/collections/incidents/items/abc'), 'incidents', 'abc')
				)
			).status
		).toBe(404);
	});

	it('answers in EPSG:4490 and EPSG:4326 latitude first, with Content-Crs (Part 2)', async () => {
		const path = '/ogc/collections/hazmat-sites/items';
		const crs84 = await ogc.items(db, u(path), 'hazmat-sites');
		expect(crs84.headers.get('content-crs')).toBe(`<${CRS84_URI}>`);
		for (const code of ['4490', '4326']) {
			const uri = `http://www.opengis.net/def/crs/EPSG/0/${code}`;
			const r = await ogc.items(db, u(`${path}?crs=${encodeURIComponent(uri)}`), 'hazmat-sites');
			expect(r.headers.get('content-crs')).toBe(`<${uri}>`);
			const [site] = (await body(r)).features as { geometry: { coordinates: number[] } }[];
			expect(site.geometry.coordinates).toEqual([39.005, 117.635]);
		}
		// A polygon keeps its rings, every position swapped.
		const street = await body(
			ogc.item(
				db,
				u('/ogc/collections/streets/items/120116001?crs=[EPSG:4490]'),
				'streets',
				'120116001'
			)
		);
		const plain = await body(
			ogc.item(db, u('/ogc/collections/streets/items/120116001'), 'streets', '120116001')
		);
		const rings = (g: unknown) => (g as { coordinates: number[][][] }).coordinates;
		expect(rings(street.geometry)).toEqual(
			rings(plain.geometry).map((ring) => ring.map(([x, y]) => [y, x]))
		);
		const refused = await status(() =>
			ogc.items(db, u(`${path}?crs=http://www.opengis.net/def/crs/EPSG/0/3857`), 'hazmat-sites')
		);
		expect(refused).toMatchObject({ status: 400, field: 'crs' });
		expect(refused.message).toMatch(/EPSG\/0\/4490/);
	});

	it('takes a bbox in bbox-crs, latitude first for EPSG:4490', async () => {
		const crs = encodeURIComponent('http://www.opengis.net/def/crs/EPSG/0/4490');
		const inB2 = await body(
			ogc.items(
				db,
				u(`/ogc/collections/incidents/items?bbox=39.0,117.63,39.02,117.64&bbox-crs=${crs}`),
				'incidents'
			)
		);
		expect(inB2.numberMatched).toBe(3);
		expect(() => parseBbox('117.63,39.0,117.64,39.02', OGC_CRS[2])).toThrow(/latitude comes first/);
	});

	it('declares the CRSs on every collection and Part 2 in the conformance', async () => {
		const list = await body(ogc.collections(db, u('/ogc/collections')));
		for (const c of list.collections as { crs: string[]; storageCrs: string }[]) {
			expect(c.crs).toEqual(OGC_CRS_URIS);
			expect(c.storageCrs).toBe(CRS84_URI);
		}
		const conf = await body(ogc.conformance(u('/ogc/conformance')));
		expect(conf.conformsTo).toContain('http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs');
	});

	it('links over plain http unless an origin is configured', () => {
		const url = new URL('https://10.0.0.5:3000/ogc'); // adapter-node's guess without ORIGIN
		expect(ogc.base(url, {})).toBe('http://10.0.0.5:3000/ogc');
		expect(ogc.base(url, { ORIGIN: 'https://onemap.example' })).toBe('https://10.0.0.5:3000/ogc');
	});
});

describe(`OGC API – Features Part 3: filter, sortby, properties (${TEST_BACKEND})`, () => {
	const iso = (hours: number) => new Date(T0 + hours * 3600_000).toISOString();
	const enc = encodeURIComponent;

	/** Every page of a query: the ids in order, and the first page's numberMatched. */
	async function all(collection: string, query: string, limit = 5) {
		let url: string | undefined =
			`${ORIGIN}/ogc/collections/${collection}/items?limit=${limit}&${query}`;
		const ids: unknown[] = [];
		let matched: unknown;
		for (let page = 0; url; page++) {
			const doc = await body(ogc.items(db, new URL(url), collection));
			if (page === 0) matched = doc.numberMatched;
			else expect(doc.numberMatched).toBeUndefined();
			ids.push(...(doc.features as { id: unknown }[]).map((f) => f.id));
			url = rel(doc, 'next')?.href;
			expect(page).toBeLessThan(50);
		}
		return { ids, matched };
	}
	const sqlIds = async (where: string, order = 'id') =>
		(
			await db.query<{ k: string }>(
				`SELECT id::text AS k FROM incident WHERE ${where} ORDER BY ${order}`
			)
		).map((r) => Number(r.k));

	const CASES: [string, string][] = [
		["status = 'closed'", "status = 'closed'"],
		["priority >= 3 AND type <> 'hazmat_alarm'", "priority >= 3 AND type <> 'hazmat_alarm'"],
		[
			"type IN ('dispute', 'traffic') OR priority = 4",
			"type IN ('dispute', 'traffic') OR priority = 4"
		],
		['NOT (priority BETWEEN 2 AND 3)', 'NOT (priority BETWEEN 2 AND 3)'],
		["gridId LIKE '%01' AND closedTs IS NULL", "grid_id LIKE '%01' AND closed_ts IS NULL"],
		['closedTs IS NOT NULL', 'closed_ts IS NOT NULL'],
		['description IS NULL', 'description IS NULL'],
		[
			'priority < 2 OR priority > 3 AND NOT priority = 4',
			'priority < 2 OR (priority > 3 AND NOT priority = 4)'
		],
		[
			'S_INTERSECTS(geometry, POLYGON((117.6 39, 117.62 39, 117.62 39.02, 117.6 39.02, 117.6 39)))',
			'ST_Intersects(geom, ST_MakeEnvelope(117.6, 39, 117.62, 39.02, 4326))'
		],
		[
			'S_INTERSECTS(geometry, BBOX(117.63, 39.0, 117.64, 39.02))',
			'ST_Intersects(geom, ST_MakeEnvelope(117.63, 39.0, 117.64, 39.02, 4326))'
		],
		[
			'S_INTERSECTS(geometry, POINT(117.635 39.01))',
			"ST_Intersects(geom, 'SRID=4326;POINT(117.635 39.01)'::geometry)"
		],
		[
			`T_INTERSECTS(ts, INTERVAL('${iso(2)}', '${iso(5)}'))`,
			`ts BETWEEN '${iso(2)}'::timestamptz AND '${iso(5)}'::timestamptz`
		],
		[`T_INTERSECTS(ts, INTERVAL('..', '${iso(3)}'))`, `ts <= '${iso(3)}'::timestamptz`],
		[`T_AFTER(ts, TIMESTAMP('${iso(9)}'))`, `ts > '${iso(9)}'::timestamptz`],
		[`T_BEFORE(ts, TIMESTAMP('${iso(2)}'))`, `ts < '${iso(2)}'::timestamptz`],
		[
			`ts >= TIMESTAMP('${iso(7)}') AND priority <> 1`,
			`ts >= '${iso(7)}'::timestamptz AND priority <> 1`
		],
		[`ts < '${iso(4)}'`, `ts < '${iso(4)}'::timestamptz`],
		["T_INTERSECTS(ts, DATE('2026-11-01'))", 'TRUE'],
		["T_INTERSECTS(ts, DATE('2026-11-02'))", 'FALSE'],
		[
			`T_DURING(closedTs, INTERVAL('${iso(0)}', '${iso(9)}'))`,
			`closed_ts > '${iso(0)}' AND closed_ts < '${iso(9)}'`
		]
	];

	it('returns exactly the rows the database counts, over every page', async () => {
		for (const [filter, where] of CASES) {
			const got = await all('incidents', `filter=${enc(filter)}`);
			const want = await sqlIds(where);
			expect({ filter, ids: got.ids }).toEqual({ filter, ids: want });
			expect({ filter, matched: got.matched }).toEqual({ filter, matched: want.length });
		}
	});

	it('takes CQL2-JSON, queryables as parameters, and filter-crs', async () => {
		const json = JSON.stringify({
			op: 'and',
			args: [
				{ op: '=', args: [{ property: 'status' }, 'closed'] },
				{ op: 'in', args: [{ property: 'priority' }, [4, 1]] }
			]
		});
		const got = await all('incidents', `filter-lang=cql2-json&filter=${enc(json)}`);
		expect(got.ids).toEqual(await sqlIds("status = 'closed' AND priority IN (4, 1)"));
		expect((await all('incidents', 'status=closed&priority=4')).ids).toEqual(
			await sqlIds("status = 'closed'")
		);
		// EPSG:4490 is latitude first: the same box as the CRS84 case above.
		const box = 'POLYGON((39 117.6, 39 117.62, 39.02 117.62, 39.02 117.6, 39 117.6))';
		const crs = await all(
			'incidents',
			`filter=${enc(`S_INTERSECTS(geometry, ${box})`)}&filter-crs=${enc('http://www.opengis.net/def/crs/EPSG/0/4490')}`
		);
		expect(crs.ids).toEqual(
			await sqlIds('ST_Intersects(geom, ST_MakeEnvelope(117.6, 39, 117.62, 39.02, 4326))')
		);
		const grids = await all('grids', `filter=${enc("streetId = '120116001' AND population > 0")}`);
		const [{ n }] = await db.query<{ n: number }>(
			"SELECT count(*)::int AS n FROM grid WHERE street_id = '120116001' AND population > 0"
		);
		expect(grids.matched).toBe(n);
		expect(grids.ids).toHaveLength(n);
	});

	it('sorts with sortby and pages the sorted order without loss or repeats', async () => {
		const cases: [string, string][] = [
			['-priority,ts', 'priority DESC, ts, id'],
			['type,-ts', 'type, ts DESC, id'],
			['closedTs', 'closed_ts ASC NULLS LAST, id'],
			['-closedTs,+priority', 'closed_ts DESC NULLS FIRST, priority, id'],
			['gridId,priority', 'grid_id, priority, id']
		];
		for (const [sortby, order] of cases) {
			for (const limit of [1, 2, 5]) {
				const got = await all('incidents', `sortby=${enc(sortby)}`, limit);
				expect({ sortby, limit, ids: got.ids }).toEqual({
					sortby,
					limit,
					ids: await sqlIds('TRUE', order)
				});
			}
		}
		const filtered = await all('incidents', `sortby=-ts&filter=${enc('priority <= 2')}`, 2);
		expect(filtered.ids).toEqual(await sqlIds('priority <= 2', 'ts DESC, id'));
		expect(filtered.matched).toBe(filtered.ids.length);
		const streets = await body(
			ogc.items(db, u('/ogc/collections/streets/items?sortby=-name'), 'streets')
		);
		const names = (streets.features as { properties: { name: string } }[]).map(
			(f) => f.properties.name
		);
		const sqlNames = await db.query<{ name: string }>(
			'SELECT name FROM street ORDER BY name DESC, ord'
		);
		expect(names).toEqual(sqlNames.map((r) => r.name));
	});

	it('answers only the properties asked for', async () => {
		const doc = await body(
			ogc.items(
				db,
				u('/ogc/collections/incidents/items?properties=type,priority&limit=2'),
				'incidents'
			)
		);
		for (const f of doc.features as { properties: object; geometry: object }[]) {
			expect(Object.keys(f.properties)).toEqual(['type', 'priority']);
			expect(f.geometry).toBeTruthy();
		}
		const one = await body(
			ogc.item(db, u('/ogc/collections/incidents/items/2?properties=ts'), 'incidents', '2')
		);
		expect(one.properties).toEqual({ ts: iso(1) });
		const none = await body(
			ogc.items(db, u('/ogc/collections/incidents/items?properties=&limit=1'), 'incidents')
		);
		expect((none.features as { properties: object }[])[0].properties).toEqual({});
		const refused = await status(() =>
			ogc.items(db, u('/ogc/collections/incidents/items?properties=type,colour'), 'incidents')
		);
		expect(refused).toMatchObject({ status: 400, field: 'properties' });
		expect(refused.message).toMatch(/colour.*priority/);
	});

	it('describes the queryables as JSON Schema and declares Part 3', async () => {
		const r = ogc.queryables(u('/ogc/collections/incidents/queryables'), 'incidents');
		expect(r.headers.get('content-type')).toBe('application/schema+json');
		const doc = (await r.json()) as { properties: Record<string, Record<string, unknown>> };
		expect(doc.properties.ts).toMatchObject({ type: 'string', format: 'date-time' });
		expect(doc.properties.priority).toMatchObject({ type: 'integer', enum: [1, 2, 3, 4] });
		expect(doc.properties.geometry).toMatchObject({ format: 'geometry-point' });
		expect(
			(await status(() => ogc.queryables(u('/ogc/collections/x/queryables'), 'x'))).status
		).toBe(404);
		const one = await body(ogc.collection(db, u('/ogc/collections/grids'), 'grids'));
		expect(one.links.map((l) => l.rel)).toContain(
			'http://www.opengis.net/def/rel/ogc/1.0/queryables'
		);
		const api = await body(ogc.apiDefinition(u('/ogc/api')));
		const paths = api.paths as Record<
			string,
			{ get: { parameters: { name?: string; $ref?: string }[] } }
		>;
		expect(paths['/collections/{collectionId}/queryables']).toBeTruthy();
		const names = paths['/collections/incidents/items'].get.parameters.map((p) => p.name ?? p.$ref);
		expect(names).toEqual(
			expect.arrayContaining([
				'status',
				'priority',
				'#/components/parameters/filter',
				'#/components/parameters/sortby'
			])
		);
		const conf = await body(ogc.conformance(u('/ogc/conformance')));
		for (const c of ['features-filter', 'queryables'])
			expect(conf.conformsTo).toContain(
				`http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/${c}`
			);
		expect(conf.conformsTo).toContain('http://www.opengis.net/spec/cql2/1.0/conf/cql2-text');
	});

	it('refuses unknown names and type mismatches with a message a person can act on', async () => {
		const bad = async (filter: string, lang = 'cql2-text') =>
			status(() =>
				ogc.items(
					db,
					u(`/ogc/collections/incidents/items?filter-lang=${lang}&filter=${enc(filter)}`),
					'incidents'
				)
			);
		const unknown = await bad("colour = 'red'");
		expect(unknown).toMatchObject({ status: 400, field: 'filter' });
		expect(unknown.message).toMatch(/at character 1: "colour" is not a queryable of incidents/);
		expect(unknown.message).toMatch(/queryables: type, source, status, priority, ts/);
		const typed = await bad("type = 'dispute' AND priority = '3'");
		expect(typed.message).toMatch(
			/at character 22: = compares a number with text \(write the number without quotes\)/
		);
		expect((await bad('type > 3')).message).toMatch(/text with a number/);
		expect((await bad("ts > 'yesterday'")).message).toMatch(/RFC 3339/);
		expect((await bad('priority LIKE 3')).message).toMatch(/LIKE/);
		expect((await bad('S_INTERSECTS(ts, POINT(1 2))')).message).toMatch(/geometries, not a time/);
		expect((await bad('T_AFTER(priority, ts)')).message).toMatch(/times.*not a number/);
		expect((await bad('{"op":"drop","args":[]}', 'cql2-json')).message).toMatch(/not an operator/);
		expect((await bad('{"op":"=","args":[{"property":"nope"},1]}', 'cql2-json')).message).toMatch(
			/not a queryable/
		);
		expect((await bad('x = 1', 'sql')).field).toBe('filter-lang');
		expect(
			(
				await status(() =>
					ogc.items(db, u('/ogc/collections/incidents/items?priority=high'), 'incidents')
				)
			).field
		).toBe('priority');
		expect(
			(
				await status(() =>
					ogc.items(db, u('/ogc/collections/incidents/items?sortby=colour'), 'incidents')
				)
			).field
		).toBe('sortby');
		// A forged token whose values the database could not read is refused, not a 500.
		const token = (v: unknown[]) => Buffer.from(JSON.stringify(v)).toString('base64url');
		for (const [sortby, v] of [
			['ts', ['yesterday', 1]],
			['ts', ['2026-13-01T00:00:00.000000Z', 1]],
			['priority', ['1e999', 1]],
			['priority', ['99999999999999999999', 1]],
			['areaKm2', ['1e999', 1]],
			['ts', [null, 1.5]]
		] as [string, unknown[]][]) {
			const coll = sortby === 'areaKm2' ? 'streets' : 'incidents';
			const err = await status(() =>
				ogc.items(db, u(`/ogc/collections/${coll}/items?sortby=${sortby}&after=${token(v)}`), coll)
			);
			expect({ sortby, v, field: err.field }).toEqual({ sortby, v, field: 'after' });
		}
		// An after token from another sortby (or forged) is refused, not misread.
		expect(
			(
				await status(() =>
					ogc.items(db, u('/ogc/collections/incidents/items?sortby=ts&after=5'), 'incidents')
				)
			).field
		).toBe('after');
	});

	it('keeps injection attempts harmless: values are bound, names whitelisted', async () => {
		const hostile = [
			"type = '''; DROP TABLE incident; --'",
			"description LIKE '%'' OR 1=1 --'",
			"type IN ('a''); DELETE FROM incident; --')"
		];
		for (const filter of hostile) {
			const got = await all('incidents', `filter=${enc(filter)}`);
			expect({ filter, ids: got.ids }).toEqual({ filter, ids: [] });
		}
		const refusedNames = [
			'"type"" = 1; DROP TABLE incident; --" = 1',
			'"t.id" = 1',
			'"1=1) OR (TRUE" = 1',
			'{"op":"=","args":[{"property":"type) OR (1=1"},"x"]}'
		];
		for (const filter of refusedNames) {
			const lang = filter.startsWith('{') ? 'cql2-json' : 'cql2-text';
			const err = await status(() =>
				ogc.items(
					db,
					u(`/ogc/collections/incidents/items?filter-lang=${lang}&filter=${enc(filter)}`),
					'incidents'
				)
			);
			expect({ filter, status: err.status }).toEqual({ filter, status: 400 });
		}
		for (const q of ['sortby=ts;DROP TABLE incident', "properties=type,'x", 'sortby=-"ts"']) {
			const err = await status(() =>
				ogc.items(db, u(`/ogc/collections/incidents/items?${q}`), 'incidents')
			);
			expect(err.status).toBe(400);
		}
		const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM incident');
		expect(n).toBe(12);
	});
});
