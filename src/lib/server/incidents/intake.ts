/**
 * Intake: validated incidents are placed in their grid (and so community and street) by PostGIS
 * and stored — all of a request or none of it, in one transaction. The caller publishes the
 * returned records to the live feed only after the commit, so nobody sees an incident that was
 * not kept.
 */
import type { Db, Queryable } from '../db/types';
import { ApiError, type FieldError } from '../http/errors';
import { RECORD_COLUMNS, type IncidentRecord } from './records';
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

export async function intakeIncidents(
	db: Db,
	incidents: IncidentInput[],
	batch: boolean
): Promise<IncidentRecord[]> {
	if (incidents.length === 0) return [];
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

		// Ids are taken up front, in input order, so the answer lists them in the order sent.
		const ids = await tx.query<{ id: number }>(
			`SELECT nextval(pg_get_serial_sequence('incident', 'id')) AS id FROM generate_series(1, $1::int)`,
			[incidents.length]
		);
		const inserted = await tx.query<IncidentRecord>(
			`WITH t AS (
			   SELECT * FROM unnest($1::int8[], $2::float8[], $3::float8[], $4::float8[], $5::text[],
			     $6::text[], $7::int2[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
			   AS t(id, lon, lat, ts, type, source, priority, description, crs, grid_id, community_id, street_id)
			 ), ins AS (
			   INSERT INTO incident (id, ts, type, source, status, priority, grid_id, community_id,
			     street_id, description, reported_crs, geom)
			   SELECT id, to_timestamp(ts / 1000.0), type, source, 'reported', priority, grid_id,
			     community_id, street_id, description, crs, ST_SetSRID(ST_MakePoint(lon, lat), 4326)
			   FROM t
			   RETURNING *
			 )
			 SELECT ${RECORD_COLUMNS} FROM ins i ORDER BY i.id`,
			[
				ids.map((r) => r.id).sort((a, b) => a - b),
				lons,
				lats,
				incidents.map((i) => i.ts),
				incidents.map((i) => i.type),
				incidents.map((i) => i.source),
				incidents.map((i) => i.priority),
				incidents.map((i) => i.description),
				incidents.map((i) => i.crs),
				placed.map((p) => p.grid_id),
				placed.map((p) => p.community_id),
				placed.map((p) => p.street_id)
			]
		);
		return inserted;
	});
}
