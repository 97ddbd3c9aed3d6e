/**
 * Loads a whole city into an empty database in one transaction: a crash half-way leaves the
 * database empty, and the next start loads it again. The per-table writers (insertStreets …)
 * are also what a city pack's update (citypack/update.ts) appends new rows with.
 */
import type { Feature } from 'geojson';
import { bulkInsert, input } from '../db/bulk';
import type { Queryable } from '../db/types';
import type { CityData } from './cityData';

const GEOM = 'ST_SetSRID(ST_GeomFromGeoJSON(geom), 4326)';
/** Districts, streets and communities are stored as MultiPolygons (islands, enclaves). */
const MULTI = `ST_Multi(${GEOM})`;
/** unnest() flattens 2-D arrays, so a per-row list travels as JSON text. */
const TEXT_LIST = (name: string) => `ARRAY(SELECT jsonb_array_elements_text(${name}::jsonb))`;

const ords = (n: number, first = 0) => Array.from({ length: n }, (_, i) => first + i);

/** `props(features)(p => p.x)`: one property of every feature, in feature order. */
function props<P>(features: { properties: P }[]) {
	return <T>(pick: (p: P) => T) => features.map((f) => pick(f.properties));
}
const geoms = (features: Feature[]) => features.map((f) => JSON.stringify(f.geometry));

export async function loadCity(tx: Queryable, city: CityData): Promise<void> {
	await insertDistricts(tx, city.districts?.features ?? []);
	await insertStreets(tx, city.streets.features);
	await insertCommunities(tx, city.communities.features);
	await insertGrids(tx, city.grids.features);
	await insertSites(tx, city.hazmatSites.features);
	await insertLanes(tx, city.hazmatLanes.features);
	await insertRoutes(tx, city.patrols.routes);
	await insertPatrolUnits(tx, city.patrols.units);
	await loadIncidents(tx, city.incidents);

	await tx.query(
		`INSERT INTO meta (key, value) VALUES ('manifest', $1::jsonb)
		 ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
		[JSON.stringify(city.manifest)]
	);
	await bumpCityVersion(tx);
}

/** Rows of `district`, `ord` from `first`. */
export async function insertDistricts(
	tx: Queryable,
	districts: NonNullable<CityData['districts']>['features'],
	first = 0
): Promise<void> {
	const dp = props(districts);
	await bulkInsert(
		tx,
		'district',
		{
			id: input(
				'text',
				dp((p) => p.id)
			),
			ord: input('int4', ords(districts.length, first)),
			name: input(
				'text',
				dp((p) => p.name)
			),
			kind: input(
				'text',
				dp((p) => p.kind)
			),
			population: input(
				'int4',
				dp((p) => p.population)
			),
			households: input(
				'int4',
				dp((p) => p.households)
			),
			area_km2: input(
				'float8',
				dp((p) => p.areaKm2)
			),
			label_lon: input(
				'float8',
				dp((p) => p.labelLon)
			),
			label_lat: input(
				'float8',
				dp((p) => p.labelLat)
			),
			geom: input('text', geoms(districts))
		},
		{ geom: MULTI }
	);
}

/** Rows of `street`, `ord` from `first`. */
export async function insertStreets(
	tx: Queryable,
	streets: CityData['streets']['features'],
	first = 0
): Promise<void> {
	const sp = props(streets);
	await bulkInsert(
		tx,
		'street',
		{
			id: input(
				'text',
				sp((p) => p.id)
			),
			ord: input('int4', ords(streets.length, first)),
			name: input(
				'text',
				sp((p) => p.name)
			),
			kind: input(
				'text',
				sp((p) => p.kind)
			),
			population: input(
				'int4',
				sp((p) => p.population)
			),
			households: input(
				'int4',
				sp((p) => p.households)
			),
			area_km2: input(
				'float8',
				sp((p) => p.areaKm2)
			),
			label_lon: input(
				'float8',
				sp((p) => p.labelLon)
			),
			label_lat: input(
				'float8',
				sp((p) => p.labelLat)
			),
			district_id: input(
				'text',
				sp((p) => p.districtId ?? null)
			),
			geom: input('text', geoms(streets))
		},
		{ geom: MULTI }
	);
}

/** Rows of `community`, `ord` from `first`. */
export async function insertCommunities(
	tx: Queryable,
	communities: CityData['communities']['features'],
	first = 0
): Promise<void> {
	const cp = props(communities);
	await bulkInsert(
		tx,
		'community',
		{
			id: input(
				'text',
				cp((p) => p.id)
			),
			ord: input('int4', ords(communities.length, first)),
			name: input(
				'text',
				cp((p) => p.name)
			),
			kind: input(
				'text',
				cp((p) => p.kind)
			),
			street_id: input(
				'text',
				cp((p) => p.streetId)
			),
			population: input(
				'int4',
				cp((p) => p.population)
			),
			households: input(
				'int4',
				cp((p) => p.households)
			),
			area_km2: input(
				'float8',
				cp((p) => p.areaKm2)
			),
			label_lon: input(
				'float8',
				cp((p) => p.labelLon)
			),
			label_lat: input(
				'float8',
				cp((p) => p.labelLat)
			),
			geom: input('text', geoms(communities))
		},
		{ geom: MULTI }
	);
}

/** Rows of `grid`, `ord` from `first`. */
export async function insertGrids(
	tx: Queryable,
	grids: CityData['grids']['features'],
	first = 0
): Promise<void> {
	const gp = props(grids);
	await bulkInsert(
		tx,
		'grid',
		{
			id: input(
				'text',
				gp((p) => p.id)
			),
			ord: input('int4', ords(grids.length, first)),
			name: input(
				'text',
				gp((p) => p.name)
			),
			community_id: input(
				'text',
				gp((p) => p.communityId)
			),
			street_id: input(
				'text',
				gp((p) => p.streetId)
			),
			population: input(
				'int4',
				gp((p) => p.population)
			),
			households: input(
				'int4',
				gp((p) => p.households)
			),
			area_km2: input(
				'float8',
				gp((p) => p.areaKm2)
			),
			worker_name: input(
				'text',
				gp((p) => p.workerName)
			),
			worker_phone: input(
				'text',
				gp((p) => p.workerPhone)
			),
			geom: input('text', geoms(grids))
		},
		{ geom: GEOM }
	);
}

/** Rows of `hazmat_site`, `ord` from `first`. */
export async function insertSites(
	tx: Queryable,
	sites: CityData['hazmatSites']['features'],
	first = 0
): Promise<void> {
	const hp = props(sites);
	await bulkInsert(
		tx,
		'hazmat_site',
		{
			id: input(
				'text',
				hp((p) => p.id)
			),
			ord: input('int4', ords(sites.length, first)),
			name: input(
				'text',
				hp((p) => p.name)
			),
			zone: input(
				'text',
				hp((p) => p.zone)
			),
			hazard_class: input(
				'int2',
				hp((p) => p.hazardClass)
			),
			risk_level: input(
				'int2',
				hp((p) => p.riskLevel)
			),
			substances: input(
				'text',
				hp((p) => JSON.stringify(p.substances))
			),
			quantity_tonnes: input(
				'float8',
				hp((p) => p.quantityTonnes)
			),
			responsible_name: input(
				'text',
				hp((p) => p.responsibleName)
			),
			responsible_phone: input(
				'text',
				hp((p) => p.responsiblePhone)
			),
			risk_radius_m: input(
				'float8',
				hp((p) => p.riskRadiusM)
			),
			grid_id: input(
				'text',
				hp((p) => p.gridId)
			),
			geom: input('text', geoms(sites))
		},
		{ geom: GEOM, substances: TEXT_LIST('substances') }
	);
}

/** Rows of `hazmat_lane`, `ord` from `first`. */
export async function insertLanes(
	tx: Queryable,
	lanes: CityData['hazmatLanes']['features'],
	first = 0
): Promise<void> {
	const lp = props(lanes);
	await bulkInsert(
		tx,
		'hazmat_lane',
		{
			id: input(
				'text',
				lp((p) => p.id)
			),
			ord: input('int4', ords(lanes.length, first)),
			name: input(
				'text',
				lp((p) => p.name)
			),
			site_ids: input(
				'text',
				lp((p) => JSON.stringify(p.siteIds))
			),
			geom: input('text', geoms(lanes))
		},
		{ geom: GEOM, site_ids: TEXT_LIST('site_ids') }
	);
}

/** Rows of `patrol_route`, `ord` from `first`. */
export async function insertRoutes(
	tx: Queryable,
	routes: CityData['patrols']['routes'],
	first = 0
): Promise<void> {
	await bulkInsert(
		tx,
		'patrol_route',
		{
			id: input(
				'text',
				routes.map((r) => r.id)
			),
			ord: input('int4', ords(routes.length, first)),
			name: input(
				'text',
				routes.map((r) => r.name)
			),
			mode: input(
				'text',
				routes.map((r) => r.mode)
			),
			geom: input(
				'text',
				routes.map((r) => JSON.stringify({ type: 'LineString', coordinates: r.path }))
			)
		},
		{ geom: GEOM }
	);
}

/** Rows of `patrol_unit`, `ord` from `first`. */
export async function insertPatrolUnits(
	tx: Queryable,
	units: CityData['patrols']['units'],
	first = 0
): Promise<void> {
	await bulkInsert(
		tx,
		'patrol_unit',
		{
			id: input(
				'text',
				units.map((u) => u.id)
			),
			ord: input('int4', ords(units.length, first)),
			callsign: input(
				'text',
				units.map((u) => u.callsign)
			),
			mode: input(
				'text',
				units.map((u) => u.mode)
			),
			route_id: input(
				'text',
				units.map((u) => u.routeId)
			),
			status: input(
				'text',
				units.map((u) => u.status)
			),
			track: input(
				'text',
				units.map((u) => JSON.stringify(u.track))
			)
		},
		{ track: 'track::jsonb' }
	);
}

/** The city's units, sites and routes changed: cached files built from them are stale. */
export async function bumpCityVersion(tx: Queryable): Promise<void> {
	await tx.query(
		`UPDATE meta SET value = to_jsonb((value #>> '{}')::bigint + 1) WHERE key = 'city_version'`
	);
}

/**
 * 200k+ incidents at first start must not take minutes. Two things dominate: the per-row
 * foreign-key triggers and index maintenance. So, inside the load's transaction, the secondary
 * indexes are dropped and rebuilt afterwards from their own definitions, and — where the role
 * may (PGlite always; PostgreSQL as superuser) — FK triggers are skipped and the references are
 * checked once, set-based, instead. Measured on PGlite, 200k rows: 12.7 s → ~3 s.
 */
export async function loadIncidents(tx: Queryable, inc: CityData['incidents']): Promise<void> {
	const list = <T>(a: ArrayLike<T>): T[] => Array.from(a);
	const [{ superuser }] = await tx.query<{ superuser: boolean }>(
		`SELECT current_setting('is_superuser') = 'on' AS superuser`
	);
	if (superuser) await tx.exec('SET LOCAL session_replication_role = replica');
	const indexes = await tx.query<{ name: string; def: string }>(
		`SELECT indexname AS name, indexdef AS def FROM pg_indexes
		 WHERE schemaname = current_schema() AND tablename = 'incident'
		   AND indexname NOT IN (SELECT conname FROM pg_constraint)`
	);
	for (const ix of indexes) await tx.exec(`DROP INDEX ${ix.name}`);
	await bulkInsert(
		tx,
		'incident',
		{
			id: input('int8', list(inc.id)),
			lon: input('float8', list(inc.lon)),
			lat: input('float8', list(inc.lat)),
			ts: input('float8', list(inc.ts)),
			closed_ts: input(
				'float8',
				Array.from(inc.closedTs, (v) => (Number.isNaN(v) ? null : v))
			),
			type: input('text', list(inc.type)),
			source: input('text', list(inc.source)),
			status: input('text', list(inc.status)),
			priority: input('int2', list(inc.priority)),
			grid_id: input('text', list(inc.gridId)),
			community_id: input('text', list(inc.communityId)),
			street_id: input('text', list(inc.streetId))
		},
		{
			lon: null,
			lat: null,
			ts: 'to_timestamp(ts / 1000.0)',
			closed_ts: 'to_timestamp(closed_ts / 1000.0)',
			geom: 'ST_SetSRID(ST_MakePoint(lon, lat), 4326)'
		}
	);
	for (const ix of indexes) await tx.exec(ix.def);
	if (superuser) {
		await tx.exec('SET LOCAL session_replication_role = DEFAULT');
		const [bad] = await tx.query<{ n: number }>(
			`SELECT count(*)::int AS n FROM incident i
			 LEFT JOIN grid g ON g.id = i.grid_id
			 LEFT JOIN community c ON c.id = i.community_id
			 LEFT JOIN street s ON s.id = i.street_id
			 WHERE g.id IS NULL OR c.id IS NULL OR s.id IS NULL`
		);
		if (bad.n > 0) throw new Error(`${bad.n} incidents refer to unknown grids/communities/streets`);
	}
	// Ids came with the data: new incidents continue after the largest.
	await tx.query(
		`SELECT setval(pg_get_serial_sequence('incident', 'id'), coalesce(max(id), 0) + 1, false) FROM incident`
	);
}
