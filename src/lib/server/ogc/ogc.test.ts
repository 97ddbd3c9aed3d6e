import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCity } from '../city/load';
import type { Db } from '../db/types';
import { ApiError } from '../http/errors';
import { openTestDb, TEST_BACKEND } from '../testing/db';
import { fixtureCity, GRID_B2_01, T0 } from '../testing/fixtureCity';
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

	it('links over plain http unless an origin is configured', () => {
		const url = new URL('https://10.0.0.5:3000/ogc'); // adapter-node's guess without ORIGIN
		expect(ogc.base(url, {})).toBe('http://10.0.0.5:3000/ogc');
		expect(ogc.base(url, { ORIGIN: 'https://onemap.example' })).toBe('https://10.0.0.5:3000/ogc');
	});
});
