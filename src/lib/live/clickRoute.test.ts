import { describe, expect, it } from 'vitest';
import { BIN, SINGLE, type ClusterView } from '$lib/engine/clusterIndex';
import { ALERT_LAYER_IDS } from '$lib/layers/alerts';
import { GRID_LAYER_IDS } from '$lib/layers/grids';
import { HAZMAT_LAYER_IDS } from '$lib/layers/hazmat';
import { INCIDENT_LAYER_IDS } from '$lib/layers/incidents';
import { clusterArea, routeClick } from './clickRoute';

const view = {
	length: 2,
	positions: Float32Array.from([120, 30, 121, 31]),
	counts: Uint32Array.from([1, 40]),
	clusterIds: Int32Array.from([SINGLE, BIN]),
	ids: Int32Array.from([77, -1])
} as unknown as ClusterView;
const ctx = { spatialMode: 'off' as const, clusters: view, zoom: 10 };
const on = (id: string, more: object = {}) => ({ layer: { id }, index: 0, x: 5, y: 6, ...more });

describe('routeClick', () => {
	it('opens an incident, or a cluster area, from the incident points', () => {
		expect(routeClick(on(INCIDENT_LAYER_IDS.points), ctx)).toEqual({
			kind: 'incident',
			id: 77,
			center: [120, 30]
		});
		const cluster = routeClick(on(INCIDENT_LAYER_IDS.points, { index: 1 }), ctx);
		expect(cluster).toEqual({
			kind: 'cluster',
			center: [121, 31],
			clusterId: BIN,
			bbox: clusterArea([121, 31], BIN, 10)
		});
		expect(routeClick(on(INCIDENT_LAYER_IDS.points), { ...ctx, clusters: null })).toBeNull();
	});

	it('drills into districts, units and alerts', () => {
		expect(routeClick(on(GRID_LAYER_IDS.districtFill, { index: 2 }), ctx)).toEqual({
			kind: 'district',
			index: 2
		});
		expect(routeClick(on(GRID_LAYER_IDS.fill, { index: 3 }), ctx)).toEqual({
			kind: 'unit',
			index: 3
		});
		const alert = { id: 9, incidentId: 12, lon: 1, lat: 2 };
		expect(routeClick(on(ALERT_LAYER_IDS.alerts, { object: alert }), ctx)).toEqual({
			kind: 'incident',
			id: 12,
			center: [1, 2]
		});
		expect(routeClick(on(ALERT_LAYER_IDS.overdue, { object: alert }), ctx)).toMatchObject({
			id: 9
		});
		const noCase = { ...alert, incidentId: null };
		expect(routeClick(on(ALERT_LAYER_IDS.alerts, { object: noCase }), ctx)).toBeNull();
		expect(routeClick({ index: -1, x: 0, y: 0 }, ctx)).toBeNull();
	});

	it('feeds a spatial question while one is drawn; a site gives its own radius', () => {
		const site = { geometry: { coordinates: [3, 4] }, properties: { riskRadiusM: 800 } };
		const radius = { ...ctx, spatialMode: 'radius' as const };
		expect(routeClick(on(HAZMAT_LAYER_IDS.sites, { object: site }), radius)).toEqual({
			kind: 'siteRadius',
			center: [3, 4],
			radiusM: 800
		});
		const polygon = { ...ctx, spatialMode: 'polygon' as const };
		expect(
			routeClick(on(HAZMAT_LAYER_IDS.sites, { object: site, coordinate: [7, 8] }), polygon)
		).toEqual({ kind: 'spatial', lonLat: [7, 8], screen: [5, 6] });
	});

	it('sizes a bin by its pixels and a supercluster cluster by its radius', () => {
		const [w, s, e, n] = clusterArea([0, 0], BIN, 0);
		expect(e - w).toBeCloseTo(90);
		expect(n - s).toBeCloseTo(90);
		const [w2, , e2] = clusterArea([0, 0], 5, 1);
		expect(e2 - w2).toBeCloseTo((360 / 512) * 120);
	});
});
