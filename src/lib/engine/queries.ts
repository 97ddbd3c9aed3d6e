/**
 * Every question the UI asks of the incidents, as a named function with typed parameters and
 * typed-array results. SQL runs in DuckDB (in its Web Worker in the browser, in-process in unit
 * tests); parameters are always bound, never spliced into the SQL text.
 *
 * The `incidents` table (see `snapshot.ts`): id, lon, lat, px, py (Web Mercator × 2^24), ts,
 * closed_ts (epoch ms, NaN while open), type, source, status, priority, grid, community, street
 * (INTEGER codes). Rows are in report-time order, so time filters skip whole row groups.
 */
import type { UnitLevel } from '$lib/domain/city';
import type { IncidentFilter } from './filter';
import {
	ALL_PRIORITIES,
	ALL_SOURCES,
	ALL_STATUSES,
	ALL_TYPES,
	CST_OFFSET_MS,
	DAY_MS,
	HOUR_MS
} from './filter';

export type SqlParam = number | string | boolean;

/** What a query result must offer: DuckDB's Arrow tables fit. */
export interface ResultTable {
	numRows: number;
	getChild(name: string): { toArray(): ArrayLike<unknown> } | null;
}

export interface SqlRunner {
	query(sql: string, params?: SqlParam[]): Promise<ResultTable>;
}

import type { Bbox } from '$lib/geo/bbox';
export type { Bbox };
export type { UnitLevel };

/** Statements run once after the table is created. */
export const SETUP_SQL = [
	// Great-circle distance in metres (the spatial extension cannot be loaded offline).
	`CREATE OR REPLACE MACRO haversine_m(lon1, lat1, lon2, lat2) AS
		2 * 6371008.8 * asin(sqrt(
			pow(sin(radians(lat2 - lat1) / 2), 2) +
			cos(radians(lat1)) * cos(radians(lat2)) * pow(sin(radians(lon2 - lon1) / 2), 2)))`
];

/** The filter as a WHERE clause and its bound parameters. */
export interface Where {
	sql: string;
	params: SqlParam[];
}

/**
 * The filter as SQL. A code set that lets everything through adds no predicate at all — the
 * common case costs nothing (measured: a bitmask test on every row of a million adds ~30 ms).
 * Masks are bound as integers; only which predicates appear varies, never a value in the text.
 */
export function where(f: IncidentFilter): Where {
	const parts = ['ts >= ?', 'ts < ?'];
	const params: SqlParam[] = [f.fromMs, f.toMs];
	const mask = (column: string, value: number, all: number) => {
		if ((value & all) === all) return;
		parts.push(`((1 << ${column}) & ?::INTEGER) <> 0`);
		params.push(value);
	};
	mask('type', f.types, ALL_TYPES);
	mask('source', f.sources, ALL_SOURCES);
	mask('status', f.statuses, ALL_STATUSES);
	mask('priority', f.priorities, ALL_PRIORITIES);
	return { sql: parts.join(' AND '), params };
}

/** The filter with another time range (the timeline and the hotspot windows bring their own). */
function whereBetween(f: IncidentFilter, fromMs: number, toMs: number): Where {
	return where({ ...f, fromMs, toMs });
}

/** Merges the `incoming` table (live records) into `incidents`: a changed incident replaces its row. */
export const UPSERT_SQL = [
	'DELETE FROM incidents WHERE id IN (SELECT id FROM incoming)',
	'INSERT INTO incidents SELECT * FROM incoming',
	'DROP TABLE incoming'
];

const BBOX_SQL = 'lon >= ? AND lon <= ? AND lat >= ? AND lat <= ?';
const bboxParams = ([w, s, e, n]: Bbox): SqlParam[] => [w, e, s, n];

function column<T>(t: ResultTable, name: string, ctor: { from(a: ArrayLike<number>): T }): T {
	const child = t.getChild(name);
	if (!child) throw new Error(`query result has no column "${name}"`);
	const values = child.toArray() as ArrayLike<number | bigint>;
	const out = new Array<number>(values.length);
	for (let i = 0; i < values.length; i++) out[i] = Number(values[i]);
	return ctor.from(out);
}

/** Single incidents (or a few attributes of them) as parallel typed arrays. */
export interface PointSet {
	length: number;
	id: Int32Array;
	lon: Float64Array;
	lat: Float64Array;
	ts: Float64Array;
	type: Int8Array;
	source: Int8Array;
	status: Int8Array;
	priority: Uint8Array;
}

const POINT_COLUMNS = 'id, lon, lat, ts, type, source, status, priority';

function pointSet(t: ResultTable): PointSet {
	return {
		length: t.numRows,
		id: column(t, 'id', Int32Array),
		lon: column(t, 'lon', Float64Array),
		lat: column(t, 'lat', Float64Array),
		ts: column(t, 'ts', Float64Array),
		type: column(t, 'type', Int8Array),
		source: column(t, 'source', Int8Array),
		status: column(t, 'status', Int8Array),
		priority: column(t, 'priority', Uint8Array)
	};
}

/** How many incidents pass the filter (within a box, if given). */
export async function countIncidents(
	db: SqlRunner,
	f: IncidentFilter,
	bbox?: Bbox
): Promise<number> {
	const w = where(f);
	const sql = `SELECT count(*)::DOUBLE AS n FROM incidents WHERE ${w.sql}${bbox ? ` AND ${BBOX_SQL}` : ''}`;
	const t = await db.query(sql, [...w.params, ...(bbox ? bboxParams(bbox) : [])]);
	return column(t, 'n', Float64Array)[0];
}

/** Every incident the engine holds: the snapshot and what the live feed has added since. */
export async function countAll(db: SqlRunner): Promise<number> {
	const t = await db.query('SELECT count(*)::DOUBLE AS n FROM incidents');
	return column(t, 'n', Float64Array)[0];
}

/** The incidents in a box, up to `limit` (newest first), for clustering in the worker. */
export async function pointsInBox(
	db: SqlRunner,
	f: IncidentFilter,
	bbox: Bbox,
	limit: number
): Promise<PointSet> {
	const w = where(f);
	const t = await db.query(
		`SELECT ${POINT_COLUMNS} FROM incidents WHERE ${w.sql} AND ${BBOX_SQL} ORDER BY ts DESC LIMIT ?`,
		[...w.params, ...bboxParams(bbox), limit]
	);
	return pointSet(t);
}

/** Square bins of BIN_PX screen pixels at a zoom (Web Mercator), each with its centroid. */
export interface Bins {
	length: number;
	lon: Float64Array;
	lat: Float64Array;
	count: Uint32Array;
	/** For a bin of one incident, that incident (its id and codes); otherwise the minimum. */
	single: PointSet;
}

/** Bins are 2^6 = 64 screen pixels wide, so binning is an integer shift of `px`/`py`. */
export const BIN_PX = 64;
/** `px`/`py` are Web Mercator coordinates scaled to 0..2^24 (see snapshot.ts). */
export const MERCATOR_BITS = 24;

/**
 * Clusters for a large set, aggregated in SQL: incidents are binned on a Web Mercator grid of
 * BIN_PX pixels at `zoom` (integer shifts of precomputed coordinates, one BIGINT group key)
 * and each bin reports its count and mean position.
 */
export async function binClusters(
	db: SqlRunner,
	f: IncidentFilter,
	bbox: Bbox,
	zoom: number
): Promise<Bins> {
	// The world is 256 · 2^z pixels at zoom z, so a pixel is 2^(24 − 8 − z) units and a bin of
	// 2^6 pixels is 2^(22 − z) units.
	const shift = Math.max(
		0,
		Math.min(MERCATOR_BITS, MERCATOR_BITS - 8 + Math.log2(BIN_PX) - Math.floor(zoom))
	);
	const w = where(f);
	const t = await db.query(
		`SELECT count(*)::INTEGER AS n, avg(lon) AS lon, avg(lat) AS lat,
			min(id) AS id, min(ts) AS ts, min(type) AS type, min(source) AS source,
			min(status) AS status, min(priority) AS priority
		FROM incidents WHERE ${w.sql} AND ${BBOX_SQL}
		GROUP BY ((px >> ?::INTEGER)::BIGINT << 24) | (py >> ?::INTEGER)`,
		[...w.params, ...bboxParams(bbox), shift, shift]
	);
	return {
		length: t.numRows,
		lon: column(t, 'lon', Float64Array),
		lat: column(t, 'lat', Float64Array),
		count: column(t, 'n', Uint32Array),
		single: pointSet(t)
	};
}

const LEVEL_COLUMN: Record<UnitLevel, string> = {
	grid: 'grid',
	community: 'community',
	street: 'street'
};

/** Incidents per grid / community / street, indexed by its position in the GeoJSON. */
export async function countsByUnit(
	db: SqlRunner,
	f: IncidentFilter,
	level: UnitLevel,
	size: number
): Promise<Uint32Array> {
	const col = LEVEL_COLUMN[level];
	const w = where(f);
	const t = await db.query(
		`SELECT ${col} AS unit, count(*)::INTEGER AS n FROM incidents WHERE ${w.sql} GROUP BY ${col}`,
		w.params
	);
	const units = column(t, 'unit', Int32Array);
	const counts = column(t, 'n', Uint32Array);
	const out = new Uint32Array(size);
	units.forEach((u, i) => {
		if (u >= 0 && u < size) out[u] = counts[i];
	});
	return out;
}

export interface Ranking {
	/** Unit indexes, first the largest value. */
	unit: Int32Array;
	value: Float64Array;
}

/**
 * The N largest of per-unit values (counts, or a measure of them), most first, ties by index
 * (i.e. by code); units at zero are left out.
 */
export function rankUnits(values: ArrayLike<number>, n: number): Ranking {
	const order = Array.from({ length: values.length }, (_, i) => i)
		.filter((i) => values[i] > 0)
		.sort((a, b) => values[b] - values[a] || a - b)
		.slice(0, n);
	return { unit: Int32Array.from(order), value: Float64Array.from(order, (i) => values[i]) };
}

/** The N units with the most incidents (within a scope, if given), most first (ties by code). */
export async function topUnits(
	db: SqlRunner,
	f: IncidentFilter,
	level: UnitLevel,
	n: number,
	scope: Scope = { kind: 'district' }
): Promise<{ unit: Int32Array; count: Uint32Array }> {
	const col = LEVEL_COLUMN[level];
	const w = where(f);
	const sw = scopeWhere(scope);
	const t = await db.query(
		`SELECT ${col} AS unit, count(*)::INTEGER AS n FROM incidents WHERE ${w.sql} AND ${sw.sql}
		GROUP BY ${col} ORDER BY n DESC, unit LIMIT ?`,
		[...w.params, ...sw.params, n]
	);
	return { unit: column(t, 'unit', Int32Array), count: column(t, 'n', Uint32Array) };
}

export type Bucket = 'day' | 'hour';
export const BUCKET_MS: Record<Bucket, number> = { day: DAY_MS, hour: HOUR_MS };

export interface Histogram {
	/** Start of the first bucket (a CST day or hour boundary), epoch ms. */
	startMs: number;
	bucketMs: number;
	counts: Uint32Array;
}

/**
 * Incidents per CST day or hour over [fromMs, toMs), applying every filter but time — the
 * timeline shows the whole period so the officer can brush a range in it.
 */
export async function timeHistogram(
	db: SqlRunner,
	f: IncidentFilter,
	bucket: Bucket,
	fromMs: number,
	toMs: number
): Promise<Histogram> {
	const size = BUCKET_MS[bucket];
	const startMs = Math.floor((fromMs + CST_OFFSET_MS) / size) * size - CST_OFFSET_MS;
	const buckets = Math.ceil((toMs - startMs) / size);
	const w = whereBetween(f, fromMs, toMs);
	const t = await db.query(
		`SELECT floor((ts - ?) / ?)::INTEGER AS b, count(*)::INTEGER AS n
		FROM incidents WHERE ${w.sql} GROUP BY b`,
		[startMs, size, ...w.params]
	);
	const b = column(t, 'b', Int32Array);
	const n = column(t, 'n', Uint32Array);
	const counts = new Uint32Array(buckets);
	b.forEach((bi, i) => {
		if (bi >= 0 && bi < buckets) counts[bi] = n[i];
	});
	return { startMs, bucketMs: size, counts };
}

/** Incidents by weekday (0 = Monday) × hour of day (CST): index weekday * 24 + hour. */
export async function hourWeekdayMatrix(db: SqlRunner, f: IncidentFilter): Promise<Uint32Array> {
	// 1970-01-01 was a Thursday (weekday 3 counting from Monday = 0).
	const w = where(f);
	const t = await db.query(
		`SELECT ((floor((ts + ?) / ?)::BIGINT + 3) % 7)::INTEGER AS wd,
			(floor((ts + ?) / ?)::BIGINT % 24)::INTEGER AS hr, count(*)::INTEGER AS n
		FROM incidents WHERE ${w.sql} GROUP BY wd, hr`,
		[CST_OFFSET_MS, DAY_MS, CST_OFFSET_MS, HOUR_MS, ...w.params]
	);
	const wd = column(t, 'wd', Int32Array);
	const hr = column(t, 'hr', Int32Array);
	const n = column(t, 'n', Uint32Array);
	const out = new Uint32Array(7 * 24);
	wd.forEach((d, i) => (out[d * 24 + hr[i]] = n[i]));
	return out;
}

export interface HotspotOptions {
	/** End of the recent window (exclusive), epoch ms. */
	endMs: number;
	recentDays: number;
	/** The baseline: this many weeks just before the recent window. */
	baselineWeeks: number;
	/** A grid needs at least this many recent incidents … */
	minRecent: number;
	/** … and at least this score to count as emerging. */
	minScore: number;
	limit: number;
}

export const DEFAULT_HOTSPOT_OPTIONS: Omit<HotspotOptions, 'endMs'> = {
	recentDays: 7,
	baselineWeeks: 8,
	minRecent: 5,
	minScore: 3,
	limit: 20
};

export interface Hotspot {
	grid: number;
	recent: number;
	/** Expected incidents in a window as long as the recent one, from the baseline. */
	expected: number;
	/** (recent − expected) / sqrt(expected + 1): a Poisson-style z-score. */
	score: number;
}

/**
 * Emerging hotspots: grids whose recent window is well above their own baseline. The expected
 * count is the baseline rate scaled to the recent window; the score is how many Poisson standard
 * deviations (√(expected + 1), so an empty baseline does not divide by zero) the recent count
 * lies above it. Applies every filter but time.
 */
export async function emergingHotspots(
	db: SqlRunner,
	f: IncidentFilter,
	o: HotspotOptions
): Promise<Hotspot[]> {
	const recentFrom = o.endMs - o.recentDays * DAY_MS;
	const baselineFrom = recentFrom - o.baselineWeeks * 7 * DAY_MS;
	const ratio = o.recentDays / (o.baselineWeeks * 7);
	const w = whereBetween(f, baselineFrom, o.endMs);
	const t = await db.query(
		`WITH per_grid AS (
			SELECT grid,
				count(*) FILTER (WHERE ts >= ?)::DOUBLE AS recent,
				count(*) FILTER (WHERE ts < ?)::DOUBLE * ? AS expected
			FROM incidents WHERE ${w.sql} GROUP BY grid
		)
		SELECT grid, recent, expected, (recent - expected) / sqrt(expected + 1) AS score
		FROM per_grid
		WHERE recent >= ? AND (recent - expected) / sqrt(expected + 1) >= ?
		ORDER BY score DESC, grid LIMIT ?`,
		[recentFrom, recentFrom, ratio, ...w.params, o.minRecent, o.minScore, o.limit]
	);
	const grid = column(t, 'grid', Int32Array);
	const recent = column(t, 'recent', Float64Array);
	const expected = column(t, 'expected', Float64Array);
	const score = column(t, 'score', Float64Array);
	return Array.from(grid, (g, i) => ({
		grid: g,
		recent: recent[i],
		expected: expected[i],
		score: score[i]
	}));
}

/** Metres per degree of latitude on the haversine macro's sphere. */
const M_PER_DEG = (Math.PI / 180) * 6_371_008.8;

/**
 * Degrees of latitude / longitude that surely cover `metres` around `lat` (the bbox prefilter
 * must never drop a point the exact distance keeps, hence the 1 % margin).
 */
function degreesAround(lat: number, metres: number): { dLat: number; dLon: number } {
	const dLat = (metres / M_PER_DEG) * 1.01;
	const dLon =
		dLat / Math.max(0.01, Math.cos((Math.min(89, Math.abs(lat) + dLat) * Math.PI) / 180));
	return { dLat, dLon };
}

export interface RadiusResult {
	count: number;
	/** The nearest `limit` of them, nearest first, with their distance in metres. */
	points: PointSet & { distanceM: Float64Array };
}

/** Incidents within `radiusM` metres of a point: bbox prefilter, then haversine. */
export async function withinRadius(
	db: SqlRunner,
	f: IncidentFilter,
	lon: number,
	lat: number,
	radiusM: number,
	limit = 2000
): Promise<RadiusResult> {
	const { dLat, dLon } = degreesAround(lat, radiusM);
	const box: Bbox = [lon - dLon, lat - dLat, lon + dLon, lat + dLat];
	const w = where(f);
	const t = await db.query(
		`WITH near AS (
			SELECT ${POINT_COLUMNS}, haversine_m(?, ?, lon, lat) AS distance_m
			FROM incidents WHERE ${w.sql} AND ${BBOX_SQL}
		)
		SELECT *, (SELECT count(*) FROM near WHERE distance_m <= ?)::DOUBLE AS total
		FROM near WHERE distance_m <= ? ORDER BY distance_m, id LIMIT ?`,
		[lon, lat, ...w.params, ...bboxParams(box), radiusM, radiusM, limit]
	);
	const points = { ...pointSet(t), distanceM: column(t, 'distance_m', Float64Array) };
	const count = t.numRows ? column(t, 'total', Float64Array)[0] : 0;
	return { count, points };
}

/** The K incidents nearest to a point, nearest first, searching outward in growing boxes. */
export async function nearestK(
	db: SqlRunner,
	f: IncidentFilter,
	lon: number,
	lat: number,
	k: number
): Promise<PointSet & { distanceM: Float64Array }> {
	// Grow the search radius until it holds K incidents (or covers the district).
	for (let radius = 500; ; radius *= 4) {
		const result = await withinRadius(db, f, lon, lat, radius, k);
		if (result.count >= k || radius > 200_000) return result.points;
	}
}

/** Incidents inside a polygon's bounding box: candidates for the exact test in the worker. */
export async function polygonCandidates(
	db: SqlRunner,
	f: IncidentFilter,
	bbox: Bbox
): Promise<PointSet> {
	const w = where(f);
	const t = await db.query(
		`SELECT ${POINT_COLUMNS} FROM incidents WHERE ${w.sql} AND ${BBOX_SQL} ORDER BY id`,
		[...w.params, ...bboxParams(bbox)]
	);
	return pointSet(t);
}

/** What the officer drilled into: a unit of the hierarchy, an area (a cluster), or one incident. */
export type Scope =
	| { kind: 'district' }
	/** One 区/县 of a city with that level: the incidents of its streets (indexes). */
	| { kind: 'streets'; district: number; streets: number[] }
	| { kind: 'unit'; level: UnitLevel; index: number }
	| { kind: 'area'; bbox: Bbox }
	| { kind: 'incident'; id: number };

/** The scope as SQL, added to the filter's WHERE. */
export function scopeWhere(scope: Scope): Where {
	switch (scope.kind) {
		case 'district':
			return { sql: 'TRUE', params: [] };
		case 'streets':
			// Only the number of placeholders varies with the district, never a value in the text.
			return scope.streets.length
				? { sql: `street IN (${scope.streets.map(() => '?').join(', ')})`, params: scope.streets }
				: { sql: 'FALSE', params: [] };
		case 'unit':
			return { sql: `${LEVEL_COLUMN[scope.level]} = ?`, params: [scope.index] };
		case 'area':
			return { sql: BBOX_SQL, params: bboxParams(scope.bbox) };
		case 'incident':
			return { sql: 'id = ?', params: [scope.id] };
	}
}

export interface ScopeSummary {
	total: number;
	/** Incidents per type / status code. */
	byType: Uint32Array;
	byStatus: Uint32Array;
	/** Incidents per CST day over the 30 days ending with the filter's end. */
	trend: Histogram;
}

export const TREND_DAYS = 30;

/** Counts of a scope by type and status, and its 30-day trend (the filter's time range aside). */
export async function scopeSummary(
	db: SqlRunner,
	f: IncidentFilter,
	scope: Scope,
	sizes: { types: number; statuses: number }
): Promise<ScopeSummary> {
	const w = where(f);
	const s = scopeWhere(scope);
	const t = await db.query(
		`SELECT type, status, count(*)::INTEGER AS n FROM incidents
		WHERE ${w.sql} AND ${s.sql} GROUP BY type, status`,
		[...w.params, ...s.params]
	);
	const type = column(t, 'type', Int32Array);
	const status = column(t, 'status', Int32Array);
	const n = column(t, 'n', Uint32Array);
	const byType = new Uint32Array(sizes.types);
	const byStatus = new Uint32Array(sizes.statuses);
	let total = 0;
	n.forEach((count, i) => {
		byType[type[i]] += count;
		byStatus[status[i]] += count;
		total += count;
	});
	const toMs = f.toMs;
	const fromMs = toMs - TREND_DAYS * DAY_MS;
	const tw = whereBetween(f, fromMs, toMs);
	const startMs = Math.floor((fromMs + CST_OFFSET_MS) / DAY_MS) * DAY_MS - CST_OFFSET_MS;
	const buckets = Math.ceil((toMs - startMs) / DAY_MS);
	const h = await db.query(
		`SELECT floor((ts - ?) / ?)::INTEGER AS b, count(*)::INTEGER AS n FROM incidents
		WHERE ${tw.sql} AND ${s.sql} GROUP BY b`,
		[startMs, DAY_MS, ...tw.params, ...s.params]
	);
	const counts = new Uint32Array(buckets);
	const b = column(h, 'b', Int32Array);
	const hn = column(h, 'n', Uint32Array);
	b.forEach((bi, i) => {
		if (bi >= 0 && bi < buckets) counts[bi] = hn[i];
	});
	return { total, byType, byStatus, trend: { startMs, bucketMs: DAY_MS, counts } };
}

export type IncidentSort = 'newest' | 'oldest' | 'priority' | 'status';
const ORDER: Record<IncidentSort, string> = {
	newest: 'ts DESC, id DESC',
	oldest: 'ts, id',
	priority: 'priority, ts DESC, id DESC',
	status: 'status, ts DESC, id DESC'
};

/** The incidents of a scope, sorted, up to `limit` (the list scrolls through them). */
export async function scopeIncidents(
	db: SqlRunner,
	f: IncidentFilter,
	scope: Scope,
	sort: IncidentSort,
	limit: number
): Promise<PointSet & { grid: Int32Array }> {
	const w = where(f);
	const s = scopeWhere(scope);
	const t = await db.query(
		`SELECT ${POINT_COLUMNS}, grid FROM incidents WHERE ${w.sql} AND ${s.sql}
		ORDER BY ${ORDER[sort]} LIMIT ?`,
		[...w.params, ...s.params, limit]
	);
	return { ...pointSet(t), grid: column(t, 'grid', Int32Array) };
}
