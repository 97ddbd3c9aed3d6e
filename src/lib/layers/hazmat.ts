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
import { HAZMAT_LANE_COLOR, RISK_LEVEL_COLORS } from './palette';

export const HAZMAT_LAYER_IDS = {
	lanes: 'hazmat-lanes',
	rings: 'hazmat-rings',
	sites: 'hazmat-sites'
} as const;

export interface HazmatInput {
	sites: HazmatSiteCollection;
	lanes: HazmatLaneCollection;
	visible: boolean;
}

type Site = Feature<Point, HazmatSiteProps>;
type Lane = Feature<LineString, HazmatLaneProps>;

const riskColor = (s: Site) => RISK_LEVEL_COLORS[s.properties.riskLevel];

export function hazmatLayers({ sites, lanes, visible }: HazmatInput) {
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
		})
	];
}
