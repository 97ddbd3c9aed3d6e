/**
 * Alerts layer: open alerts (an incident in a hazmat risk radius, a hazmat vehicle off its lane)
 * as red rings, and overdue cases as amber squares. Pure: (alerts, overdue cases) → deck.gl layers.
 */
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Alert, CaseRecord } from '$lib/domain/live';

export const ALERT_LAYER_IDS = { alerts: 'alerts-open', overdue: 'alerts-overdue' } as const;

export interface AlertsInput {
	alerts: Alert[];
	overdue: CaseRecord[];
	visible: boolean;
}

export function alertsLayers({ alerts, overdue, visible }: AlertsInput) {
	return [
		new ScatterplotLayer<CaseRecord>({
			id: ALERT_LAYER_IDS.overdue,
			data: overdue,
			visible,
			pickable: true,
			getPosition: (c) => [c.lon, c.lat],
			radiusUnits: 'pixels',
			getRadius: 7,
			filled: false,
			stroked: true,
			lineWidthUnits: 'pixels',
			getLineWidth: 2,
			getLineColor: [254, 202, 87, 230]
		}),
		new ScatterplotLayer<Alert>({
			id: ALERT_LAYER_IDS.alerts,
			data: alerts,
			visible,
			pickable: true,
			getPosition: (a) => [a.lon, a.lat],
			radiusUnits: 'pixels',
			getRadius: 16,
			filled: true,
			getFillColor: [255, 23, 68, 60],
			stroked: true,
			lineWidthUnits: 'pixels',
			getLineWidth: 3,
			getLineColor: [255, 23, 68, 255]
		})
	];
}
