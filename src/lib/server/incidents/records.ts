/** An incident as the API, the live stream and the snapshot see it (the shared contract). */
import type { IncidentRecord } from '$lib/domain/live';

export type { IncidentRecord };

/** SELECT list producing IncidentRecord rows from `incident i`. */
export const RECORD_COLUMNS = `i.id, ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat,
	(extract(epoch FROM i.ts) * 1000)::float8 AS ts,
	(extract(epoch FROM i.closed_ts) * 1000)::float8 AS "closedTs",
	i.type, i.source, i.status, i.priority::int AS priority,
	i.grid_id AS "gridId", i.community_id AS "communityId", i.street_id AS "streetId",
	i.description, i.rev`;
