/**
 * The map's style for the loaded city's basemap (CityIdentity.basemap, what the pack's city.json
 * names): `onemap` — OneMap's own style (basemapStyle.ts) unchanged; `pmtiles` — the pack's
 * vector PMTiles, served from this origin (/data/basemap/<name>, read with Range requests through
 * the pmtiles protocol), drawn in the same dark palette for the OpenMapTiles or Protomaps schema;
 * `raster` — an intranet XYZ tile URL; `style` — an intranet MapLibre style, fetched and used
 * with its own sources. Every kind keeps the city's street and community labels, drawn with the
 * app's own font; deck.gl's domain layers are an overlay above the whole style.
 * Pure: the page fetches a `style` URL (fetchExternalStyle) and hands the result in.
 */
import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';
import type { CityIdentity } from '$lib/domain/cityPack';
import {
	BASEMAP_COLORS,
	LABEL_FONT,
	basemapStyle,
	unitLabelLayers,
	unitLabelSources,
	type BasemapOptions
} from './basemapStyle';

export type PackBasemap = CityIdentity['basemap'];

export interface PackStyleOptions extends BasemapOptions {
	/** This page's origin, e.g. `http://onemap.intranet` (the pmtiles protocol wants an absolute URL). */
	origin: string;
}

const SOURCE = 'basemap';

/** The pmtiles:// URL MapLibre reads the pack's file with. */
export function pmtilesUrl(url: string, origin: string): string {
	return `pmtiles://${new URL(url, origin).href}`;
}

/** True when the style reads a pmtiles:// source (the page registers the protocol first). */
export function usesPmtiles(style: StyleSpecification): boolean {
	return Object.values(style.sources).some(
		(s) => 'url' in s && typeof s.url === 'string' && s.url.startsWith('pmtiles://')
	);
}

/**
 * The style for a basemap. `external`: the fetched style of a `style` basemap (without it, that
 * kind falls back to OneMap's own style, so the map still shows the city while it loads or when
 * the intranet server does not answer).
 */
export function packStyle(
	basemap: PackBasemap,
	o: PackStyleOptions,
	external: StyleSpecification | null = null
): StyleSpecification {
	const fonts = { [LABEL_FONT]: o.fontUrl };
	const c = BASEMAP_COLORS;
	switch (basemap.kind) {
		case 'pmtiles':
			return {
				version: 8,
				name: 'OneMap command (city PMTiles)',
				'font-faces': fonts,
				sources: {
					[SOURCE]: {
						type: 'vector',
						url: pmtilesUrl(basemap.url, o.origin),
						...(basemap.attribution ? { attribution: basemap.attribution } : {})
					},
					...unitLabelSources(o)
				},
				layers: [
					{ id: 'background', type: 'background', paint: { 'background-color': c.land } },
					...(basemap.flavor === 'openmaptiles' ? openMapTilesLayers() : protomapsLayers()),
					...unitLabelLayers(Boolean(o.districtLabels))
				]
			};
		case 'raster':
			return {
				version: 8,
				name: 'OneMap command (intranet raster)',
				'font-faces': fonts,
				sources: {
					[SOURCE]: {
						type: 'raster',
						tiles: [basemap.url],
						tileSize: basemap.tileSize,
						maxzoom: basemap.maxZoom,
						...(basemap.attribution ? { attribution: basemap.attribution } : {})
					},
					...unitLabelSources(o)
				},
				layers: [
					{ id: 'background', type: 'background', paint: { 'background-color': c.background } },
					{ id: 'basemap-raster', type: 'raster', source: SOURCE },
					...unitLabelLayers(Boolean(o.districtLabels))
				]
			};
		case 'style':
			if (!external) return basemapStyle(o);
			return {
				...external,
				'font-faces': { ...(external['font-faces'] ?? {}), ...fonts },
				sources: { ...external.sources, ...unitLabelSources(o) },
				layers: [
					...external.layers.filter((l) => !UNIT_LABEL_IDS.has(l.id)),
					...unitLabelLayers(Boolean(o.districtLabels))
				]
			};
		default:
			return basemapStyle(o);
	}
}

const UNIT_LABEL_IDS = new Set(unitLabelLayers(true).map((l) => l.id));

/** Fetches a `style` basemap's style (an intranet URL the deployment configured). */
export async function fetchExternalStyle(
	url: string,
	fetcher: typeof fetch = fetch
): Promise<StyleSpecification> {
	const res = await fetcher(url, { credentials: 'omit' });
	if (!res.ok) throw new Error(`the basemap style ${url} answered ${res.status}`);
	const style = (await res.json()) as StyleSpecification;
	if (style?.version !== 8 || !style.sources || !Array.isArray(style.layers))
		throw new Error(`${url} is not a MapLibre style (version 8, sources, layers)`);
	return style;
}

/**
 * The notice under the map: the demo's synthetic-data notice (with the OpenStreetMap credit its
 * coastline needs, or its basemap's own attribution); for a real city the pack's basemap
 * attribution, or nothing.
 */
export function basemapNotice(
	city: Pick<CityIdentity, 'synthetic' | 'basemap'>,
	syntheticNotice: string
): string {
	const b = city.basemap;
	const attribution = 'attribution' in b ? b.attribution : undefined;
	if (city.synthetic)
		return `${syntheticNotice} · ${attribution ?? (b.kind === 'onemap' ? '© OpenStreetMap contributors' : '')}`.replace(
			/ · $/,
			''
		);
	return attribution ?? '';
}

// ─────────────────────────────── schema layers ───────────────────────────────

type Filter = ExpressionSpecification;
const isIn = (prop: string, values: string[]): Filter => ['in', ['get', prop], ['literal', values]];
const geom = (type: 'Polygon' | 'LineString'): Filter => ['==', ['geometry-type'], type];
const name: ExpressionSpecification = ['coalesce', ['get', 'name:zh'], ['get', 'name']];

function fill(id: string, layer: string, color: string, filter?: Filter): LayerSpecification {
	return {
		id,
		type: 'fill',
		source: SOURCE,
		'source-layer': layer,
		...(filter ? { filter } : {}),
		paint: { 'fill-color': color }
	};
}

function road(
	id: string,
	layer: string,
	filter: Filter,
	color: string,
	widths: [number, number],
	minzoom = 0
): LayerSpecification {
	return {
		id,
		type: 'line',
		source: SOURCE,
		'source-layer': layer,
		minzoom,
		filter,
		layout: { 'line-cap': 'round', 'line-join': 'round' },
		paint: {
			'line-color': color,
			'line-width': ['interpolate', ['exponential', 1.5], ['zoom'], 8, widths[0], 15, widths[1]]
		}
	};
}

function boundary(id: string, layer: string, filter: Filter): LayerSpecification {
	return {
		id,
		type: 'line',
		source: SOURCE,
		'source-layer': layer,
		filter,
		paint: { 'line-color': BASEMAP_COLORS.coast, 'line-width': 1, 'line-dasharray': [3, 2] }
	};
}

function places(id: string, layer: string, filter: Filter): LayerSpecification {
	const c = BASEMAP_COLORS;
	return {
		id,
		type: 'symbol',
		source: SOURCE,
		'source-layer': layer,
		filter,
		layout: { 'text-field': name, 'text-font': [LABEL_FONT], 'text-size': 12 },
		paint: { 'text-color': c.communityLabel, 'text-halo-color': c.halo, 'text-halo-width': 1.5 }
	};
}

/** Protomaps basemap schema (v4): earth, water, landuse, roads, boundaries, places. */
function protomapsLayers(): LayerSpecification[] {
	const c = BASEMAP_COLORS;
	return [
		{ id: 'sea', type: 'background', paint: { 'background-color': c.sea } },
		fill('land', 'earth', c.land),
		fill('landuse', 'landuse', c.background, isIn('kind', ['industrial', 'military', 'railway'])),
		fill('water-areas', 'water', c.water, geom('Polygon')),
		{
			id: 'rivers',
			type: 'line',
			source: SOURCE,
			'source-layer': 'water',
			filter: geom('LineString'),
			paint: { 'line-color': c.river, 'line-width': 1.5 }
		},
		road('roads-local', 'roads', isIn('kind', ['minor_road', 'other']), c.roadLocal, [0.5, 5], 11),
		road('roads-arterial', 'roads', isIn('kind', ['major_road']), c.roadArterial, [0.6, 8]),
		road('roads-expressway', 'roads', isIn('kind', ['highway']), c.roadExpressway, [1.5, 10]),
		boundary('boundaries', 'boundaries', ['<=', ['get', 'kind_detail'], 8]),
		places('places', 'places', isIn('kind', ['locality', 'neighbourhood', 'macrohood']))
	];
}

/** OpenMapTiles schema: water, waterway, landcover, landuse, transportation, boundary, place. */
function openMapTilesLayers(): LayerSpecification[] {
	const c = BASEMAP_COLORS;
	return [
		fill('landcover', 'landcover', c.land),
		fill('landuse', 'landuse', c.background, isIn('class', ['industrial', 'military', 'railway'])),
		fill('water-areas', 'water', c.water, ['!=', ['get', 'class'], 'ocean']),
		fill('sea', 'water', c.sea, ['==', ['get', 'class'], 'ocean']),
		{
			id: 'rivers',
			type: 'line',
			source: SOURCE,
			'source-layer': 'waterway',
			paint: { 'line-color': c.river, 'line-width': 1.5 }
		},
		road(
			'roads-local',
			'transportation',
			isIn('class', ['tertiary', 'minor', 'service']),
			c.roadLocal,
			[0.5, 5],
			11
		),
		road(
			'roads-arterial',
			'transportation',
			isIn('class', ['trunk', 'primary', 'secondary']),
			c.roadArterial,
			[0.6, 8]
		),
		road(
			'roads-expressway',
			'transportation',
			isIn('class', ['motorway']),
			c.roadExpressway,
			[1.5, 10]
		),
		boundary('boundaries', 'boundary', ['<=', ['get', 'admin_level'], 8]),
		places('places', 'place', isIn('class', ['city', 'town', 'village', 'suburb']))
	];
}
