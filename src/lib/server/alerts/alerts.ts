/**
 * Alerts: stored (table `alert`), pushed live as `alerts` events, listed and acknowledged by the
 * duty officer. Two rules raise them: an incident inside a hazmat site's risk radius (at intake,
 * incidents/intake.ts) and a hazmat vehicle off its lane (the simulator's positions, rules.ts).
 */
import type { Alert, AlertKind } from '$lib/domain/live';
import { recordAudit, toActor, type AuditActor } from '../audit/audit';
import type { Queryable } from '../db/types';
import { ApiError } from '../http/errors';

export type { Alert };

/** SELECT list producing Alert rows from `alert a`. */
export const ALERT_COLUMNS = `a.id, a.kind, (extract(epoch FROM a.ts) * 1000)::float8 AS ts, a.lon, a.lat,
	a.incident_id AS "incidentId", a.site_id AS "siteId", a.vehicle_id AS "vehicleId",
	a.lane_id AS "laneId", a.distance_m AS "distanceM", a.message,
	(extract(epoch FROM a.acked_at) * 1000)::float8 AS "ackedAt", a.acked_by AS "ackedBy"`;

export interface NewAlert {
	kind: AlertKind;
	ts: number;
	lon: number;
	lat: number;
	incidentId?: number | null;
	siteId?: string | null;
	vehicleId?: string | null;
	laneId?: string | null;
	distanceM?: number | null;
	message: string;
}

export async function insertAlerts(q: Queryable, alerts: NewAlert[]): Promise<Alert[]> {
	if (alerts.length === 0) return [];
	const col = <T>(f: (a: NewAlert) => T) => alerts.map(f);
	return q.query<Alert>(
		`WITH ins AS (
		   INSERT INTO alert (kind, ts, lon, lat, incident_id, site_id, vehicle_id, lane_id, distance_m, message)
		   SELECT kind, to_timestamp(ts / 1000.0), lon, lat, incident_id, site_id, vehicle_id, lane_id,
		     distance_m, message
		   FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[], $5::int8[], $6::text[],
		     $7::text[], $8::text[], $9::float8[], $10::text[])
		     AS t(kind, ts, lon, lat, incident_id, site_id, vehicle_id, lane_id, distance_m, message)
		   RETURNING *
		 ) SELECT ${ALERT_COLUMNS} FROM ins a ORDER BY a.id`,
		[
			col((a) => a.kind),
			col((a) => a.ts),
			col((a) => a.lon),
			col((a) => a.lat),
			col((a) => a.incidentId ?? null),
			col((a) => a.siteId ?? null),
			col((a) => a.vehicleId ?? null),
			col((a) => a.laneId ?? null),
			col((a) => a.distanceM ?? null),
			col((a) => a.message)
		]
	);
}

/** Newest first; `open` = not yet acknowledged. */
export async function listAlerts(q: Queryable, open: boolean, limit = 100): Promise<Alert[]> {
	return q.query<Alert>(
		`SELECT ${ALERT_COLUMNS} FROM alert a ${open ? 'WHERE a.acked_at IS NULL' : ''}
		 ORDER BY a.ts DESC, a.id DESC LIMIT $1`,
		[limit]
	);
}

/** How many alerts there are (open: not acknowledged), however many a list shows. */
export async function countAlerts(q: Queryable, open: boolean): Promise<number> {
	const [row] = await q.query<{ n: number }>(
		`SELECT count(*)::int AS n FROM alert a ${open ? 'WHERE a.acked_at IS NULL' : ''}`
	);
	return row.n;
}

/**
 * Acknowledges an open alert (audited: call it inside a transaction); 404 if unknown, 409 if
 * someone acknowledged it already.
 */
export async function ackAlert(
	q: Queryable,
	id: number,
	actor: AuditActor | string,
	at = Date.now()
): Promise<Alert> {
	const who = toActor(actor);
	const [row] = await q.query<Alert>(
		`UPDATE alert AS a SET acked_at = to_timestamp($3 / 1000.0), acked_by = $2
		 WHERE a.id = $1 AND a.acked_at IS NULL RETURNING ${ALERT_COLUMNS}`,
		[id, who.displayName, at]
	);
	if (row) {
		await recordAudit(q, {
			actor: who,
			action: 'alert.ack',
			targetType: 'alert',
			targetId: id,
			before: { ...row, ackedAt: null, ackedBy: null },
			after: row
		});
		return row;
	}
	const [current] = await q.query<Alert>(`SELECT ${ALERT_COLUMNS} FROM alert a WHERE a.id = $1`, [
		id
	]);
	if (!current) throw new ApiError(404, `There is no alert ${id}.`, 'id');
	throw new ApiError(
		409,
		`Alert ${id} was already acknowledged by ${current.ackedBy} at ${new Date(current.ackedAt!).toISOString()}.`,
		'id',
		[],
		{ current }
	);
}
