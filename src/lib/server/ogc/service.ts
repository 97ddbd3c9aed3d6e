/**
 * OGC API – Features – Part 1: Core, GeoJSON encoding, Part 2: CRS by reference, Part 3:
 * Filtering (queryables, CQL2 in ogc/cql2/), sortby and properties, mounted at /ogc. Each function answers
 * one resource; the routes under src/routes/ogc only call them. GIS clients (QGIS, ArcGIS,
 * GDAL's OAPIF driver) read OneMap's layers straight from here.
 */
import { parseIsoTime } from '$lib/domain/time';
import { requestOrigin } from '../http/origin';
import type { Queryable } from '../db/types';
import { ApiError } from '../http/errors';
import {
	COLLECTIONS,
	COLLECTION_BY_ID,
	propertiesSql,
	type CollectionDef,
	type Field
} from './collections';
import { Cql2Error, type Expr, type Parsed } from './cql2/parse';
import { GEOMETRY_QUERYABLE, filterSql } from './cql2/sql';
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
	'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
	'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables',
	'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters',
	'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter',
	'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter',
	'http://www.opengis.net/spec/cql2/1.0/conf/cql2-text',
	'http://www.opengis.net/spec/cql2/1.0/conf/cql2-json',
	'http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2',
	'http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators',
	'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions',
	'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus',
	'http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions',
	'http://www.opengis.net/spec/cql2/1.0/conf/temporal-functions',
	'http://www.opengis.net/spec/cql2/1.0/conf/property-property'
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
			},
			{
				href: `${b}/collections/${c.id}/queryables`,
				rel: 'http://www.opengis.net/def/rel/ogc/1.0/queryables',
				type: 'application/schema+json',
				title: `Queryables of ${c.id}`
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

const JSON_SCHEMA_TYPE: Record<Field['type'], Record<string, string>> = {
	string: { type: 'string' },
	integer: { type: 'integer' },
	number: { type: 'number' },
	datetime: { type: 'string', format: 'date-time' }
};

/** The queryables of a collection (Part 3): a JSON Schema of the properties a filter may name. */
export function queryables(url: URL, id: string): Response {
	const c = collectionOf(id);
	only(url.searchParams, ['f']);
	const b = base(url);
	const properties: Record<string, unknown> = {
		[GEOMETRY_QUERYABLE]: {
			title: 'Geometry (CRS84)',
			format: c.geometry,
			'x-ogc-role': 'primary-geometry'
		}
	};
	for (const f of c.fields) {
		properties[f.name] = {
			...(f.title ? { title: f.title } : {}),
			...JSON_SCHEMA_TYPE[f.type],
			...(f.enum ? { enum: f.enum } : {}),
			...(f.name === 'id' ? { 'x-ogc-role': 'id' } : {}),
			...(f.name === c.temporal ? { 'x-ogc-role': 'primary-instant' } : {})
		};
		if (f.nullable) properties[f.name] = { ...(properties[f.name] as object), nullable: true };
	}
	return json(
		{
			$schema: 'https://json-schema.org/draft/2020-12/schema',
			$id: `${b}/collections/${c.id}/queryables`,
			type: 'object',
			title: c.title,
			description: `What a filter (CQL2) on ${c.id} may name; also sortby and properties.`,
			properties,
			additionalProperties: false
		},
		'application/schema+json'
	);
}

function fieldOf(c: CollectionDef, name: string, param: string): Field {
	const f = c.fields.find((x) => x.name === name);
	if (!f) {
		throw new ApiError(
			400,
			`${param}: "${clip(name)}" is not a property of ${c.id} (there are: ${c.fields.map((x) => x.name).join(', ')})`,
			param
		);
	}
	return f;
}

/** A parsed filter → SQL; its mistakes are the client's (400, naming the parameter). */
function translate(
	c: CollectionDef,
	parsed: Parsed,
	params: unknown[],
	q: ItemsQuery,
	param: string
): string {
	try {
		return filterSql(c, parsed, params, q.filterCrs);
	} catch (err) {
		if (err instanceof Cql2Error) throw new ApiError(400, `${param}: ${err.message}`, param);
		throw err;
	}
}

/** `?priority=1`: a queryable as a parameter, the same as the filter `priority = 1`. */
function equalsExpr(f: Field, raw: string): Expr {
	if (f.type === 'integer' || f.type === 'number') {
		const n = Number(raw);
		if (raw.trim() === '' || !Number.isFinite(n)) {
			throw new ApiError(400, `${f.name}: must be a number, got "${clip(raw)}"`, f.name);
		}
		return { op: '=', args: [{ property: f.name }, n] };
	}
	return { op: '=', args: [{ property: f.name }, raw] };
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
	for (const [name, raw] of q.equals) {
		const expr = equalsExpr(fieldOf(c, name, name), raw);
		conds.push(translate(c, { expr, at: new WeakMap() }, params, q, name));
	}
	if (q.filter) conds.push(translate(c, q.filter, params, q, 'filter'));
	return conds;
}

const SORT_CAST: Record<Field['type'], string> = {
	string: 'text',
	integer: 'bigint',
	number: 'double precision',
	datetime: 'timestamptz'
};

/** The `after` of a sorted page: the last row's sort values and key, as base64url JSON. */
function sortToken(values: (string | null)[], key: number): string {
	return Buffer.from(JSON.stringify([...values, key])).toString('base64url');
}

/** SQL of a sort value as the token carries it: exact, and in a form the cast reads back. */
function sortValueSql(f: Field): string {
	return f.type === 'datetime'
		? `to_char(${f.sql} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
		: `(${f.sql})::text`;
}

/** A forged token's values must still be what the cast reads (else the database would fail). */
const SORT_VALUE_OK: Record<Field['type'], (v: string) => boolean> = {
	string: (v) => !v.includes('\u0000'),
	integer: (v) => /^-?\d{1,18}$/.test(v),
	number: (v) =>
		/^(NaN|-?Infinity)$/.test(v) || (/^[-+.\deE]+$/.test(v) && Number.isFinite(Number(v))),
	datetime: (v) =>
		/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(v) && !Number.isNaN(parseIsoTime(v, true))
};

function readSortToken(
	raw: string,
	sort: { f: Field }[]
): { values: (string | null)[]; key: number } {
	const n = sort.length;
	const refuse = () => new ApiError(400, 'after: not a paging key from a next link', 'after');
	let v: unknown;
	try {
		v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
	} catch {
		throw refuse();
	}
	if (!Array.isArray(v) || v.length !== n + 1) throw refuse();
	const key = v[n];
	if (!Number.isSafeInteger(key)) throw refuse();
	const values = v.slice(0, n);
	const fine = (x: unknown, i: number) =>
		x === null || (typeof x === 'string' && x.length <= 10_000 && SORT_VALUE_OK[sort[i].f.type](x));
	if (!values.every(fine)) {
		throw refuse();
	}
	return { values, key: key as number };
}

/**
 * The rows after (values…, key) in the order `ORDER BY sort…, key`, NULLs last when ascending
 * and first when descending (as the ORDER BY says): one OR of "equal so far, after here".
 */
function keysetAfter(
	c: CollectionDef,
	sort: { f: Field; desc: boolean }[],
	after: { values: (string | null)[]; key: number },
	params: unknown[]
): string {
	const bound = after.values.map((v, i) => {
		if (v === null) return null;
		params.push(v);
		return `$${params.length}::${SORT_CAST[sort[i].f.type]}`;
	});
	params.push(after.key);
	const keyParam = `$${params.length}::bigint`;
	const alternatives: string[] = [];
	const equal: string[] = [];
	sort.forEach(({ f, desc }, i) => {
		const v = bound[i];
		let beyond: string | null;
		if (!desc)
			beyond =
				v === null
					? null
					: f.nullable
						? `(${f.sql} > ${v} OR ${f.sql} IS NULL)`
						: `${f.sql} > ${v}`;
		else beyond = v === null ? `${f.sql} IS NOT NULL` : `${f.sql} < ${v}`;
		if (beyond) alternatives.push(`(${[...equal, beyond].join(' AND ')})`);
		equal.push(v === null ? `${f.sql} IS NULL` : `${f.sql} = ${v}`);
	});
	alternatives.push(`(${[...equal, `t.${c.key} > ${keyParam}`].join(' AND ')})`);
	return `(${alternatives.join(' OR ')})`;
}

function featureText(fid: string | number, geojson: string, props: string, crs: OgcCrs): string {
	const geometry = convertGeometryText(geojson, crs);
	return `{"type":"Feature","id":${JSON.stringify(fid)},"geometry":${geometry},"properties":${props}}`;
}

export async function items(db: Queryable, url: URL, id: string): Promise<Response> {
	const c = collectionOf(id);
	const q = parseItemsQuery(
		url.searchParams,
		c.fields.map((f) => f.name)
	);
	for (const name of q.properties ?? []) fieldOf(c, name, 'properties');
	const sort = (q.sortby ?? []).map((k) => ({ f: fieldOf(c, k.name, 'sortby'), desc: k.desc }));
	const params: unknown[] = [];
	const conds = where(c, q, params);
	const filterParams = params.slice();
	const filtered = conds.slice();
	if (q.after !== null) {
		if (sort.length) {
			conds.push(keysetAfter(c, sort, readSortToken(q.after, sort), params));
		} else {
			const after = Number(q.after);
			if (!Number.isSafeInteger(after))
				throw new ApiError(400, 'after: not a paging key from a next link', 'after');
			params.push(after);
			// bigint: a forged key beyond the column's 32-bit range is an empty page, not an error.
			conds.push(`t.${c.key} > $${params.length}::bigint`);
		}
	}
	params.push(q.limit + 1); // one more than asked: is there a next page?
	const order = [
		...sort.map(({ f, desc }) => `${f.sql} ${desc ? 'DESC NULLS FIRST' : 'ASC NULLS LAST'}`),
		`t.${c.key}`
	];
	const sortValues = sort.map(({ f }, i) => `, ${sortValueSql(f)} AS s${i}`).join('');
	const sql = `SELECT t.${c.key} AS key, t.id AS fid, ST_AsGeoJSON(CASE WHEN ST_NumGeometries(t.geom) = 1 THEN ST_GeometryN(t.geom, 1) ELSE t.geom END, 7) AS geojson, ${propertiesSql(c, q.properties ?? undefined)}::text AS props${sortValues}
		FROM ${c.table} t ${conds.length ? 'WHERE ' + conds.join(' AND ') : ''}
		ORDER BY ${order.join(', ')} LIMIT $${params.length}`;
	const rows = await db.query<
		{
			key: number;
			fid: string | number;
			geojson: string;
			props: string;
		} & Record<string, string | null>
	>(sql, params);
	const more = rows.length > q.limit;
	const page = more ? rows.slice(0, q.limit) : rows;

	// Counting every match costs a scan; done once, on the first page, where clients ask.
	let numberMatched: number | undefined;
	if (q.after === null) {
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
		const last = page[page.length - 1];
		const key = Number(last.key);
		next.searchParams.set(
			'after',
			sort.length
				? sortToken(
						sort.map((_, i) => last[`s${i}`]),
						key
					)
				: String(last.key)
		);
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
	only(url.searchParams, ['f', 'crs', 'properties']);
	const crs = parseOgcCrs(url.searchParams.get('crs'), 'crs');
	const raw = url.searchParams.get('properties');
	const names =
		raw === null
			? undefined
			: raw
					.split(',')
					.map((s) => s.trim())
					.filter(Boolean);
	for (const name of names ?? []) fieldOf(c, name, 'properties');
	// Ids are codes or integers: anything with control characters (NUL cannot even be sent to
	// the database) or longer than any id is no feature.
	const wellFormed = c.numericIds
		? /^\d{1,15}$/.test(featureId)
		: featureId.length <= 200 && ![...featureId].some((ch) => ch < ' ' || ch === '\u007f');
	if (!wellFormed) {
		throw new ApiError(404, `There is no ${c.id} feature "${clip(featureId)}".`, 'featureId');
	}
	const [row] = await db.query<{ fid: string | number; geojson: string; props: string }>(
		`SELECT t.id AS fid, ST_AsGeoJSON(CASE WHEN ST_NumGeometries(t.geom) = 1 THEN ST_GeometryN(t.geom, 1) ELSE t.geom END, 7) AS geojson, ${propertiesSql(c, names)}::text AS props
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
