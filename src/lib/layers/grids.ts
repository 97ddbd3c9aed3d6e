/**
 * Grids layer: 区/县 (where the city has them) / 街镇 / 社区 / 网格 boundaries by zoom, and a choropleth of incidents at one level
 * (grid by default) as density per km², count, or per 1,000 residents.
 * Pure: (city polygons, incident counts per unit, zoom) → deck.gl layers.
 */
import { GeoJsonLayer } from '@deck.gl/layers';
import { scaleQuantile } from 'd3-scale';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type {
	CommunityCollection,
	DistrictCollection,
	GridCollection,
	StreetCollection,
	AreaLevel
} from '$lib/domain/city';
import { BOUNDARY_COLORS, DENSITY_RAMP, type RGBA } from './palette';

export const GRID_LAYER_IDS = {
	fill: 'grids-fill',
	/** Districts: a clear fill that takes the click at the city view (drill into a district). */
	districtFill: 'grids-district-fill',
	district: 'grids-district-lines',
	street: 'grids-street-lines',
	community: 'grids-community-lines',
	grid: 'grids-grid-lines'
} as const;

/** Community lines appear from this zoom, grid lines from the next. */
export const COMMUNITY_MIN_ZOOM = 10.5;
export const GRID_MIN_ZOOM = 12;
/** Below this zoom a click on the map picks a district (a city with districts). */
export const DISTRICT_PICK_MAX_ZOOM = 10.5;

export type ChoroplethMetric = 'density' | 'count' | 'per1000';

/** What every unit of the hierarchy has, whatever its level. */
interface UnitProps {
	id: string;
	name: string;
	population: number;
	areaKm2: number;
}
type Unit = Feature<Polygon | MultiPolygon, UnitProps>;

export interface Choropleth {
	level: AreaLevel;
	metric: ChoroplethMetric;
	/** Incidents per unit, indexed like the level's features; null until counted. */
	counts: Uint32Array | null;
}

export interface GridsInput {
	/** Empty (or absent) for a city without a district level: no district layers then. */
	districts?: DistrictCollection;
	streets: StreetCollection;
	communities: CommunityCollection;
	grids: GridCollection;
	choropleth: Choropleth;
	zoom: number;
	visible: boolean;
}

export interface ClassScale {
	/** Lower bounds of each colour class but the first, ascending and distinct. */
	thresholds: number[];
	/** One colour per class (thresholds.length + 1), spread over the ramp. */
	colors: RGBA[];
	colorOf(value: number): RGBA;
}

const NO_UNITS: FeatureCollection<Polygon, UnitProps> = { type: 'FeatureCollection', features: [] };

export function unitsOf(
	input: Pick<GridsInput, 'districts' | 'streets' | 'communities' | 'grids'>,
	level: AreaLevel
): FeatureCollection<Polygon | MultiPolygon, UnitProps> {
	if (level === 'district') return input.districts ?? NO_UNITS;
	return level === 'grid' ? input.grids : level === 'community' ? input.communities : input.streets;
}

/** The mapped value per unit: incidents per km², the plain count, or per 1,000 residents. */
export function choroplethValues(
	units: { properties: UnitProps }[],
	counts: Uint32Array,
	metric: ChoroplethMetric
): Float32Array {
	const values = new Float32Array(units.length);
	units.forEach((f, i) => {
		const n = counts[i] ?? 0;
		const { areaKm2, population } = f.properties;
		values[i] =
			metric === 'count'
				? n
				: metric === 'density'
					? areaKm2 > 0
						? n / areaKm2
						: 0
					: population > 0
						? (n * 1000) / population
						: 0;
	});
	return values;
}

/**
 * Quantile classes, so every colour covers about as many units. The smallest value (most often
 * 0: no incidents) is a class of its own, in the lowest colour, and the quantiles are taken over
 * the units above it: where most units have no incident, the quantiles of all units would all be
 * 0, and the few units that do have incidents would look like the rest (or, with boundaries
 * equal to 0, the empty units would take the top colour). Repeated boundaries collapse; the
 * classes left take colours spread over the whole ramp; one class when every unit has the same
 * value. `integer` (plain counts): boundaries are whole numbers (a class "from 1.2" of counts
 * means "from 2", and the legend says so).
 */
export function classScale(values: Float32Array, integer = false): ClassScale {
	const all = Array.from(values);
	const min = all.length ? Math.min(...all) : 0;
	const above = all.filter((v) => v > min);
	const thresholds: number[] = [];
	if (above.length) {
		const lowest = Math.min(...above);
		const quantiles = scaleQuantile<RGBA>().domain(above).range(DENSITY_RAMP.slice(1)).quantiles();
		const breaks = integer ? quantiles.map((q) => Math.ceil(q)) : quantiles;
		thresholds.push(lowest, ...new Set(breaks.filter((q) => q > lowest)));
		thresholds.sort((a, b) => a - b);
	}
	const last = DENSITY_RAMP.length - 1;
	const colors = thresholds.length
		? Array.from(
				{ length: thresholds.length + 1 },
				(_, k) => DENSITY_RAMP[Math.round((k * last) / thresholds.length)]
			)
		: [DENSITY_RAMP[0]];
	const colorOf = (v: number): RGBA => {
		let k = 0;
		while (k < thresholds.length && v >= thresholds[k]) k++;
		return colors[k];
	};
	return { thresholds, colors, colorOf };
}

const NO_DATA: RGBA = [40, 50, 70, 90];

/**
 * The choropleth fades as you zoom in, so the basemap's streets and labels (drawn under deck.gl)
 * stay readable where they matter.
 */
export function fillOpacity(zoom: number): number {
	return zoom < 10 ? 0.9 : zoom < 12 ? 0.7 : zoom < 14 ? 0.5 : 0.35;
}

export function gridsLayers(input: GridsInput) {
	const { streets, communities, grids, choropleth, zoom, visible } = input;
	const districts = input.districts?.features.length ? input.districts : null;
	const units = unitsOf(input, choropleth.level);
	const values = choropleth.counts
		? choroplethValues(units.features, choropleth.counts, choropleth.metric)
		: null;
	const scale = values ? classScale(values, choropleth.metric === 'count') : null;
	const indexOf = new Map(units.features.map((f, i) => [f.properties.id, i]));
	const fillColor = (f: Unit): RGBA => {
		const i = indexOf.get(f.properties.id);
		return scale && values && i !== undefined ? scale.colorOf(values[i]) : NO_DATA;
	};

	return [
		new GeoJsonLayer<UnitProps>({
			id: GRID_LAYER_IDS.fill,
			data: units,
			visible,
			pickable: true,
			stroked: false,
			filled: true,
			opacity: fillOpacity(zoom),
			getFillColor: fillColor as (f: Feature) => RGBA,
			autoHighlight: true,
			highlightColor: [255, 255, 255, 60],
			updateTriggers: { getFillColor: [choropleth.counts, choropleth.metric] }
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
		}),
		...(districts
			? [
					new GeoJsonLayer({
						id: GRID_LAYER_IDS.district,
						data: districts,
						visible,
						filled: false,
						stroked: true,
						getLineColor: BOUNDARY_COLORS.district,
						getLineWidth: zoom >= GRID_MIN_ZOOM ? 4 : 3,
						lineWidthUnits: 'pixels',
						updateTriggers: { getLineWidth: [zoom >= GRID_MIN_ZOOM] }
					}),
					new GeoJsonLayer({
						id: GRID_LAYER_IDS.districtFill,
						data: districts,
						visible: visible && zoom < DISTRICT_PICK_MAX_ZOOM,
						pickable: true,
						stroked: false,
						filled: true,
						// Almost clear: the choropleth shows through, the click lands on the district.
						getFillColor: [255, 255, 255, 1],
						autoHighlight: true,
						highlightColor: [255, 230, 168, 40]
					})
				]
			: [])
	];
}
