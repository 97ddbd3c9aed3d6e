/** An incident as the API, the live stream and the snapshot see it. */
import type { IncidentSource, IncidentStatus, IncidentType } from '$lib/domain/incidents';

export interface IncidentRecord {
	id: number;
	/** WGS84. */
	lon: number;
	lat: number;
	/** Epoch milliseconds of the report. */
	ts: number;
	/** Epoch milliseconds of closure; null while open. */
	closedTs: number | null;
	type: IncidentType;
	source: IncidentSource;
	status: IncidentStatus;
	priority: number;
	gridId: string;
	communityId: string;
	streetId: string;
	description: string | null;
	/** Change counter: larger = later change (see migrations/002_incidents.sql). */
	rev: number;
}

/** SELECT list producing IncidentRecord rows from `incident i`. */
export const RECORD_COLUMNS = `i.id, ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat,
	(extract(epoch FROM i.ts) * 1000)::float8 AS ts,
	(extract(epoch FROM i.closed_ts) * 1000)::float8 AS "closedTs",
	i.type, i.source, i.status, i.priority::int AS priority,
	i.grid_id AS "gridId", i.community_id AS "communityId", i.street_id AS "streetId",
	i.description, i.rev`;
