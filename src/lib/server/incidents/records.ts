/** An incident as the API, the live stream and the snapshot see it (the shared contract). */
import { DEADLINE_HOURS, INCIDENT_PRIORITIES } from '$lib/domain/incidents';
import type { CaseRecord, IncidentRecord } from '$lib/domain/live';

export type { CaseRecord, IncidentRecord };

/** SELECT list producing IncidentRecord rows from `incident i`. */
export const RECORD_COLUMNS = `i.id, ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat,
	(extract(epoch FROM i.ts) * 1000)::float8 AS ts,
	(extract(epoch FROM i.closed_ts) * 1000)::float8 AS "closedTs",
	i.type, i.source, i.status, i.priority::int AS priority,
	i.grid_id AS "gridId", i.community_id AS "communityId", i.street_id AS "streetId",
	i.description, i.rev`;

/**
 * The deadline of `incident i` as SQL: ts + DEADLINE_HOURS[priority] hours. Computed, not
 * stored, so an escalation moves it without a second write.
 */
export const DEADLINE_SQL = `(i.ts + (ARRAY[${INCIDENT_PRIORITIES.map((p) => DEADLINE_HOURS[p]).join(', ')}])[i.priority] * interval '1 hour')`;

/**
 * SELECT list producing CaseRecord rows from `incident i`: the record plus its case fields.
 * `overdue` is evaluated at read time (the 督办 flag needs no periodic job).
 */
export const CASE_COLUMNS = `${RECORD_COLUMNS}, i.version,
	(extract(epoch FROM ${DEADLINE_SQL}) * 1000)::float8 AS deadline,
	(i.status <> 'closed' AND ${DEADLINE_SQL} < now()) AS overdue,
	(extract(epoch FROM i.supervised_at) * 1000)::float8 AS "supervisedAt",
	i.repeat_group AS "repeatGroup", i.hazmat_site_id AS "hazmatSiteId"`;
