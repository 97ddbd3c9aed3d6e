/**
 * Installs `window.__ONEMAP__` (map/handle.ts) for the command map's e2e tests and the
 * benchmark: read-only views of what the session holds, and a timing of the heavy queries.
 */
import {
	DEFAULT_HOTSPOT_OPTIONS,
	countsByUnit,
	emergingHotspots,
	withinRadius
} from '$lib/engine/queries';
import '$lib/map/handle';
import type { CommandMapSession } from './commandMap.svelte';
import { clusterTotal, largestCluster } from './questions';

export function installCommandMapHandle(cm: CommandMapSession): void {
	const { session, scene } = cm;
	const mapState = scene.mapState;
	window.__ONEMAP__ = {
		zoom: () => mapState.zoom,
		deckFrames: () => mapState.deckFrames,
		lastFrameAt: () => mapState.lastFrameAt,
		lastFrameMs: () => mapState.lastFrameMs,
		clustersAt: () => cm.clustersAt,
		clusterQueryMs: () => cm.clusterQueryMs,
		busy: () => session.scheduler.busy,
		deckLayers: () => mapState.deckLayers(),
		renderedLabels: (layerId) => mapState.renderedLabels(layerId),
		districts: () =>
			(cm.city?.districts.features ?? []).map((f) => ({
				id: f.properties.id,
				name: f.properties.name,
				label: [f.properties.labelLon, f.properties.labelLat]
			})),
		project: (lonLat) => mapState.project(lonLat),
		incidentTotal: () => session.total,
		gridIds: (cid) =>
			(cm.city?.grids.features ?? [])
				.filter((f) => f.properties.communityId === cid)
				.map((f) => f.properties.id),
		loadSummary: () => session.summary,
		matching: () => cm.matching,
		clusterTotal: () => clusterTotal(cm.clusters),
		clusterView: () => cm.clusters,
		largestCluster: () => {
			const biggest = largestCluster(cm.clusters);
			return biggest ? { ...mapState.project(biggest.lonLat), count: biggest.count } : null;
		},
		timeQueries: async () => {
			const [f, engine, city, full] = [cm.current(), session.engine, cm.city, session.full];
			if (!engine || !f || !city || !full) throw new Error('not loaded');
			const time = async (run: () => Promise<unknown>) => {
				const t0 = performance.now();
				await run();
				return performance.now() - t0;
			};
			const [lon, lat] = city.manifest.center;
			return {
				gridAggregateMs: await time(() =>
					countsByUnit(engine.db, f, 'grid', city.grids.features.length)
				),
				hotspotsMs: await time(() =>
					emergingHotspots(engine.db, f, { ...DEFAULT_HOTSPOT_OPTIONS, endMs: full.toMs })
				),
				radiusMs: await time(() => withinRadius(engine.db, f, lon, lat, 1000))
			};
		}
	};
}
