/**
 * OGC API – Features – Part 1: Core, GeoJSON encoding, Part 2: CRS by reference, mounted at /ogc. Each function answers
 * one resource; the routes under src/routes/ogc only call them. GIS clients (QGIS, ArcGIS,
 * GDAL's OAPIF driver) read OneMap's layers straight from here.
 */
import { requestOrigin } from '../http/origin';
import type { Queryable } from '../db/types';
import { ApiError } from '../http/errors';
import { COLLECTIONS, COLLECTION_BY_ID, type CollectionDef } from './collections';
import { readCityIdentity } from '../city/identity';
import { openApi } from './openapi';
import {
	CRS84_URI,
	OGC_CRS_URIS,
	contentCrs,
	convertGeometryText,
	parseOgcCrs,
	type OgcCrs
} from './crs';
import { checkFormat, parseItemsQuery, type ItemsQuery } from './params';
const GEOJSON = 'application/geo+json';
const JSON_TYPE = 'application/json';

export const CONFORMANCE = [
	'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
	'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
	'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
	'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs'
];

interface Link {
	href: string;
	rel: string;
	type: string;
	title?: string;
}

/** A JSON answer (cross-origin reads: http/cors.ts). */
function json(body: unknown, type = JSON_TYPE, headers: Record<string, string> = {}): Response {
	return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
		headers: { 'content-type': type, ...headers }
	});
}

function only(params: URLSearchParams, allowed: string[]): void {
	for (const key of params.keys()) {
		if (!allowed.includes(key)) {
			throw new ApiError(
				400,
				`${key}: unknown parameter (allowed here: ${allowed.join(', ')})`,
				key
			);
		}
	}
	checkFormat(params);
}

/**
 * Absolute base of the links. adapter-node assumes https when neither ORIGIN nor PROTOCOL_HEADER
 * is configured, but it only ever speaks plain HTTP itself: without either setting the request
 * did arrive over http, and links that say https would send GIS clients nowhere.
 */
export function base(url: URL, env: Record<string, string | undefined> = process.env): string {
	// The Host behind url.host was checked by http/guard.ts (trusted names only without ORIGIN).
	return `${requestOrigin(url, env)}/ogc`;
}

/** The landing page names the loaded city (from its city pack), in both languages. */
export async function landing(db: Queryable, url: URL): Promise<Response> {
	only(url.searchParams, ['f']);
	const b = base(url);
	const city = await readCityIdentity(db);
	const en = city.title.en ?? city.name.en;
	return json({
		title: `${city.title.zh}${en ? ` · ${en}` : ''} — OneMap`,
		description: `${city.name.zh}${city.name.en ? ` (${city.name.en})` : ''}: boundaries of every level, grids, hazardous-chemical sites, patrol routes and incidents, as OGC API – Features.${city.synthetic ? ' A generated demonstration city, not real data.' : ''}`,
		links: [
			{ href: b, rel: 'self', type: JSON_TYPE, title: 'This document' },
			{
				href: `${b}/api`,
				rel: 'service-desc',
				type: 'application/vnd.oai.openapi+json;version=3.0',
				title: 'The API definition'
			},
			{
				href: `${b}/conformance`,
				rel: 'conformance',
				type: JSON_TYPE,
				title: 'Conformance classes'
			},
			{ href: `${b}/collections`, rel: 'data', type: JSON_TYPE, title: 'Feature collections' }
		] satisfies Link[]
	});
}

export function conformance(url: URL): Response {
	only(url.searchParams, ['f']);
	return json({ conformsTo: CONFORMANCE });
}

export function apiDefinition(url: URL): Response {
	only(url.searchParams, ['f']);
	return json(openApi(base(url)), 'application/vnd.oai.openapi+json;version=3.0');
}

/** Echoes a client's value in a message without echoing kilobytes of it. */
function clip(value: string): string {
	return value.length > 80 ? value.slice(0, 80) + '…' : value;
}

function collectionOf(id: string): CollectionDef {
	const c = COLLECTION_BY_ID.get(id);
	if (!c) {
		throw new ApiError(
			404,
			`There is no collection "${clip(id)}" (there are: ${COLLECTIONS.map((x) => x.id).join(', ')}).`,
			'collectionId'
		);
	}
	return c;
}

interface Extent {
	bbox: [number, number, number, number] | null;
	start: string | null;
	end: string | null;
}

/** Extents change rarely (a new incident may widen one): recomputed at most once a minute. */
const extentCache = new WeakMap<Queryable, Map<string, { at: number; value: Promise<Extent> }>>();

function extentOf(db: Queryable, c: CollectionDef): Promise<Extent> {
	let perDb = extentCache.get(db);
	if (!perDb) extentCache.set(db, (perDb = new Map()));
	const hit = perDb.get(c.id);
	if (hit && Date.now() - hit.at < 60_000) return hit.value;
	const utc = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
	const time = c.temporal ? `, min(${c.temporal}) AS s0, max(${c.temporal}) AS s1` : '';
	const value = db
		.query<{ x0: number | null; y0: number; x1: number; y1: number; start?: string; end?: string }>(
			`SELECT ST_XMin(e) AS x0, ST_YMin(e) AS y0, ST_XMax(e) AS x1, ST_YMax(e) AS y1
			        ${c.temporal ? `, ${utc('s0')} AS start, ${utc('s1')} AS "end"` : ''}
			 FROM (SELECT ST_Extent(geom) AS e ${time} FROM ${c.table}) s`
		)
		.then(([r]) => ({
			bbox: r.x0 === null ? null : ([r.x0, r.y0, r.x1, r.y1] as [number, number, number, number]),
			start: r.start ?? null,
			end: r.end ?? null
		}));
	value.catch(() => perDb.delete(c.id));
	perDb.set(c.id, { at: Date.now(), value });
	return value;
}

async function describe(
	db: Queryable,
	c: CollectionDef,
	b: string
): Promise<Record<string, unknown>> {
	const ext = await extentOf(db, c);
	const extent: Record<string, unknown> = {
		spatial: { bbox: [ext.bbox ?? [-180, -90, 180, 90]], crs: CRS84_URI }
	};
	if (c.temporal) {
		extent.temporal = {
			interval: [[ext.start, ext.end]],
			trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian'
		};
	}
	return {
		id: c.id,
		title: c.title,
		description: c.description,
		itemType: 'feature',
		crs: OGC_CRS_URIS,
		storageCrs: CRS84_URI,
		extent,
		links: [
			{ href: `${b}/collections/${c.id}`, rel: 'self', type: JSON_TYPE, title: c.title },
			{
				href: `${b}/collections/${c.id}/items`,
				rel: 'items',
				type: GEOJSON,
				title: `${c.title} (GeoJSON)`
			}
		] satisfies Link[]
	};
}

export async function collections(db: Queryable, url: URL): Promise<Response> {
	only(url.searchParams, ['f']);
	const b = base(url);
	const list = [];
	for (const c of COLLECTIONS) {
		if (c.optional && (await extentOf(db, c)).bbox === null) continue;
		list.push(await describe(db, c, b));
	}
	return json({
		links: [
			{ href: `${b}/collections`, rel: 'self', type: JSON_TYPE, title: 'Feature collections' }
		],
		crs: OGC_CRS_URIS,
		collections: list
	});
}

export async function collection(db: Queryable, url: URL, id: string): Promise<Response> {
	only(url.searchParams, ['f']);
	return json(await describe(db, collectionOf(id), base(url)));
}

function where(c: CollectionDef, q: ItemsQuery, params: unknown[]): string[] {
	const conds: string[] = [];
	if (q.bbox) {
		const boxes = q.bbox.map((b) => {
			params.push(...b);
			const n = params.length;
			return `ST_Intersects(t.geom, ST_MakeEnvelope($${n - 3}, $${n - 2}, $${n - 1}, $${n}, 4326))`;
		});
		conds.push(boxes.length === 1 ? boxes[0] : `(${boxes.join(' OR ')})`);
	}
	// Collections without a time (units, routes) are not filtered by datetime.
	if (q.datetime && c.temporal) {
		if (q.datetime.start !== null) {
			params.push(q.datetime.start);
			conds.push(`t.${c.temporal} >= to_timestamp($${params.length} / 1000.0)`);
		}
		if (q.datetime.end !== null) {
			params.push(q.datetime.end);
			conds.push(`t.${c.temporal} <= to_timestamp($${params.length} / 1000.0)`);
		}
	}
	return conds;
}

function featureText(fid: string | number, geojson: string, props: string, crs: OgcCrs): string {
	const geometry = convertGeometryText(geojson, crs);
	return `{"type":"Feature","id":${JSON.stringify(fid)},"geometry":${geometry},"properties":${props}}`;
}

export async function items(db: Queryable, url: URL, id: string): Promise<Response> {
	const c = collectionOf(id);
	const q = parseItemsQuery(url.searchParams);
	let after: number | null = null;
	if (q.after !== null) {
		after = Number(q.after);
		if (!Number.isSafeInteger(after))
			throw new ApiError(400, 'after: not a paging key from a next link', 'after');
	}
	const params: unknown[] = [];
	const conds = where(c, q, params);
	const filterParams = params.slice();
	const filtered = conds.slice();
	if (after !== null) {
		params.push(after);
		// bigint: a forged key beyond the column's 32-bit range is an empty page, not an error.
		conds.push(`t.${c.key} > $${params.length}::bigint`);
	}
	params.push(q.limit + 1); // one more than asked: is there a next page?
	const sql = `SELECT t.${c.key} AS key, t.id AS fid, ST_AsGeoJSON(CASE WHEN ST_NumGeometries(t.geom) = 1 THEN ST_GeometryN(t.geom, 1) ELSE t.geom END, 7) AS geojson, ${c.properties}::text AS props
		FROM ${c.table} t ${conds.length ? 'WHERE ' + conds.join(' AND ') : ''}
		ORDER BY t.${c.key} LIMIT $${params.length}`;
	const rows = await db.query<{
		key: number;
		fid: string | number;
		geojson: string;
		props: string;
	}>(sql, params);
	const more = rows.length > q.limit;
	const page = more ? rows.slice(0, q.limit) : rows;

	// Counting every match costs a scan; done once, on the first page, where clients ask.
	let numberMatched: number | undefined;
	if (after === null) {
		const [row] = await db.query<{ n: number }>(
			`SELECT count(*)::int AS n FROM ${c.table} t ${filtered.length ? 'WHERE ' + filtered.join(' AND ') : ''}`,
			filterParams
		);
		numberMatched = row.n;
	}

	const b = base(url);
	const self = new URL(url.pathname + url.search, b);
	const links: Link[] = [
		{ href: self.toString(), rel: 'self', type: GEOJSON, title: 'This page' },
		{ href: `${b}/collections/${c.id}`, rel: 'collection', type: JSON_TYPE, title: c.title }
	];
	if (more) {
		const next = new URL(self);
		next.searchParams.set('after', String(page[page.length - 1].key));
		next.searchParams.set('limit', String(q.limit));
		links.push({ href: next.toString(), rel: 'next', type: GEOJSON, title: 'Next page' });
	}
	const head = {
		type: 'FeatureCollection',
		timeStamp: new Date().toISOString(),
		numberReturned: page.length,
		...(numberMatched === undefined ? {} : { numberMatched }),
		links
	};
	const features = page.map((r) => featureText(r.fid, r.geojson, r.props, q.crs)).join(',\n');
	const body = JSON.stringify(head).slice(0, -1) + ',"features":[\n' + features + '\n]}';
	return json(body, GEOJSON, { 'content-crs': contentCrs(q.crs) });
}

export async function item(
	db: Queryable,
	url: URL,
	id: string,
	featureId: string
): Promise<Response> {
	const c = collectionOf(id);
	only(url.searchParams, ['f', 'crs']);
	const crs = parseOgcCrs(url.searchParams.get('crs'), 'crs');
	// Ids are codes or integers: anything with control characters (NUL cannot even be sent to
	// the database) or longer than any id is no feature.
	const wellFormed = c.numericIds
		? /^\d{1,15}$/.test(featureId)
		: featureId.length <= 200 && ![...featureId].some((ch) => ch < ' ' || ch === '\u007f');
	if (!wellFormed) {
		throw new ApiError(404, `There is no ${c.id} feature "${clip(featureId)}".`, 'featureId');
	}
	const [row] = await db.query<{ fid: string | number; geojson: string; props: string }>(
		`SELECT t.id AS fid, ST_AsGeoJSON(CASE WHEN ST_NumGeometries(t.geom) = 1 THEN ST_GeometryN(t.geom, 1) ELSE t.geom END, 7) AS geojson, ${c.properties}::text AS props
		 FROM ${c.table} t WHERE t.id = $1`,
		[c.numericIds ? Number(featureId) : featureId]
	);
	if (!row)
		throw new ApiError(404, `There is no ${c.id} feature "${clip(featureId)}".`, 'featureId');
	const b = base(url);
	const links: Link[] = [
		{
			href: `${b}/collections/${c.id}/items/${encodeURIComponent(featureId)}`,
			rel: 'self',
			type: GEOJSON
		},
		{ href: `${b}/collections/${c.id}`, rel: 'collection', type: JSON_TYPE, title: c.title }
	];
	const feature = featureText(row.fid, row.geojson, row.props, crs);
	return json(feature.slice(0, -1) + `,"links":${JSON.stringify(links)}}`, GEOJSON, {
		'content-crs': contentCrs(crs)
	});
}
