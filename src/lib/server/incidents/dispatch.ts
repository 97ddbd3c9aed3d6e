/**
 * One-click dispatch of the nearest available patrol unit, and the ranking the panel shows.
 * Positions come from the running simulator (what the live map shows) or, when it is off, from
 * the units' 24-hour tracks at the current time of day (the same interpolation). A unit is
 * available unless it is responding: held by a case in the database (patrol_unit.
 * responding_incident_id) or shown responding by the simulator.
 */
import { z } from 'zod';
import type { PatrolMode } from '$lib/domain/city';
import { UNIT_SPEED_KMH } from '$lib/domain/incidents';
import type { NearestUnit, PatrolPosition } from '$lib/domain/live';
import type { Db, Queryable } from '../db/types';
import { ApiError } from '../http/errors';
import { distanceM as between } from '$lib/geo/distance';
import { cstSecondsOfDay } from '$lib/domain/time';
import { positionAt, type Track } from '$lib/geo/track';
import type { AuditActor } from '../audit/audit';
import {
	applyTransition,
	loadCase,
	staleVersion,
	versionSchema,
	zodError,
	type TransitionResult
} from './lifecycle';

const PATROL_MODES = ['land', 'sea', 'air'] as const;

interface UnitRow {
	id: string;
	callsign: string;
	mode: PatrolMode;
	status: PatrolPosition['status'];
	held: number | null;
}

/** Tracks change only when a city pack is imported (forgetTracks): read once per database. */
const trackCache = new WeakMap<object, Promise<Map<string, Track>>>();

/** A city pack was imported: its units' tracks are read again. */
export function forgetTracks(db: Queryable): void {
	trackCache.delete(db);
}

function tracks(db: Queryable): Promise<Map<string, Track>> {
	let cached = trackCache.get(db);
	if (!cached) {
		cached = db
			.query<{ id: string; track: Track }>(
				'SELECT id, track FROM patrol_unit WHERE track IS NOT NULL'
			)
			.then((rows) => new Map(rows.map((r) => [r.id, r.track])));
		trackCache.set(db, cached);
		cached.catch(() => trackCache.delete(db));
	}
	return cached;
}

/** Where the units are at `at`: the simulator's positions when given, else from the tracks. */
export async function unitPositions(
	db: Queryable,
	at: number,
	live?: PatrolPosition[] | null
): Promise<PatrolPosition[]> {
	if (live) return live;
	const [byId, units] = [
		await tracks(db),
		await db.query<{ id: string; status: PatrolPosition['status'] }>(
			'SELECT id, status FROM patrol_unit ORDER BY ord'
		)
	];
	const t = cstSecondsOfDay(at);
	return units.map((u) => {
		const [lon, lat] = positionAt(byId.get(u.id)!, t);
		return { id: u.id, lon, lat, status: u.status };
	});
}

/** Every unit by distance to (lon, lat), nearest first. */
export async function rankUnits(
	q: Queryable,
	lon: number,
	lat: number,
	positions: PatrolPosition[]
): Promise<NearestUnit[]> {
	const rows = await q.query<UnitRow>(
		`SELECT id, callsign, mode, status, responding_incident_id AS held FROM patrol_unit`
	);
	const info = new Map(rows.map((r) => [r.id, r]));
	const out: NearestUnit[] = [];
	for (const p of positions) {
		const u = info.get(p.id);
		if (!u || !Number.isFinite(p.lon)) continue;
		const responding = p.status === 'responding' || u.held !== null;
		const distanceM = Math.round(between([lon, lat], [p.lon, p.lat]));
		out.push({
			id: u.id,
			callsign: u.callsign,
			mode: u.mode,
			status: responding ? 'responding' : p.status,
			available: !responding,
			lon: p.lon,
			lat: p.lat,
			distanceM,
			etaS: Math.round(distanceM / ((UNIT_SPEED_KMH[u.mode] * 1000) / 3600))
		});
	}
	return out.sort((a, b) => a.distanceM - b.distanceM || a.id.localeCompare(b.id));
}

export interface DispatchNearestInput {
	/** The signed-in user (never from the request body), or a name in tests. */
	actor: AuditActor | string;
	version: number;
	comment: string;
	/** Only units of this mode (e.g. land for a street incident); any when absent. */
	mode?: PatrolMode;
}

export interface DispatchNearestResult {
	unit: NearestUnit;
	/** One or two transitions: 立案 first when the case was still "reported", then 派遣. */
	transitions: TransitionResult[];
}

/**
 * Picks the nearest available unit and dispatches the case to it, in one transaction: the unit is
 * held (responding) and the case moves to dispatched with the unit as assignee, audited.
 */
export async function dispatchNearest(
	db: Db,
	id: number,
	input: DispatchNearestInput,
	positions: PatrolPosition[],
	at: number = Date.now()
): Promise<DispatchNearestResult> {
	return db.transaction(async (tx) => {
		const current = await loadCase(tx, id, true);
		if (current.version !== input.version) throw await staleVersion(tx, current, input.version);
		const ranked = await rankUnits(tx, current.lon, current.lat, positions);
		const unit = ranked.find((u) => u.available && (!input.mode || u.mode === input.mode));
		if (!unit)
			throw new ApiError(
				409,
				`No ${input.mode ? `${input.mode} ` : ''}patrol unit is available: every one is responding.`,
				'mode'
			);
		const transitions: TransitionResult[] = [];
		let version = input.version;
		if (current.status === 'reported') {
			const reg = await applyTransition(
				tx,
				id,
				{ action: 'register', assignees: [], comment: input.comment, actor: input.actor, version },
				at
			);
			transitions.push(reg);
			version = reg.record.version;
		}
		const comment =
			input.comment ||
			`nearest available unit ${unit.callsign}, ${unit.distanceM} m, ETA ${Math.ceil(unit.etaS / 60)} min`;
		transitions.push(
			await applyTransition(
				tx,
				id,
				{
					action: 'dispatch',
					assignees: [{ kind: 'patrol_unit', name: unit.callsign, unitId: unit.id }],
					comment,
					actor: input.actor,
					version
				},
				at
			)
		);
		return { unit: { ...unit, status: 'responding', available: false }, transitions };
	});
}

const dispatchSchema = z.strictObject({
	version: versionSchema,
	comment: z.string({ error: 'must be text' }).max(2000).optional(),
	mode: z.enum(PATROL_MODES, { error: `must be one of: ${PATROL_MODES.join(', ')}` }).optional()
});

/** Validates a dispatch-nearest body (the actor is the signed-in user); throws 422 `{ message, field }`. */
export function validateDispatchNearest(
	body: unknown,
	actor: AuditActor | string
): DispatchNearestInput {
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		throw new ApiError(422, 'The body must be an object such as {"version":1}.');
	const parsed = dispatchSchema.safeParse(body);
	if (!parsed.success) throw zodError(parsed.error, body);
	return { ...parsed.data, actor, comment: (parsed.data.comment ?? '').trim() };
}

/** `?mode=` for the ranking: a patrol mode or absent. */
export function parseMode(raw: string | null): PatrolMode | undefined {
	if (raw === null || raw === '') return undefined;
	if ((PATROL_MODES as readonly string[]).includes(raw)) return raw as PatrolMode;
	throw new ApiError(400, `mode: must be one of: ${PATROL_MODES.join(', ')}`, 'mode');
}
