/**
 * Intake: validated incidents are placed in their grid (and so community and street) by PostGIS
 * and stored — all of a request or none of it, in one transaction. The caller publishes the
 * returned records to the live feed only after the commit, so nobody sees an incident that was
 * not kept.
 */
import type { Alert } from '$lib/domain/live';
import { insertAlerts } from '../alerts/alerts';
import { recordAudit, toActor, type AuditActor } from '../audit/audit';
import type { LiveBus } from '../live/bus';
import type { Db, Queryable } from '../db/types';
import { ApiError, type FieldError } from '../http/errors';
import { CASE_COLUMNS, type CaseRecord } from './records';
import type { IncidentInput } from './validate';

interface Placement {
	n: number;
	grid_id: string | null;
	community_id: string | null;
	street_id: string | null;
}

/**
 * The grid that contains each point. A point exactly on a shared border is contained by
 * neither neighbour (ST_Contains excludes the boundary); it goes to the first grid that touches
 * it, in the grids' fixed order, so every point of the jurisdiction has exactly one grid.
 * Community and street come from the grid: the hierarchy stays consistent by construction.
 */
export async function placePoints(
	q: Queryable,
	lons: number[],
	lats: number[]
): Promise<Placement[]> {
	return q.query<Placement>(
		`SELECT t.n::int AS n, g.id AS grid_id, g.community_id, g.street_id
		 FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS t(lon, lat, n)
		 LEFT JOIN LATERAL (
		   SELECT grid.id, grid.community_id, grid.street_id FROM grid
		   WHERE ST_Intersects(grid.geom, ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326))
		   ORDER BY ST_Contains(grid.geom, ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326)) DESC, grid.ord
		   LIMIT 1
		 ) g ON true
		 ORDER BY t.n`,
		[lons, lats]
	);
}

/** Repeat complaints: this many reports of one type within REPEAT_RADIUS_M and REPEAT_DAYS. */
export const REPEAT_MIN_REPORTS = 3;
export const REPEAT_RADIUS_M = 100;
export const REPEAT_DAYS = 7;

interface HazmatHit {
	n: number;
	site_id: string | null;
	site_name: string | null;
	distance_m: number | null;
}

/**
 * The hazmat site whose risk radius contains each point (the highest-risk one, then the nearest),
 * on geography so the radius is in metres. The geometry bounding-box test first (`&&` against a
 * box 0.05° wide: larger than any risk radius) lets the GiST index answer.
 */
async function hazmatHits(q: Queryable, lons: number[], lats: number[]): Promise<HazmatHit[]> {
	return q.query<HazmatHit>(
		`SELECT t.n::int AS n, s.id AS site_id, s.name AS site_name, s.d AS distance_m
		 FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS t(lon, lat, n)
		 LEFT JOIN LATERAL (
		   SELECT h.id, h.name,
		     ST_Distance(h.geom::geography, ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326)::geography) AS d
		   FROM hazmat_site h
		   WHERE h.geom && ST_Expand(ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326), 0.05)
		     AND ST_DWithin(h.geom::geography, ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326)::geography,
		       h.risk_radius_m)
		   ORDER BY h.risk_level, d LIMIT 1
		 ) s ON true
		 ORDER BY t.n`,
		[lons, lats]
	);
}

/**
 * Links repeat complaints: a new incident with at least REPEAT_MIN_REPORTS − 1 earlier (or
 * batch-mate) reports of its type within REPEAT_RADIUS_M and ±REPEAT_DAYS is linked with them
 * under one repeat_group — the group of any grouped report among them (so groups grow by
 * chaining), else the smallest id. Both probes stop at the first hits (LIMIT without ORDER BY),
 * so a thousand reports on one spot cost what three do. Reports already in a group keep it.
 * Returns every incident that changed (their rev moved; the caller publishes the earlier ones).
 */
async function linkRepeats(tx: Queryable, ids: number[]): Promise<CaseRecord[]> {
	// $2 metres as degrees, with a margin: the bounding-box test lets the GiST index answer.
	const match = `o.id <> n.id AND o.type = n.type
		AND o.ts BETWEEN n.ts - $3 * interval '1 day' AND n.ts + $3 * interval '1 day'
		AND o.geom && ST_Expand(n.geom, 1.2 * $2 / (111320 * cos(radians(ST_Y(n.geom)))), 1.2 * $2 / 111320)
		AND ST_DWithin(o.geom::geography, n.geom::geography, $2)`;
	return tx.query<CaseRecord>(
		`WITH n AS (SELECT id, type, ts, geom FROM incident WHERE id = ANY($1::int8[])),
		 c AS (
		   SELECT n.id AS nid, b.ids, coalesce(a.grp, least(n.id, (SELECT min(x) FROM unnest(b.ids) x))) AS grp
		   FROM n
		   CROSS JOIN LATERAL (
		     SELECT array_agg(s.id) AS ids FROM (SELECT o.id FROM incident o WHERE ${match} LIMIT $4 - 1) s
		   ) b
		   LEFT JOIN LATERAL (
		     SELECT o.repeat_group AS grp FROM incident o
		     WHERE ${match} AND o.repeat_group IS NOT NULL LIMIT 1
		   ) a ON true
		   WHERE coalesce(cardinality(b.ids), 0) + 1 >= $4
		 ),
		 target AS (
		   SELECT DISTINCT ON (oid) oid, grp FROM (
		     SELECT nid AS oid, grp FROM c
		     UNION ALL SELECT x AS oid, c.grp FROM c, unnest(c.ids) AS x
		   ) t ORDER BY oid, grp
		 ),
		 upd AS (
		   UPDATE incident AS i SET repeat_group = target.grp FROM target
		   WHERE i.id = target.oid AND i.repeat_group IS NULL
		   RETURNING i.*
		 )
		 SELECT ${CASE_COLUMNS} FROM upd i ORDER BY i.id`,
		[ids, REPEAT_RADIUS_M, REPEAT_DAYS, REPEAT_MIN_REPORTS]
	);
}

export interface IntakeResult {
	/** The new incidents, in the order sent (with their escalation and repeat link). */
	records: CaseRecord[];
	/** Earlier incidents newly linked as repeats of these (changed: publish as status). */
	linked: CaseRecord[];
	/** Alerts raised (hazmat risk radius). */
	alerts: Alert[];
}

/** After the commit: new incidents, then the earlier ones the rules changed, then alerts. */
export function publishIntake(bus: LiveBus, result: IntakeResult): void {
	if (result.records.length)
		bus.publish({ type: 'incidents', change: 'new', incidents: result.records });
	if (result.linked.length)
		bus.publish({ type: 'incidents', change: 'status', incidents: result.linked });
	if (result.alerts.length) bus.publish({ type: 'alerts', change: 'new', alerts: result.alerts });
}

/** Intake, returning the stored records only (callers that need no rule results). */
export async function intakeIncidents(
	db: Db,
	incidents: IncidentInput[],
	batch: boolean,
	actor: AuditActor | string
): Promise<CaseRecord[]> {
	return (await intake(db, incidents, batch, actor)).records;
}

/**
 * Validated incidents → placed, escalated (hazmat risk radius → priority 1 + alert), stored and
 * linked as repeats, all in one transaction — with one audit entry for the request (its ids).
 */
export async function intake(
	db: Db,
	incidents: IncidentInput[],
	batch: boolean,
	actor: AuditActor | string
): Promise<IntakeResult> {
	if (incidents.length === 0) return { records: [], linked: [], alerts: [] };
	return db.transaction(async (tx) => {
		const lons = incidents.map((i) => i.lon);
		const lats = incidents.map((i) => i.lat);
		const placed = await placePoints(tx, lons, lats);
		const outside: FieldError[] = [];
		placed.forEach((p, i) => {
			if (p.grid_id) return;
			const field = batch ? `[${i}].lon` : 'lon';
			const at = `${incidents[i].lon.toFixed(6)}, ${incidents[i].lat.toFixed(6)}`;
			outside.push({
				field,
				message: `${field}: the point (${at}, WGS84) lies outside the jurisdiction — no grid contains it. Check lon/lat order and the coordinate system (crs).`
			});
		});
		if (outside.length)
			throw new ApiError(422, outside[0].message, outside[0].field, outside.slice(0, 20));

		const hazmat = await hazmatHits(tx, lons, lats);

		// Ids are taken up front, in input order, so the answer lists them in the order sent.
		const ids = await tx.query<{ id: number }>(
			`SELECT nextval(pg_get_serial_sequence('incident', 'id')) AS id FROM generate_series(1, $1::int)`,
			[incidents.length]
		);
		const newIds = ids.map((r) => r.id).sort((a, b) => a - b);
		// Inside a hazmat site's risk radius: escalated to 特急 at once (stored so, not updated).
		const priorities = incidents.map((i, k) => (hazmat[k].site_id ? 1 : i.priority));
		await tx.query(
			`INSERT INTO incident (id, ts, type, source, status, priority, grid_id, community_id,
			   street_id, description, reported_crs, geom, hazmat_site_id)
			 SELECT id, to_timestamp(ts / 1000.0), type, source, 'reported', priority, grid_id,
			   community_id, street_id, description, crs, ST_SetSRID(ST_MakePoint(lon, lat), 4326), site
			 FROM unnest($1::int8[], $2::float8[], $3::float8[], $4::float8[], $5::text[],
			   $6::text[], $7::int2[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
			   $13::text[])
			 AS t(id, lon, lat, ts, type, source, priority, description, crs, grid_id, community_id,
			   street_id, site)`,
			[
				newIds,
				lons,
				lats,
				incidents.map((i) => i.ts),
				incidents.map((i) => i.type),
				incidents.map((i) => i.source),
				priorities,
				incidents.map((i) => i.description),
				incidents.map((i) => i.crs),
				placed.map((p) => p.grid_id),
				placed.map((p) => p.community_id),
				placed.map((p) => p.street_id),
				hazmat.map((h) => h.site_id)
			]
		);
		const fresh = new Set(newIds);
		const linked = (await linkRepeats(tx, newIds)).filter((r) => !fresh.has(r.id));
		const records = await tx.query<CaseRecord>(
			`SELECT ${CASE_COLUMNS} FROM incident i WHERE i.id = ANY($1::int8[]) ORDER BY i.id`,
			[newIds]
		);
		const alerts = await insertAlerts(
			tx,
			records.flatMap((r, k) => {
				const h = hazmat[k];
				if (!h.site_id) return [];
				return [
					{
						kind: 'hazmat_radius' as const,
						ts: r.ts,
						lon: r.lon,
						lat: r.lat,
						incidentId: r.id,
						siteId: h.site_id,
						distanceM: h.distance_m,
						message: `Incident ${r.id} (${r.type}) lies ${Math.round(h.distance_m ?? 0)} m from hazmat site ${h.site_name} (${h.site_id}), inside its risk radius: escalated to priority 1.`
					}
				];
			})
		);
		await recordAudit(tx, {
			actor: toActor(actor),
			action: 'incident.intake',
			targetType: 'incident',
			targetId: records.length === 1 ? records[0].id : null,
			after: {
				count: records.length,
				ids: records.map((r) => r.id),
				linked: linked.map((r) => r.id),
				alerts: alerts.map((a) => a.id)
			}
		});
		return { records, linked, alerts };
	});
}
