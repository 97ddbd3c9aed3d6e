/**
 * `window.__PLAN__`, the planner's read-only handle for the e2e tests (`PlanHandle` in
 * `map/handle.ts`): it only reports what the session holds.
 */
import '$lib/map/handle';
import type { PlanSession } from './planSession.svelte';

/** Installs the handle over a session; answers the function that removes it. */
export function installPlanHandle(session: PlanSession): () => void {
	const s = session;
	window.__PLAN__ = {
		communityId: () => (s.plan && s.mapReady ? s.plan.community.id : null),
		ready: () => !!s.plan && !!s.draft && s.mapReady && s.incidents !== null,
		grids: () =>
			(s.draft?.grids ?? []).map((g) => ({
				id: g.properties.id,
				name: g.properties.name,
				ring: g.geometry.coordinates[0].map((p) => [p[0], p[1]] as [number, number])
			})),
		canUndo: () => s.canUndo,
		canRedo: () => s.canRedo,
		dirty: () => s.dirty,
		draftVersion: () => s.serverDraft?.version ?? null,
		publishedVersion: () => s.plan?.published.version ?? null,
		balance: () =>
			s.balance?.grids.map((g) => ({
				id: g.id,
				incidents: g.incidents,
				workload: g.workload,
				deviation: g.deviation
			})) ?? null,
		tool: () => s.tool,
		lastRefusal: () => s.refusal?.reason ?? null,
		project: (lonLat) => s.map?.project(lonLat) ?? { x: NaN, y: NaN }
	};
	return () => {
		delete window.__PLAN__;
	};
}
