/**
 * Grids layer: 街镇 / 社区 / 网格 boundaries by zoom, and the grid fill as a choropleth of
 * incident density (incidents per km² over the loaded period).
 * Pure: (city polygons, density per grid, zoom) → deck.gl layers.
 */
import { GeoJsonLayer } from '@deck.gl/layers';
import { scaleQuantile } from 'd3-scale';
import type {
	CommunityCollection,
	GridCollection,
	GridFeature,
	StreetCollection
} from '$lib/domain/city';
import { BOUNDARY_COLORS, DENSITY_RAMP, type RGBA } from './palette';

export const GRID_LAYER_IDS = {
	fill: 'grids-fill',
	street: 'grids-street-lines',
	community: 'grids-community-lines',
	grid: 'grids-grid-lines'
} as const;

/** Community lines appear from this zoom, grid lines from the next. */
export const COMMUNITY_MIN_ZOOM = 10.5;
export const GRID_MIN_ZOOM = 12;

export interface GridsInput {
	streets: StreetCollection;
	communities: CommunityCollection;
	grids: GridCollection;
	/** Incidents per grid, indexed like `grids.features`; null until counted. */
	incidentCounts: Uint32Array | null;
	zoom: number;
	visible: boolean;
}

export interface DensityScale {
	/** Upper bounds of each colour class but the last (incidents per km²). */
	thresholds: number[];
	colorOf(density: number): RGBA;
}

/** Incidents per km², per grid. */
export function gridDensity(grids: GridCollection, counts: Uint32Array): Float32Array {
	const density = new Float32Array(grids.features.length);
	grids.features.forEach((f, i) => {
		density[i] = f.properties.areaKm2 > 0 ? counts[i] / f.properties.areaKm2 : 0;
	});
	return density;
}

/** Quantile classes, so every colour covers about as many grids. */
export function densityScale(density: Float32Array): DensityScale {
	const scale = scaleQuantile<RGBA>().domain(Array.from(density)).range(DENSITY_RAMP);
	return { thresholds: scale.quantiles(), colorOf: (d) => scale(d) };
}

const NO_DATA: RGBA = [40, 50, 70, 90];

export function gridsLayers(input: GridsInput) {
	const { streets, communities, grids, incidentCounts, zoom, visible } = input;
	const density = incidentCounts ? gridDensity(grids, incidentCounts) : null;
	const scale = density ? densityScale(density) : null;
	const indexOf = new Map(grids.features.map((f, i) => [f.properties.id, i]));
	const fillColor = (f: GridFeature): RGBA => {
		const i = indexOf.get(f.properties.id);
		return scale && density && i !== undefined ? scale.colorOf(density[i]) : NO_DATA;
	};

	return [
		new GeoJsonLayer({
			id: GRID_LAYER_IDS.fill,
			data: grids,
			visible,
			pickable: true,
			stroked: false,
			filled: true,
			// eslint-disable-next-line @typescript-eslint/no-explicit-any -- deck's accessor typing is loose for GeoJSON
			getFillColor: fillColor as any,
			autoHighlight: true,
			highlightColor: [255, 255, 255, 60],
			updateTriggers: { getFillColor: [incidentCounts] }
		}),
		new GeoJsonLayer({
			id: GRID_LAYER_IDS.grid,
			data: grids,
			visible: visible && zoom >= GRID_MIN_ZOOM,
			filled: false,
			stroked: true,
			getLineColor: BOUNDARY_COLORS.grid,
			getLineWidth: 1,
			lineWidthUnits: 'pixels'
		}),
		new GeoJsonLayer({
			id: GRID_LAYER_IDS.community,
			data: communities,
			visible: visible && zoom >= COMMUNITY_MIN_ZOOM,
			filled: false,
			stroked: true,
			getLineColor: BOUNDARY_COLORS.community,
			getLineWidth: 1.5,
			lineWidthUnits: 'pixels'
		}),
		new GeoJsonLayer({
			id: GRID_LAYER_IDS.street,
			data: streets,
			visible,
			filled: false,
			stroked: true,
			getLineColor: BOUNDARY_COLORS.street,
			getLineWidth: zoom >= GRID_MIN_ZOOM ? 3 : 2,
			lineWidthUnits: 'pixels',
			updateTriggers: { getLineWidth: [zoom >= GRID_MIN_ZOOM] }
		})
	];
}
