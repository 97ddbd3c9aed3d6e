/**
 * The city files the browser loads, built from the database — so the grid/community/street
 * order of /data/grids.geojson etc. is exactly the dictionary order of the incident snapshot,
 * whatever the data folder holds now. Same shapes and property names as the generator writes
 * (src/lib/domain/city.ts). Built once per city version and kept in memory.
 */
import { CITY_FILES } from '$lib/domain/city';
import type { Queryable } from '../db/types';
import { readCityIdentity } from './identity';

type Row = Record<string, unknown> & { geojson: string };

/** Files whose content lives in the database (all but the incident snapshot, built elsewhere). */
export const DB_FILES = new Set<string>([
	CITY_FILES.manifest,
	CITY_FILES.districts,
	CITY_FILES.land,
	CITY_FILES.sea,
	CITY_FILES.water,
	CITY_FILES.roads,
	CITY_FILES.streets,
	CITY_FILES.communities,
	CITY_FILES.grids,
	CITY_FILES.hazmatSites,
	CITY_FILES.hazmatLanes,
	CITY_FILES.patrols
]);

/** GeoJSON text, one feature per line like the generator's files; geometry spliced in as is. */
function featureCollection(rows: Row[], props: (r: Row) => Record<string, unknown>): string {
	const lines = rows.map(
		(r) => `{"type":"Feature","properties":${JSON.stringify(props(r))},"geometry":${r.geojson}}`
	);
	return '{"type":"FeatureCollection","features":[\n' + lines.join(',\n') + '\n]}\n';
}

const GEOM = 'ST_AsGeoJSON(geom) AS geojson';
/** Streets and communities are stored as MultiPolygons; one-piece units are served as the
 * Polygon they are (the browser and the planner expect a community outline to be one). */
const UNIT_GEOM = `ST_AsGeoJSON(CASE WHEN ST_NumGeometries(geom) = 1 THEN ST_GeometryN(geom, 1) ELSE geom END) AS geojson`;
const EMPTY = '{"type":"FeatureCollection","features":[]}\n';
const BASEMAP = new Set<string>([
	CITY_FILES.land,
	CITY_FILES.sea,
	CITY_FILES.water,
	CITY_FILES.roads
]);

async function build(db: Queryable, name: string): Promise<string | null> {
	switch (name) {
		case CITY_FILES.manifest: {
			const [row] = await db.query<{ value: Record<string, unknown> }>(
				`SELECT value FROM meta WHERE key = 'manifest'`
			);
			if (!row) return null;
			// The city's identity (names, levels, view, basemap) rides along for the browser.
			const city = await readCityIdentity(db);
			return JSON.stringify({ ...row.value, city }, null, '\t') + '\n';
		}
		case CITY_FILES.districts:
			return featureCollection(
				await db.query<Row>(`SELECT *, ${GEOM} FROM district ORDER BY ord`),
				(r) => ({
					id: r.id,
					name: r.name,
					kind: r.kind,
					population: r.population,
					households: r.households,
					areaKm2: r.area_km2,
					labelLon: r.label_lon,
					labelLat: r.label_lat
				})
			);
		case CITY_FILES.streets:
			return featureCollection(
				await db.query<Row>(`SELECT *, ${UNIT_GEOM} FROM street ORDER BY ord`),
				(r) => ({
					// The 区/县 it belongs to, where the city has that level.
					...(r.district_id ? { districtId: r.district_id } : {}),
					id: r.id,
					name: r.name,
					kind: r.kind,
					population: r.population,
					households: r.households,
					areaKm2: r.area_km2,
					labelLon: r.label_lon,
					labelLat: r.label_lat
				})
			);
		case CITY_FILES.communities:
			return featureCollection(
				await db.query<Row>(`SELECT *, ${UNIT_GEOM} FROM community ORDER BY ord`),
				(r) => ({
					id: r.id,
					name: r.name,
					kind: r.kind,
					streetId: r.street_id,
					population: r.population,
					households: r.households,
					areaKm2: r.area_km2,
					labelLon: r.label_lon,
					labelLat: r.label_lat
				})
			);
		case CITY_FILES.grids:
			return featureCollection(
				await db.query<Row>(`SELECT *, ${GEOM} FROM grid ORDER BY ord`),
				(r) => ({
					id: r.id,
					name: r.name,
					communityId: r.community_id,
					streetId: r.street_id,
					population: r.population,
					households: r.households,
					areaKm2: r.area_km2,
					workerName: r.worker_name,
					workerPhone: r.worker_phone
				})
			);
		case CITY_FILES.hazmatSites:
			return featureCollection(
				await db.query<Row>(`SELECT *, ${GEOM} FROM hazmat_site ORDER BY ord`),
				(r) => ({
					id: r.id,
					name: r.name,
					zone: r.zone,
					hazardClass: r.hazard_class,
					riskLevel: r.risk_level,
					substances: r.substances,
					quantityTonnes: r.quantity_tonnes,
					responsibleName: r.responsible_name,
					responsiblePhone: r.responsible_phone,
					riskRadiusM: r.risk_radius_m,
					gridId: r.grid_id
				})
			);
		case CITY_FILES.hazmatLanes:
			return featureCollection(
				await db.query<Row>(`SELECT *, ${GEOM} FROM hazmat_lane ORDER BY ord`),
				(r) => ({ id: r.id, name: r.name, siteIds: r.site_ids })
			);
		case CITY_FILES.patrols: {
			const routes = await db.query<{ id: string; name: string; mode: string; path: string }>(
				`SELECT id, name, mode, ST_AsGeoJSON(geom)::json -> 'coordinates' AS path FROM patrol_route ORDER BY ord`
			);
			const units = await db.query<Record<string, unknown>>(
				`SELECT id, callsign, mode, route_id AS "routeId", status,
				        json_build_object('lon', track -> 'lon', 'lat', track -> 'lat', 't', track -> 't') AS track
				 FROM patrol_unit WHERE track IS NOT NULL ORDER BY ord`
			);
			return JSON.stringify({ routes, units }) + '\n';
		}
		default: {
			if (!BASEMAP.has(name)) return null;
			// The pack's own basemap layers (basemap.kind onemap); a city without one has none.
			const [row] = await db.query<{ bytes: Uint8Array }>(
				'SELECT bytes FROM city_asset WHERE name = $1',
				[name]
			);
			return row ? Buffer.from(row.bytes).toString('utf8') : EMPTY;
		}
	}
}

/** The FeatureCollection text with the given properties removed from every feature. */
export function withoutProperties(geojson: string, omit: readonly string[]): string {
	const fc = JSON.parse(geojson) as { features: { properties: Record<string, unknown> }[] };
	const lines = fc.features.map((f) => {
		for (const k of omit) delete f.properties[k];
		return JSON.stringify(f);
	});
	return '{"type":"FeatureCollection","features":[\n' + lines.join(',\n') + '\n]}\n';
}

export interface CityFile {
	body: string;
	etag: string;
}

export class CityFileCache {
	private version = '';
	private files = new Map<string, Promise<CityFile | null>>();

	/**
	 * The file as of the city version (`instance-cityVersion`); null if the city has none.
	 * `omit`: feature properties left out (personal data for the wall), a separate variant with
	 * its own ETag.
	 */
	async get(db: Queryable, name: string, omit: readonly string[] = []): Promise<CityFile | null> {
		const [row] = await db.query<{ v: string }>(
			`SELECT left((SELECT value #>> '{}' FROM meta WHERE key = 'instance'), 12) || '-' ||
			        (SELECT value #>> '{}' FROM meta WHERE key = 'city_version') AS v`
		);
		if (row.v !== this.version) {
			this.version = row.v;
			this.files.clear();
		}
		const version = this.version;
		const key = omit.length ? `${name}|${omit.join(',')}` : name;
		let file = this.files.get(key);
		if (!file) {
			file = (omit.length ? this.get(db, name) : build(db, name)).then((built) => {
				if (built === null) return null;
				const body = typeof built === 'string' ? built : withoutProperties(built.body, omit);
				return { body, etag: omit.length ? `"city-${version}-masked"` : `"city-${version}"` };
			});
			file.catch(() => this.files.delete(key));
			this.files.set(key, file);
		}
		return file;
	}
}
