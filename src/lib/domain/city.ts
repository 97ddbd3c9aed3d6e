/**
 * The demo city's data contract: what `npm run data` writes into the data folder
 * (default `var/data/`) and what the app reads from `/data/<file>`.
 * Coordinates are WGS84 [lon, lat]. Ids are stable strings; incidents refer to
 * grids/communities/streets by dictionary-encoded ids in the same order as the
 * features of the corresponding GeoJSON file.
 */
import type { Feature, FeatureCollection, LineString, MultiPolygon, Point, Polygon } from 'geojson';
import type { CityIdentity } from './cityPack';

/** Files the generator writes, by role. The server serves exactly these names. */
export const CITY_FILES = {
	manifest: 'manifest.json',
	land: 'land.geojson',
	sea: 'sea.geojson',
	water: 'water.geojson',
	roads: 'roads.geojson',
	streets: 'streets.geojson',
	communities: 'communities.geojson',
	grids: 'grids.geojson',
	hazmatSites: 'hazmat-sites.geojson',
	hazmatLanes: 'hazmat-lanes.geojson',
	patrols: 'patrols.json',
	incidents: 'incidents.arrow',
	/** 区/县 above the streets (city packs with a district level; empty otherwise). */
	districts: 'districts.geojson'
} as const;
export type CityFile = (typeof CITY_FILES)[keyof typeof CITY_FILES];

export interface Manifest {
	/** True for the generated demo city (only coastline and unit names are real); false for a
	 * real city's pack. */
	synthetic: boolean;
	/** The generator's seed (the demo city only). */
	seed?: number;
	/** Last day covered by incidents (YYYY-MM-DD, UTC+8 calendar day). */
	endDate: string;
	/** Incidents cover [startMs, endMs), epoch milliseconds. */
	startMs: number;
	endMs: number;
	bbox: [number, number, number, number];
	center: [number, number];
	counts: {
		streets: number;
		communities: number;
		grids: number;
		roads: number;
		hazmatSites: number;
		hazmatLanes: number;
		patrolRoutes: number;
		patrolUnits: number;
		incidents: number;
	};
	attribution: string[];
	/** The city's identity (names, levels, view, basemap) — served in /data/manifest.json. */
	city?: CityIdentity;
}

/** A 区/县 (city packs with a district level): /data/districts.geojson. */
export interface DistrictProps {
	id: string; // GB/T 2260 code, e.g. "120116"
	name: string; // 滨海新区
	kind: string;
	population: number;
	households: number;
	areaKm2: number;
	/** A point inside the largest part, for the label. */
	labelLon: number;
	labelLat: number;
}

export type StreetKind = 'subdistrict' | 'town';
export interface StreetProps {
	/** The 区/县 it belongs to, in a city pack with a district level. */
	districtId?: string;
	id: string; // NBS code, e.g. "120116001"
	name: string; // 塘沽街道
	kind: StreetKind;
	population: number;
	households: number;
	areaKm2: number;
	/** A point inside the polygon, for the label. */
	labelLon: number;
	labelLat: number;
}
export type CommunityKind = 'community' | 'village';
export interface CommunityProps {
	id: string; // street code + 3 digits, e.g. "120116001001"
	name: string; // 新港社区 / 东沽村
	kind: CommunityKind;
	streetId: string;
	population: number;
	households: number;
	areaKm2: number;
	labelLon: number;
	labelLat: number;
}
export interface GridProps {
	id: string; // community id + 2 digits, e.g. "12011600100101"
	name: string; // 第01网格
	communityId: string;
	streetId: string;
	population: number;
	households: number;
	areaKm2: number;
	workerName: string;
	workerPhone: string;
}
/** Districts, streets and communities may be MultiPolygons (islands, enclaves); grids never. */
export type UnitGeometry = Polygon | MultiPolygon;
export type DistrictFeature = Feature<UnitGeometry, DistrictProps>;
export type StreetFeature = Feature<UnitGeometry, StreetProps>;
export type CommunityFeature = Feature<UnitGeometry, CommunityProps>;
export type GridFeature = Feature<Polygon, GridProps>;

export type RoadClass = 'expressway' | 'arterial' | 'local';
export interface RoadProps {
	id: string;
	class: RoadClass;
	name: string;
}

export interface WaterProps {
	id: string;
	kind: 'river' | 'reservoir';
	name: string;
}

/** GB 6944 hazard classes, by number. */
export type HazmatClass = 1 | 2 | 3 | 4 | 5 | 6 | 8 | 9;
/** 1 = 一级 (highest risk) … 4 = 四级 (lowest), as in GB 18218 major-hazard grading. */
export type RiskLevel = 1 | 2 | 3 | 4;
export interface HazmatSiteProps {
	id: string;
	name: string;
	zone: string; // 南港工业区, 临港经济区, …
	hazardClass: HazmatClass;
	riskLevel: RiskLevel;
	substances: string[];
	quantityTonnes: number;
	responsibleName: string;
	responsiblePhone: string;
	riskRadiusM: number;
	gridId: string;
}
export interface HazmatLaneProps {
	id: string;
	name: string;
	siteIds: string[];
}

export type PatrolMode = 'land' | 'sea' | 'air';
export interface PatrolRoute {
	id: string;
	name: string;
	mode: PatrolMode;
	/** Closed or open polyline, [lon, lat] pairs. */
	path: [number, number][];
}
export interface PatrolUnit {
	id: string;
	callsign: string;
	mode: PatrolMode;
	routeId: string;
	status: 'on_patrol' | 'responding' | 'standby';
	/** Positions over 24 h: parallel arrays, t = seconds since local midnight, ascending, 0..86400. */
	track: { lon: number[]; lat: number[]; t: number[] };
}
export interface Patrols {
	routes: PatrolRoute[];
	units: PatrolUnit[];
}

export type DistrictCollection = FeatureCollection<UnitGeometry, DistrictProps>;
export type StreetCollection = FeatureCollection<UnitGeometry, StreetProps>;
export type CommunityCollection = FeatureCollection<UnitGeometry, CommunityProps>;
export type GridCollection = FeatureCollection<Polygon, GridProps>;
export type RoadCollection = FeatureCollection<LineString, RoadProps>;
export type HazmatSiteCollection = FeatureCollection<Point, HazmatSiteProps>;
export type HazmatLaneCollection = FeatureCollection<LineString, HazmatLaneProps>;

/** The three levels of the grid hierarchy: 街道/镇 → 社区/村 → 网格. */
export type UnitLevel = 'street' | 'community' | 'grid';
/** A level the analysis maps and ranks: the grid hierarchy, and 区/县 where the city has them. */
export type AreaLevel = 'district' | UnitLevel;
