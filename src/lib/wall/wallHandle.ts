/** Installs `window.__WALL__` (map/handle.ts), read-only, for the wall's e2e and soak tests. */
import '$lib/map/handle';
import { clusterTotal } from '$lib/live/questions';
import type { WallSession } from './wallSession.svelte';

export function installWallHandle(wall: WallSession): void {
	const { session, scene } = wall;
	window.__WALL__ = {
		clusterTotal: () => clusterTotal(wall.clusters),
		stop: () => wall.stop?.label ?? null,
		zoom: () => scene.mapState.zoom,
		ticker: () => wall.ticker.length,
		live: () => session.liveConnected,
		error: () => session.error ?? session.queryError,
		dataVersion: () => session.dataVersion,
		revoked: () => wall.revoked
	};
}
