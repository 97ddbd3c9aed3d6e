/**
 * Hazmat layer: hazardous-chemical sites by risk level, their risk-radius rings (in metres),
 * and the dedicated transport lanes.
 * Pure: (sites, lanes) → deck.gl layers.
 */
import { PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Feature, LineString, Point } from 'geojson';
import type {
	HazmatLaneCollection,
	HazmatLaneProps,
	HazmatSiteCollection,
	HazmatSiteProps
} from '$lib/domain/city';
import { OFF_LANE_THRESHOLD_M, type VehiclePosition } from '$lib/domain/live';
import { HAZMAT_LANE_COLOR, RISK_LEVEL_COLORS } from './palette';

export const HAZMAT_LAYER_IDS = {
	lanes: 'hazmat-lanes',
	rings: 'hazmat-rings',
	sites: 'hazmat-sites',
	vehicles: 'hazmat-vehicles'
} as const;

export interface HazmatInput {
	sites: HazmatSiteCollection;
	lanes: HazmatLaneCollection;
	/** Transport vehicles from the live feed; off their lane beyond the threshold: red. */
	vehicles?: VehiclePosition[];
	visible: boolean;
}

type Site = Feature<Point, HazmatSiteProps>;
type Lane = Feature<LineString, HazmatLaneProps>;

const riskColor = (s: Site) => RISK_LEVEL_COLORS[s.properties.riskLevel];

export function hazmatLayers({ sites, lanes, vehicles = [], visible }: HazmatInput) {
	return [
		new PathLayer<Lane>({
			id: HAZMAT_LAYER_IDS.lanes,
			data: lanes.features,
			visible,
			pickable: true,
			getPath: (l) => l.geometry.coordinates as [number, number][],
			getColor: HAZMAT_LANE_COLOR,
			getWidth: 3,
			widthUnits: 'pixels',
			capRounded: true,
			jointRounded: true
		}),
		new ScatterplotLayer<Site>({
			id: HAZMAT_LAYER_IDS.rings,
			data: sites.features,
			visible,
			getPosition: (s) => s.geometry.coordinates as [number, number],
			getRadius: (s) => s.properties.riskRadiusM,
			radiusUnits: 'meters',
			stroked: true,
			filled: true,
			getFillColor: (s) => {
				const [r, g, b] = riskColor(s);
				return [r, g, b, 28];
			},
			getLineColor: (s) => {
				const [r, g, b] = riskColor(s);
				return [r, g, b, 180];
			},
			lineWidthUnits: 'pixels',
			getLineWidth: 1.5
		}),
		new ScatterplotLayer<Site>({
			id: HAZMAT_LAYER_IDS.sites,
			data: sites.features,
			visible,
			pickable: true,
			getPosition: (s) => s.geometry.coordinates as [number, number],
			getFillColor: riskColor,
			getLineColor: [20, 20, 20, 255],
			stroked: true,
			lineWidthMinPixels: 1,
			radiusUnits: 'pixels',
			getRadius: (s) => 9 - s.properties.riskLevel
		}),
		new ScatterplotLayer<VehiclePosition>({
			id: HAZMAT_LAYER_IDS.vehicles,
			data: vehicles,
			visible,
			pickable: true,
			getPosition: (v) => [v.lon, v.lat],
			getFillColor: (v) =>
				v.offLaneM > OFF_LANE_THRESHOLD_M ? [255, 23, 68, 255] : HAZMAT_LANE_COLOR,
			getLineColor: [255, 255, 255, 255],
			stroked: true,
			lineWidthMinPixels: 1.5,
			radiusUnits: 'pixels',
			getRadius: 6
		})
	];
}
