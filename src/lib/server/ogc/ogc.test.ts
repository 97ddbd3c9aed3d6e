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
