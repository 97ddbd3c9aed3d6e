/**
 * Query parameters of OGC API – Features Part 1 (Core): bbox, datetime, limit; Part 2: crs and
 * bbox-crs (ogc/crs.ts); plus our cursor.
 */
import { DAY_MS, parseIsoTime } from '$lib/domain/time';
import type { Bbox } from '$lib/geo/bbox';
import { ApiError } from '../http/errors';
import { CRS84, bboxToCrs84, parseOgcCrs, type OgcCrs } from './crs';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;

export interface ItemsQuery {
	/** One box, or two when the requested box crosses the antimeridian. */
	bbox: Bbox[] | null;
	/** Epoch ms; null = open end. Both null = no time filter. */
	datetime: { start: number | null; end: number | null } | null;
	limit: number;
	/** Keyset paging: items after this key (opaque to clients; it comes from a `next` link). */
	after: string | null;
	/** The CRS of the answer's coordinates (`crs`; CRS84 when absent). */
	crs: OgcCrs;
}

const ALLOWED = new Set(['bbox', 'bbox-crs', 'datetime', 'limit', 'after', 'crs', 'f']);

function bad(param: string, message: string): ApiError {
	return new ApiError(400, `${param}: ${message}`, param);
}

/** A parameter given twice is ambiguous (which one counts?): refused rather than guessed. */
export function checkRepeats(params: URLSearchParams): void {
	const seen = new Set<string>();
	for (const key of params.keys()) {
		if (seen.has(key)) throw bad(key, 'given more than once; send it once');
		seen.add(key);
	}
}

/** `f` picks the encoding; there is one (GeoJSON/JSON). */
export function checkFormat(params: URLSearchParams): void {
	checkRepeats(params);
	const f = params.get('f');
	if (f !== null && !['json', 'geojson', 'application/json', 'application/geo+json'].includes(f)) {
		throw bad('f', `only JSON is offered (f=json); got "${f}"`);
	}
}

/** `bbox` in `from` (bbox-crs; CRS84 when absent) → one or two CRS84 boxes. */
export function parseBbox(raw: string, from: OgcCrs = CRS84): Bbox[] {
	const parts = raw.split(',').map((s) => s.trim());
	const order = from.latFirst ? 'minLat,minLon,maxLat,maxLon' : 'minLon,minLat,maxLon,maxLat';
	if (parts.length !== 4 && parts.length !== 6) {
		throw bad('bbox', `must be ${order} (degrees of ${from.uri})`);
	}
	const n = parts.map(Number);
	if (n.some((v, i) => parts[i] === '' || !Number.isFinite(v)))
		throw bad('bbox', 'must be numbers');
	// With 6 numbers the 3rd and 6th are heights, which 2D data ignores.
	const flat = parts.length === 6 ? [n[0], n[1], n[3], n[4]] : n;
	if (from.latFirst && (Math.abs(flat[0]) > 90 || Math.abs(flat[2]) > 90)) {
		throw bad('bbox', `in ${from.uri} latitude comes first: ${order}`);
	}
	const [x0, y0, x1, y1] = bboxToCrs84(flat, from);
	if (y0 > y1) throw bad('bbox', 'the southern edge (2nd number) is north of the northern one');
	if (Math.abs(x0) > 180 || Math.abs(x1) > 180 || Math.abs(y0) > 90 || Math.abs(y1) > 90) {
		throw bad('bbox', 'must lie within -180..180 and -90..90');
	}
	if (x0 <= x1) return [[x0, y0, x1, y1]];
	return [
		[x0, y0, 180, y1],
		[-180, y0, x1, y1]
	];
}

function parseInstant(raw: string, end: boolean): number {
	// A bare date means the whole day in China Standard Time (as the app's date filter means it).
	if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
		const t = parseIsoTime(raw);
		if (Number.isNaN(t)) throw bad('datetime', `"${raw}" is not a date`);
		return end ? t + DAY_MS - 1 : t;
	}
	if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(raw)) {
		throw bad('datetime', `"${raw}" is not an RFC 3339 time such as 2026-11-27T08:00:00Z`);
	}
	const t = parseIsoTime(raw, true);
	if (Number.isNaN(t)) throw bad('datetime', `"${raw}" is not a valid time`);
	return t;
}

/** `instant`, `start/end`, `../end`, `start/..` (an empty side is open too). */
export function parseDatetime(raw: string): ItemsQuery['datetime'] {
	const parts = raw.split('/');
	if (parts.length === 1) {
		const t = parts[0];
		const isDate = /^\d{4}-\d{2}-\d{2}$/.test(t);
		return {
			start: parseInstant(t, false),
			end: isDate ? parseInstant(t, true) : parseInstant(t, false)
		};
	}
	if (parts.length !== 2) throw bad('datetime', 'must be an instant or an interval start/end');
	const open = (s: string) => s === '' || s === '..';
	if (open(parts[0]) && open(parts[1])) throw bad('datetime', 'an interval needs at least one end');
	const start = open(parts[0]) ? null : parseInstant(parts[0], false);
	const end = open(parts[1]) ? null : parseInstant(parts[1], true);
	if (start !== null && end !== null && start > end)
		throw bad('datetime', 'the interval ends before it starts');
	return { start, end };
}

export function parseItemsQuery(params: URLSearchParams): ItemsQuery {
	for (const key of params.keys()) {
		if (!ALLOWED.has(key)) {
			throw bad(key, `unknown parameter (this API understands: ${[...ALLOWED].join(', ')})`);
		}
	}
	checkFormat(params);
	let limit = DEFAULT_LIMIT;
	const rawLimit = params.get('limit');
	if (rawLimit !== null) {
		const n = Number(rawLimit);
		if (!/^\d+$/.test(rawLimit.trim()) || n < 1) throw bad('limit', 'must be a positive integer');
		limit = Math.min(n, MAX_LIMIT); // larger asks get the maximum, not an error (the standard says so)
	}
	const bbox = params.get('bbox');
	const datetime = params.get('datetime');
	const bboxCrs = parseOgcCrs(params.get('bbox-crs'), 'bbox-crs');
	return {
		bbox: bbox === null ? null : parseBbox(bbox, bboxCrs),
		crs: parseOgcCrs(params.get('crs'), 'crs'),
		datetime: datetime === null ? null : parseDatetime(datetime),
		limit,
		after: params.get('after')
	};
}
