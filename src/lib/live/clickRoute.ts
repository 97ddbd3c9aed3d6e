/**
 * What a click on the command map means, decided from what deck.gl picked: pure, so every route
 * is tested without a map. The command map session carries the answer out.
 */
import { BIN, CLUSTER_RADIUS_PX, type ClusterView } from '$lib/engine/clusterIndex';
import { BIN_PX } from '$lib/engine/queries';
import type { Bbox } from '$lib/geo/bbox';
import type { HazmatSiteCollection } from '$lib/domain/city';
import { ALERT_LAYER_IDS } from '$lib/layers/alerts';
import { GRID_LAYER_IDS } from '$lib/layers/grids';
import { HAZMAT_LAYER_IDS } from '$lib/layers/hazmat';
import { INCIDENT_LAYER_IDS } from '$lib/layers/incidents';
import type { SpatialMode } from './spatial';

/** The part of deck.gl's PickingInfo a click is routed by. */
export interface Picked {
	layer?: { id: string } | null;
	index: number;
	object?: unknown;
	coordinate?: number[] | null;
	x: number;
	y: number;
}

export type ClickAction =
	/** Radius mode on a hazmat site: the incidents within the site's own risk radius. */
	| { kind: 'siteRadius'; center: [number, number]; radiusM: number }
	/** Any other click while a spatial question is being drawn. */
	| { kind: 'spatial'; lonLat: [number, number]; screen: [number, number] }
	| { kind: 'incident'; id: number; center: [number, number] }
	/** A 区/县 (its fill is picked at low zooms). */
	| { kind: 'district'; index: number }
	/** A unit of the analysis level (the choropleth's fill). */
	| { kind: 'unit'; index: number }
	/** A cluster: its area opens in the panel and the map zooms in. */
	| { kind: 'cluster'; center: [number, number]; bbox: Bbox; clusterId: number };

export function routeClick(
	info: Picked,
	ctx: { spatialMode: SpatialMode; clusters: ClusterView | null; zoom: number }
): ClickAction | null {
	const layer = info.layer?.id;
	if (ctx.spatialMode === 'radius' && layer === HAZMAT_LAYER_IDS.sites) {
		const site = info.object as HazmatSiteCollection['features'][number];
		return {
			kind: 'siteRadius',
			center: site.geometry.coordinates as [number, number],
			radiusM: site.properties.riskRadiusM
		};
	}
	if (ctx.spatialMode !== 'off' && info.coordinate)
		return {
			kind: 'spatial',
			lonLat: [info.coordinate[0], info.coordinate[1]],
			screen: [info.x, info.y]
		};
	if (layer === ALERT_LAYER_IDS.alerts || layer === ALERT_LAYER_IDS.overdue) {
		const o = info.object as { id: number; incidentId?: number | null; lon: number; lat: number };
		const id = layer === ALERT_LAYER_IDS.alerts ? o.incidentId : o.id;
		return id != null ? { kind: 'incident', id, center: [o.lon, o.lat] } : null;
	}
	if (layer === GRID_LAYER_IDS.districtFill) return { kind: 'district', index: info.index };
	if (layer === GRID_LAYER_IDS.fill) return { kind: 'unit', index: info.index };
	const view = ctx.clusters;
	if (layer !== INCIDENT_LAYER_IDS.points || !view) return null;
	const i = info.index;
	const center: [number, number] = [view.positions[i * 2], view.positions[i * 2 + 1]];
	if (view.counts[i] <= 1) return { kind: 'incident', id: view.ids[i], center };
	const clusterId = view.clusterIds[i];
	return { kind: 'cluster', center, bbox: clusterArea(center, clusterId, ctx.zoom), clusterId };
}

/** A cluster's area: its SQL bin, or supercluster's radius, around its centre at this zoom. */
export function clusterArea(center: [number, number], clusterId: number, zoom: number): Bbox {
	const halfPx = clusterId === BIN ? BIN_PX / 2 : CLUSTER_RADIUS_PX;
	const dLon = (360 / (256 * 2 ** Math.floor(zoom))) * halfPx;
	const dLat = dLon * Math.cos((center[1] * Math.PI) / 180);
	return [center[0] - dLon, center[1] - dLat, center[0] + dLon, center[1] + dLat];
}
