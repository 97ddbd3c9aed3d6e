/**
 * A tiny hand-made city for the server tests: 2 streets, 3 communities, 4 grids, 2 hazmat sites,
 * 1 lane, 2 patrol routes and units, 12 incidents — on the Binhai coast, all rectangles, so
 * every expected answer can be worked out by hand.
 *
 *   39.02 ┌──────────── A ───────────┬───── B1 ─────┬───── B2 ─────┐
 *         │ grid A1-02 (north)       │  grid B1-01  │  grid B2-01  │
 *   39.01 ├──────────────────────────┤              │              │
 *         │ grid A1-01 (south)       │              │              │
 *   39.00 └──────────────────────────┴──────────────┴──────────────┘
 *       117.60                     117.62         117.63         117.64
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Polygon } from 'geojson';
import { CITY_FILES } from '$lib/domain/city';
import { INCIDENT_SOURCES, INCIDENT_STATUSES, INCIDENT_TYPES } from '$lib/domain/incidents';
import { incidentsToArrow } from '$lib/domain/incidentArrow';
import {
	DEMO_PACK_FILES,
	demoPackManifest,
	patrolRoutesGeojson,
	patrolUnitsRows
} from '../../../../data/generator/pack.ts';
import type {
	CommunityFeature,
	GridFeature,
	HazmatLaneCollection,
	HazmatSiteCollection,
	Manifest,
	Patrols,
	StreetFeature
} from '$lib/domain/city';
import type { CityData, IncidentTable } from '../city/cityData';

export const BBOX: [number, number, number, number] = [117.6, 39.0, 117.64, 39.02];

function rect(x0: number, y0: number, x1: number, y1: number): Polygon {
	return {
		type: 'Polygon',
		coordinates: [
			[
				[x0, y0],
				[x1, y0],
				[x1, y1],
				[x0, y1],
				[x0, y0]
			]
		]
	};
}

export const STREET_A = '120116001';
export const STREET_B = '120116002';
export const COMMUNITY_A1 = '120116001001';
export const COMMUNITY_B1 = '120116002001';
export const COMMUNITY_B2 = '120116002002';
export const GRID_A1_01 = '12011600100101';
export const GRID_A1_02 = '12011600100102';
export const GRID_B1_01 = '12011600200101';
export const GRID_B2_01 = '12011600200201';

const streets: StreetFeature[] = [
	[STREET_A, '塘沽街道', 'subdistrict', rect(117.6, 39.0, 117.62, 39.02)] as const,
	[STREET_B, '新港街道', 'subdistrict', rect(117.62, 39.0, 117.64, 39.02)] as const
].map(([id, name, kind, geometry]) => ({
	type: 'Feature',
	properties: {
		id,
		name,
		kind,
		population: 50000,
		households: 20000,
		areaKm2: 4.8,
		labelLon: 117.61,
		labelLat: 39.01
	},
	geometry
}));

const communities: CommunityFeature[] = [
	[COMMUNITY_A1, '新港社区', STREET_A, rect(117.6, 39.0, 117.62, 39.02)] as const,
	[COMMUNITY_B1, '东沽社区', STREET_B, rect(117.62, 39.0, 117.63, 39.02)] as const,
	[COMMUNITY_B2, '西沽村', STREET_B, rect(117.63, 39.0, 117.64, 39.02)] as const
].map(([id, name, streetId, geometry]) => ({
	type: 'Feature',
	properties: {
		id,
		name,
		kind: name.endsWith('村') ? 'village' : 'community',
		streetId,
		population: 20000,
		households: 8000,
		areaKm2: 2.4,
		labelLon: 117.62,
		labelLat: 39.01
	},
	geometry
}));

const grids: GridFeature[] = [
	[GRID_A1_01, COMMUNITY_A1, STREET_A, rect(117.6, 39.0, 117.62, 39.01)] as const,
	[GRID_A1_02, COMMUNITY_A1, STREET_A, rect(117.6, 39.01, 117.62, 39.02)] as const,
	[GRID_B1_01, COMMUNITY_B1, STREET_B, rect(117.62, 39.0, 117.63, 39.02)] as const,
	[GRID_B2_01, COMMUNITY_B2, STREET_B, rect(117.63, 39.0, 117.64, 39.02)] as const
].map(([id, communityId, streetId, geometry], i) => ({
	type: 'Feature',
	properties: {
		id,
		name: `第0${i + 1}网格`,
		communityId,
		streetId,
		population: 3000 + i * 100,
		households: 1200,
		areaKm2: 1.2,
		workerName: ['李明', '王芳', '张伟', '刘洋'][i],
		workerPhone: `1380000000${i}`
	},
	geometry
}));

const hazmatSites: HazmatSiteCollection = {
	type: 'FeatureCollection',
	features: [
		{
			type: 'Feature',
			properties: {
				id: 'HZ001',
				name: '天津渤海石油化工有限公司',
				zone: '南港工业区',
				hazardClass: 3,
				riskLevel: 1,
				substances: ['苯', '柴油'],
				quantityTonnes: 97.9,
				responsibleName: '杨刚',
				responsiblePhone: '15177848584',
				riskRadiusM: 400,
				gridId: GRID_B2_01
			},
			geometry: { type: 'Point', coordinates: [117.635, 39.005] }
		},
		{
			type: 'Feature',
			properties: {
				id: 'HZ002',
				name: '天津凯盛氯碱股份有限公司',
				zone: '临港经济区',
				hazardClass: 8,
				riskLevel: 3,
				substances: ['盐酸'],
				quantityTonnes: 12.5,
				responsibleName: '尹文',
				responsiblePhone: '13929408790',
				riskRadiusM: 200,
				gridId: GRID_A1_01
			},
			geometry: { type: 'Point', coordinates: [117.605, 39.005] }
		}
	]
};

const hazmatLanes: HazmatLaneCollection = {
	type: 'FeatureCollection',
	features: [
		{
			type: 'Feature',
			properties: { id: 'HL01', name: '危化品运输专用通道', siteIds: ['HZ002', 'HZ001'] },
			geometry: {
				type: 'LineString',
				coordinates: [
					[117.605, 39.005],
					[117.635, 39.005]
				]
			}
		}
	]
};

const patrols: Patrols = {
	routes: [
		{
			id: 'PR01',
			name: '塘沽街面巡逻线',
			mode: 'land',
			path: [
				[117.601, 39.001],
				[117.619, 39.001],
				[117.619, 39.019]
			]
		},
		{
			id: 'PR02',
			name: '近岸海巡线',
			mode: 'sea',
			path: [
				[117.65, 39.0],
				[117.66, 39.02]
			]
		}
	],
	units: [
		{
			id: 'PU01',
			callsign: '陆巡-01',
			mode: 'land',
			routeId: 'PR01',
			status: 'on_patrol',
			track: {
				lon: [117.601, 117.619, 117.601],
				lat: [39.001, 39.001, 39.001],
				t: [0, 43200, 86400]
			}
		},
		{
			id: 'PU02',
			callsign: '海巡-01',
			mode: 'sea',
			routeId: 'PR02',
			status: 'standby',
			track: { lon: [117.65, 117.66], lat: [39.0, 39.02], t: [0, 86400] }
		}
	]
};

/** Epoch ms of the fixture's first incident: 2026-11-01 00:00 UTC+8. */
export const T0 = Date.UTC(2026, 9, 31, 16);
const HOUR = 3_600_000;

/** 12 incidents, 3 per grid, one hour apart; every 4th is closed. */
function incidents(): IncidentTable {
	const spots: [number, number, string, string, string][] = [
		[117.61, 39.005, GRID_A1_01, COMMUNITY_A1, STREET_A],
		[117.61, 39.015, GRID_A1_02, COMMUNITY_A1, STREET_A],
		[117.625, 39.01, GRID_B1_01, COMMUNITY_B1, STREET_B],
		[117.635, 39.01, GRID_B2_01, COMMUNITY_B2, STREET_B]
	];
	const n = 12;
	const t: IncidentTable = {
		length: n,
		id: new Uint32Array(n),
		lon: new Float32Array(n),
		lat: new Float32Array(n),
		ts: new Float64Array(n),
		closedTs: new Float64Array(n),
		type: [],
		source: [],
		status: [],
		priority: new Uint8Array(n),
		gridId: [],
		communityId: [],
		streetId: []
	};
	const types = ['dispute', 'traffic', 'pollution', 'hazmat_alarm'];
	for (let i = 0; i < n; i++) {
		const [lon, lat, grid, community, street] = spots[i % 4];
		const closed = i % 4 === 3;
		(t.id as Uint32Array)[i] = i + 1;
		(t.lon as Float32Array)[i] = lon + (i >> 2) * 0.001;
		(t.lat as Float32Array)[i] = lat;
		(t.ts as Float64Array)[i] = T0 + i * HOUR;
		(t.closedTs as Float64Array)[i] = closed ? T0 + i * HOUR + 2 * HOUR : NaN;
		(t.type as string[]).push(types[i % 4]);
		(t.source as string[]).push('grid_worker');
		(t.status as string[]).push(closed ? 'closed' : 'reported');
		(t.priority as Uint8Array)[i] = (i % 4) + 1;
		(t.gridId as string[]).push(grid);
		(t.communityId as string[]).push(community);
		(t.streetId as string[]).push(street);
	}
	return t;
}

export function fixtureCity(): CityData {
	const manifest: Manifest = {
		synthetic: true,
		seed: 1,
		endDate: '2026-11-01',
		startMs: T0,
		endMs: T0 + 86_400_000,
		bbox: BBOX,
		center: [117.62, 39.01],
		counts: {
			streets: 2,
			communities: 3,
			grids: 4,
			roads: 0,
			hazmatSites: 2,
			hazmatLanes: 1,
			patrolRoutes: 2,
			patrolUnits: 2,
			incidents: 12
		},
		attribution: ['test fixture']
	};
	const fc = <F>(features: F[]) => ({ type: 'FeatureCollection' as const, features });
	return {
		manifest,
		streets: fc(streets),
		communities: fc(communities),
		grids: fc(grids),
		hazmatSites,
		hazmatLanes,
		patrols,
		incidents: incidents()
	};
}

/** Writes the fixture city as the generator would (GeoJSON files, patrols.json, incidents.arrow). */
export function writeFixtureCity(dir: string, city: CityData = fixtureCity()): void {
	mkdirSync(dir, { recursive: true });
	const write = (name: string, value: unknown) =>
		writeFileSync(join(dir, name), JSON.stringify(value));
	write(CITY_FILES.streets, city.streets);
	write(CITY_FILES.communities, city.communities);
	write(CITY_FILES.grids, city.grids);
	write(CITY_FILES.hazmatSites, city.hazmatSites);
	write(CITY_FILES.hazmatLanes, city.hazmatLanes);
	write(DEMO_PACK_FILES.manifest, demoPackManifest(city.manifest, { basemap: false }));
	write(DEMO_PACK_FILES.patrolRoutes, patrolRoutesGeojson(city.patrols));
	write(DEMO_PACK_FILES.patrolUnits, patrolUnitsRows(city.patrols));
	const inc = city.incidents;
	const codes = <T extends string>(values: ArrayLike<string>, dict: readonly T[]) =>
		Int16Array.from(Array.from(values), (v) => dict.indexOf(v as T));
	const gridIds = city.grids.features.map((f) => f.properties.id);
	const communityIds = city.communities.features.map((f) => f.properties.id);
	const streetIds = city.streets.features.map((f) => f.properties.id);
	const bytes = incidentsToArrow(
		{
			length: inc.length,
			id: Uint32Array.from(inc.id),
			lon: Float32Array.from(inc.lon),
			lat: Float32Array.from(inc.lat),
			ts: Float64Array.from(inc.ts),
			closedTs: Float64Array.from(inc.closedTs),
			type: Int8Array.from(codes(inc.type, INCIDENT_TYPES)),
			source: Int8Array.from(codes(inc.source, INCIDENT_SOURCES)),
			status: Int8Array.from(codes(inc.status, INCIDENT_STATUSES)),
			priority: Uint8Array.from(inc.priority),
			grid: codes(inc.gridId, gridIds),
			community: codes(inc.communityId, communityIds),
			street: codes(inc.streetId, streetIds)
		},
		{ gridIds, communityIds, streetIds }
	);
	writeFileSync(join(dir, CITY_FILES.incidents), bytes);
	write(CITY_FILES.manifest, city.manifest); // last, as the generator does
}
