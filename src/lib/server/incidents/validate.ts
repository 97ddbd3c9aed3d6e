/**
 * Validation of incident intake: the body is one incident (an object) or a batch (an array of
 * them). Every problem is reported with the field it is in, in words a person can act on.
 */
import { z } from 'zod';
import {
	INCIDENT_SOURCES,
	INCIDENT_TYPES,
	type IncidentSource,
	type IncidentType
} from '$lib/domain/incidents';
import { ApiError, type FieldError } from '../http/errors';
import { CRS_NAMES, normalizeCrs, toWgs84, type CrsName } from './coords';

export const MAX_BATCH = 1000;
/** Incidents may be reported late, not early: at most this far in the future (clock skew). */
const MAX_FUTURE_MS = 5 * 60_000;
const MIN_TS = Date.UTC(2000, 0, 1);
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** What intake stores, after validation and conversion to WGS84. */
export interface IncidentInput {
	type: IncidentType;
	lon: number;
	lat: number;
	crs: CrsName;
	ts: number;
	source: IncidentSource;
	priority: number;
	description: string | null;
}

/** 危化品告警 is urgent by nature; everything else starts as 一般 until triaged. */
export function defaultPriority(type: IncidentType): number {
	return type === 'hazmat_alarm' ? 2 : type === 'fire_hazard' ? 3 : 4;
}

const list = (values: readonly string[]) => values.join(', ');

const schema = z.strictObject({
	type: z.enum(INCIDENT_TYPES, { error: `must be one of: ${list(INCIDENT_TYPES)}` }),
	lon: z
		.number({ error: 'must be a number (longitude in degrees)' })
		.min(-180, { error: 'must be between -180 and 180' })
		.max(180, { error: 'must be between -180 and 180' }),
	lat: z
		.number({ error: 'must be a number (latitude in degrees)' })
		.min(-90, { error: 'must be between -90 and 90' })
		.max(90, { error: 'must be between -90 and 90' }),
	crs: z
		.string({ error: `must be one of: ${list(CRS_NAMES)}` })
		.transform((v, ctx) => {
			const crs = normalizeCrs(v);
			if (!crs) ctx.addIssue({ code: 'custom', message: `must be one of: ${list(CRS_NAMES)}` });
			return crs ?? 'wgs84';
		})
		.optional(),
	ts: z
		.unknown()
		.transform((v, ctx) => {
			if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
			if (typeof v === 'string' && RFC3339.test(v) && !Number.isNaN(Date.parse(v)))
				return Date.parse(v);
			ctx.addIssue({
				code: 'custom',
				message:
					'must be epoch milliseconds (integer) or an RFC 3339 time such as 2026-11-27T08:30:00+08:00'
			});
			return z.NEVER;
		})
		.optional(),
	source: z
		.enum(INCIDENT_SOURCES, { error: `must be one of: ${list(INCIDENT_SOURCES)}` })
		.optional(),
	priority: z
		.number({ error: 'must be 1 (特急), 2, 3 or 4 (一般)' })
		.int({ error: 'must be 1 (特急), 2, 3 or 4 (一般)' })
		.min(1, { error: 'must be 1 (特急), 2, 3 or 4 (一般)' })
		.max(4, { error: 'must be 1 (特急), 2, 3 or 4 (一般)' })
		.optional(),
	description: z
		.string({ error: 'must be text' })
		.max(2000, { error: 'must be at most 2000 characters' })
		.nullable()
		.optional()
});

function fieldName(prefix: string, path: readonly PropertyKey[]): string {
	let out = prefix;
	for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
	return out;
}

function issueErrors(prefix: string, error: z.ZodError, value: object): FieldError[] {
	const out: FieldError[] = [];
	for (const issue of error.issues) {
		if (issue.code === 'unrecognized_keys') {
			for (const key of issue.keys) {
				const field = fieldName(prefix, [...issue.path, key]);
				out.push({
					field,
					message: `${field}: unknown field (known: type, lon, lat, crs, ts, source, priority, description)`
				});
			}
			continue;
		}
		const field = fieldName(prefix, issue.path);
		const missing = issue.path.length === 1 && !(issue.path[0] in value);
		out.push({ field, message: `${field}: ${missing ? 'is required' : issue.message}` });
	}
	return out;
}

function checkOne(value: unknown, prefix: string, now: number): IncidentInput | FieldError[] {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		const field = prefix || null;
		return [
			{
				field,
				message: `${prefix || 'The body'}: must be an incident object such as {"type":"dispute","lon":117.7,"lat":39.0}`
			}
		];
	}
	const parsed = schema.safeParse(value);
	if (!parsed.success) return issueErrors(prefix, parsed.error, value);
	const v = parsed.data;
	const ts = v.ts ?? now;
	if (!(ts >= MIN_TS && ts <= now + MAX_FUTURE_MS)) {
		const field = fieldName(prefix, ['ts']);
		return [
			{
				field,
				message: `${field}: must lie between 2000-01-01 and now (got ${new Date(ts).toISOString()})`
			}
		];
	}
	const crs = v.crs ?? 'wgs84';
	const [lon, lat] = toWgs84(v.lon, v.lat, crs);
	return {
		type: v.type,
		lon,
		lat,
		crs,
		ts,
		source: v.source ?? 'resident_app',
		priority: v.priority ?? defaultPriority(v.type),
		description: v.description ?? null
	};
}

/**
 * Validates an intake body. Returns the incidents (converted to WGS84) and whether it was a
 * batch; throws ApiError 4xx naming the first bad field (and listing up to 20 in `errors`).
 */
export function validateIntake(
	body: unknown,
	now = Date.now()
): { incidents: IncidentInput[]; batch: boolean } {
	const batch = Array.isArray(body);
	const items: unknown[] = batch ? (body as unknown[]) : [body];
	if (batch && items.length === 0)
		throw new ApiError(422, 'The batch is empty: send at least one incident.', null);
	if (items.length > MAX_BATCH) {
		throw new ApiError(
			413,
			`A batch holds at most ${MAX_BATCH} incidents (got ${items.length}); split it.`,
			null
		);
	}
	const incidents: IncidentInput[] = [];
	const errors: FieldError[] = [];
	items.forEach((item, i) => {
		const result = checkOne(item, batch ? `[${i}]` : '', now);
		if (Array.isArray(result)) errors.push(...result);
		else incidents.push(result);
	});
	if (errors.length) {
		throw new ApiError(422, errors[0].message, errors[0].field, errors.slice(0, 20));
	}
	return { incidents, batch };
}
