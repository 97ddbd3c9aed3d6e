/**
 * The demo city is a city pack like any other (docs/city-pack.md): the generator's folder holds a
 * `city.json` naming its files with field mappings, and start-up loads it through the same
 * read → check → import path as a real city's pack. This module is the one place that says how
 * the generator's files map onto the pack format; the server tests' fixture city uses it too.
 */
import type { FeatureCollection, LineString } from 'geojson';
import { CITY_FILES, type Manifest, type Patrols } from '../../src/lib/domain/city.ts';
import {
	PACK_FORMAT,
	PACK_MANIFEST,
	type CityPackManifest
} from '../../src/lib/domain/cityPack.ts';

/** Pack files the generator writes besides the data contract's (CITY_FILES). */
export const DEMO_PACK_FILES = {
	manifest: PACK_MANIFEST,
	patrolRoutes: 'patrol-routes.geojson',
	patrolUnits: 'patrol-units.json'
} as const;

/** GB/T 2260 code of 滨海新区, whose real coastline and 街镇 names the demo city uses. */
export const DEMO_CITY_CODE = '120116';

/** city.json of a generated city (the manifest as a person would write it: input form). */
export function demoPackManifest(
	manifest: Manifest,
	opts: { basemap?: boolean } = {}
): CityPackManifest {
	return {
		$schema: './city-pack.schema.json',
		format: PACK_FORMAT,
		city: {
			name: { zh: '天津市滨海新区（演示）', en: 'Binhai New Area, Tianjin (demo)' },
			title: { zh: '滨海新区社会治理指挥中心（演示）', en: 'Binhai Governance Command (demo)' },
			code: DEMO_CITY_CODE,
			synthetic: true
		},
		version: `demo-${manifest.seed ?? 0}-${manifest.endDate}`,
		crs: 'EPSG:4326',
		toleranceM: 1,
		levels: [
			{
				level: 'street',
				name: { zh: '街道/镇', en: 'Subdistrict/town' },
				file: CITY_FILES.streets,
				crs: 'auto',
				derive: false,
				copyParent: false,
				fields: {
					id: 'id',
					name: 'name',
					kind: 'kind',
					population: 'population',
					households: 'households'
				}
			},
			{
				level: 'community',
				name: { zh: '社区/村', en: 'Community/village' },
				file: CITY_FILES.communities,
				crs: 'auto',
				derive: false,
				copyParent: false,
				fields: {
					id: 'id',
					name: 'name',
					parent: 'streetId',
					kind: 'kind',
					population: 'population',
					households: 'households'
				}
			},
			{
				level: 'grid',
				name: { zh: '网格', en: 'Grid' },
				file: CITY_FILES.grids,
				crs: 'auto',
				derive: false,
				copyParent: false,
				fields: {
					id: 'id',
					name: 'name',
					parent: 'communityId',
					population: 'population',
					households: 'households',
					workerName: 'workerName',
					workerPhone: 'workerPhone'
				}
			}
		],
		registers: {
			hazmatSites: {
				file: CITY_FILES.hazmatSites,
				crs: 'auto',
				fields: {
					id: 'id',
					name: 'name',
					zone: 'zone',
					hazardClass: 'hazardClass',
					riskLevel: 'riskLevel',
					substances: 'substances',
					quantityTonnes: 'quantityTonnes',
					responsibleName: 'responsibleName',
					responsiblePhone: 'responsiblePhone',
					riskRadiusM: 'riskRadiusM'
				}
			},
			hazmatLanes: {
				file: CITY_FILES.hazmatLanes,
				crs: 'auto',
				fields: { id: 'id', name: 'name', siteIds: 'siteIds' }
			},
			patrolRoutes: {
				file: DEMO_PACK_FILES.patrolRoutes,
				crs: 'auto',
				fields: { id: 'id', name: 'name', mode: 'mode' }
			},
			patrolUnits: {
				file: DEMO_PACK_FILES.patrolUnits,
				crs: 'auto',
				fields: {
					id: 'id',
					callsign: 'callsign',
					mode: 'mode',
					routeId: 'routeId',
					status: 'status',
					track: 'track'
				}
			}
		},
		incidents: { file: CITY_FILES.incidents, endDate: manifest.endDate },
		basemap:
			opts.basemap === false
				? undefined
				: {
						kind: 'onemap',
						land: CITY_FILES.land,
						sea: CITY_FILES.sea,
						water: CITY_FILES.water,
						roads: CITY_FILES.roads
					},
		attribution: manifest.attribution
	};
}

/** Patrol routes as a line GeoJSON (one feature per line, like the generator's other files). */
export function patrolRoutesGeojson(patrols: Patrols): FeatureCollection<LineString> {
	return {
		type: 'FeatureCollection',
		features: patrols.routes.map((r) => ({
			type: 'Feature',
			properties: { id: r.id, name: r.name, mode: r.mode },
			geometry: { type: 'LineString', coordinates: r.path }
		}))
	};
}

/** Patrol units as a table (a JSON array of rows); `track` holds the 24 h track as JSON text. */
export function patrolUnitsRows(patrols: Patrols): Record<string, string>[] {
	return patrols.units.map((u) => ({
		id: u.id,
		callsign: u.callsign,
		mode: u.mode,
		routeId: u.routeId,
		status: u.status,
		track: JSON.stringify(u.track)
	}));
}

/** Every file a generated folder holds (besides the ownership marker), in write order. */
export const DEMO_FILES: readonly string[] = [
	CITY_FILES.land,
	CITY_FILES.sea,
	CITY_FILES.water,
	CITY_FILES.roads,
	CITY_FILES.streets,
	CITY_FILES.communities,
	CITY_FILES.grids,
	CITY_FILES.hazmatSites,
	CITY_FILES.hazmatLanes,
	DEMO_PACK_FILES.patrolRoutes,
	DEMO_PACK_FILES.patrolUnits,
	CITY_FILES.incidents,
	CITY_FILES.manifest,
	DEMO_PACK_FILES.manifest
];

/** The generator's patrols back from the two pack files (for tests of what was written). */
export function readPatrols(
	routes: FeatureCollection<LineString, { id: string; name: string; mode: string }>,
	units: Record<string, string>[]
): Patrols {
	return {
		routes: routes.features.map((f) => ({
			id: f.properties.id,
			name: f.properties.name,
			mode: f.properties.mode as Patrols['routes'][number]['mode'],
			path: f.geometry.coordinates as [number, number][]
		})),
		units: units.map((u) => ({
			id: u.id,
			callsign: u.callsign,
			mode: u.mode as Patrols['units'][number]['mode'],
			routeId: u.routeId,
			status: u.status as Patrols['units'][number]['status'],
			track: JSON.parse(u.track)
		}))
	};
}
