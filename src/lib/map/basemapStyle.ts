/**
 * The basemap style OneMap owns: land, sea, water, roads by class and Chinese labels for 街镇
 * and 社区, in a dark command-centre look. Every source is the app's own (generated GeoJSON under
 * /data, the label font shipped with the app): no tile, glyph or sprite service.
 * A deployment with its own intranet vector tiles can replace the `sources` here.
 */
import type { FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { CITY_FILES } from '$lib/domain/city';
import { labelPoint } from '$lib/geo/labelPoint';

export const LABEL_FONT = 'Noto Sans SC';

export const BASEMAP_COLORS = {
	background: '#0b1220',
	sea: '#061a2e',
	coast: '#1d5a80',
	land: '#101b2d',
	water: '#0d3350',
	river: '#15527a',
	roadLocal: '#1d2b40',
	roadArterial: '#2b4262',
	roadExpressway: '#3f6690',
	roadCasing: '#0b1220',
	districtLabel: '#ffe6a8',
	streetLabel: '#d6e8ff',
	communityLabel: '#8fb0d6',
	roadLabel: '#7d97b8',
	halo: '#0b1220'
} as const;

/** The MapLibre layer of the 区/县 names (present only for a city with districts). */
export const DISTRICT_LABEL_LAYER = 'district-labels';

export interface LabelProps {
	name: string;
}

export interface BasemapOptions {
	/** URL of a generated data file, e.g. `/data/roads.geojson`. */
	dataUrl: (file: string) => string;
	/** URL of the woff2 font that draws the labels. */
	fontUrl: string;
	streetLabels: FeatureCollection<Point, LabelProps>;
	communityLabels: FeatureCollection<Point, LabelProps>;
	/** 区/县 names (a city with a district level): drawn above the street names, larger. */
	districtLabels?: FeatureCollection<Point, LabelProps>;
}

export function basemapStyle(o: BasemapOptions): StyleSpecification {
	const c = BASEMAP_COLORS;
	const roadClass = (cls: string) =>
		['==', ['get', 'class'], cls] as ['==', ['get', string], string];
	return {
		version: 8,
		name: 'OneMap command',
		'font-faces': { [LABEL_FONT]: o.fontUrl },
		sources: {
			sea: { type: 'geojson', data: o.dataUrl(CITY_FILES.sea) },
			land: { type: 'geojson', data: o.dataUrl(CITY_FILES.land) },
			water: { type: 'geojson', data: o.dataUrl(CITY_FILES.water) },
			roads: { type: 'geojson', data: o.dataUrl(CITY_FILES.roads) },
			...unitLabelSources(o)
		},
		layers: [
			{ id: 'background', type: 'background', paint: { 'background-color': c.background } },
			{ id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': c.land } },
			{ id: 'sea', type: 'fill', source: 'sea', paint: { 'fill-color': c.sea } },
			{
				id: 'coastline',
				type: 'line',
				source: 'sea',
				paint: {
					'line-color': c.coast,
					'line-width': ['interpolate', ['linear'], ['zoom'], 8, 1, 14, 2.5]
				}
			},
			{
				id: 'water-areas',
				type: 'fill',
				source: 'water',
				filter: ['==', ['geometry-type'], 'Polygon'],
				paint: { 'fill-color': c.water }
			},
			{
				id: 'rivers',
				type: 'line',
				source: 'water',
				filter: ['==', ['geometry-type'], 'LineString'],
				layout: { 'line-cap': 'round', 'line-join': 'round' },
				paint: {
					'line-color': c.river,
					'line-width': ['interpolate', ['exponential', 1.6], ['zoom'], 9, 1.5, 15, 14]
				}
			},
			{
				id: 'roads-local',
				type: 'line',
				source: 'roads',
				minzoom: 11,
				filter: roadClass('local'),
				layout: { 'line-cap': 'round', 'line-join': 'round' },
				paint: {
					'line-color': c.roadLocal,
					'line-width': ['interpolate', ['exponential', 1.5], ['zoom'], 11, 0.5, 15, 5]
				}
			},
			{
				id: 'roads-arterial',
				type: 'line',
				source: 'roads',
				filter: roadClass('arterial'),
				layout: { 'line-cap': 'round', 'line-join': 'round' },
				paint: {
					'line-color': c.roadArterial,
					'line-width': ['interpolate', ['exponential', 1.5], ['zoom'], 8, 0.6, 15, 8]
				}
			},
			{
				id: 'roads-expressway-casing',
				type: 'line',
				source: 'roads',
				filter: roadClass('expressway'),
				layout: { 'line-cap': 'round', 'line-join': 'round' },
				paint: {
					'line-color': c.roadCasing,
					'line-width': ['interpolate', ['exponential', 1.5], ['zoom'], 8, 2.5, 15, 14]
				}
			},
			{
				id: 'roads-expressway',
				type: 'line',
				source: 'roads',
				filter: roadClass('expressway'),
				layout: { 'line-cap': 'round', 'line-join': 'round' },
				paint: {
					'line-color': c.roadExpressway,
					'line-width': ['interpolate', ['exponential', 1.5], ['zoom'], 8, 1.5, 15, 10]
				}
			},
			{
				id: 'road-labels',
				type: 'symbol',
				source: 'roads',
				minzoom: 12,
				filter: ['!=', ['get', 'class'], 'local'],
				layout: {
					'symbol-placement': 'line',
					'text-field': ['get', 'name'],
					'text-font': [LABEL_FONT],
					'text-size': 12
				},
				paint: { 'text-color': c.roadLabel, 'text-halo-color': c.halo, 'text-halo-width': 1.5 }
			},
			...unitLabelLayers(Boolean(o.districtLabels))
		]
	};
}

/** The sources of the 区/县, street and community labels (the city's own units, on every basemap). */
export function unitLabelSources(
	o: Pick<BasemapOptions, 'streetLabels' | 'communityLabels' | 'districtLabels'>
): StyleSpecification['sources'] {
	return {
		'street-labels': { type: 'geojson', data: o.streetLabels },
		'community-labels': { type: 'geojson', data: o.communityLabels },
		...(o.districtLabels
			? { [DISTRICT_LABEL_LAYER]: { type: 'geojson', data: o.districtLabels } }
			: {})
	};
}

/**
 * The 区/县, street and community label layers, drawn with the app's own font (LABEL_FONT).
 * The district names come last, so they win the collision with a street of the same name and place.
 */
export function unitLabelLayers(withDistricts = false): LayerSpecification[] {
	const c = BASEMAP_COLORS;
	const district: LayerSpecification = {
		id: DISTRICT_LABEL_LAYER,
		type: 'symbol',
		source: DISTRICT_LABEL_LAYER,
		maxzoom: 11.5,
		layout: {
			'text-field': ['get', 'name'],
			'text-font': [LABEL_FONT],
			'text-size': ['interpolate', ['linear'], ['zoom'], 7, 14, 11, 20],
			'text-letter-spacing': 0.12
		},
		paint: { 'text-color': c.districtLabel, 'text-halo-color': c.halo, 'text-halo-width': 2.5 }
	};
	return [
		{
			id: 'community-labels',
			type: 'symbol',
			source: 'community-labels',
			minzoom: 11.5,
			layout: {
				'text-field': ['get', 'name'],
				'text-font': [LABEL_FONT],
				'text-size': ['interpolate', ['linear'], ['zoom'], 11.5, 11, 15, 14]
			},
			paint: { 'text-color': c.communityLabel, 'text-halo-color': c.halo, 'text-halo-width': 1.5 }
		},
		{
			id: 'street-labels',
			type: 'symbol',
			source: 'street-labels',
			maxzoom: 13.5,
			layout: {
				'text-field': ['get', 'name'],
				'text-font': [LABEL_FONT],
				'text-size': ['interpolate', ['linear'], ['zoom'], 8, 12, 12, 17],
				'text-letter-spacing': 0.08
			},
			paint: { 'text-color': c.streetLabel, 'text-halo-color': c.halo, 'text-halo-width': 2 }
		},
		...(withDistricts ? [district] : [])
	];
}

/**
 * Label points for a level of the hierarchy: the unit's label coordinates where the data has
 * them, else the pole of inaccessibility of its largest part (MultiPolygons included).
 */
export function labelPoints(
	features: {
		properties: { name: string; labelLon?: number; labelLat?: number };
		geometry: Polygon | MultiPolygon;
	}[]
): FeatureCollection<Point, LabelProps> {
	return {
		type: 'FeatureCollection',
		features: features.map((f) => {
			const { labelLon, labelLat } = f.properties;
			const given = Number.isFinite(labelLon) && Number.isFinite(labelLat);
			return {
				type: 'Feature',
				properties: { name: f.properties.name },
				geometry: {
					type: 'Point',
					coordinates: given ? [labelLon!, labelLat!] : labelPoint(f.geometry)
				}
			};
		})
	};
}

type LabelledUnit = Parameters<typeof labelPoints>[0][number];

/** The label options of every basemap for a city's levels (区/县 only where it has them). */
export function unitLabels(city: {
	streets: { features: LabelledUnit[] };
	communities: { features: LabelledUnit[] };
	districts?: { features: LabelledUnit[] };
}): Pick<BasemapOptions, 'streetLabels' | 'communityLabels' | 'districtLabels'> {
	return {
		streetLabels: labelPoints(city.streets.features),
		communityLabels: labelPoints(city.communities.features),
		...(city.districts?.features.length
			? { districtLabels: labelPoints(city.districts.features) }
			: {})
	};
}
