/**
 * `window.__ONEMAP__`: a read-only handle on the command map for the e2e tests and the benchmark.
 * Nothing can be changed through it; it only reports what the page holds.
 */
import type { ClusterView } from '$lib/engine/clusterIndex';
import type { LoadSummary } from '$lib/engine/engine';

export interface OneMapHandle {
	zoom(): number;
	/** Frames deck.gl has drawn so far. */
	deckFrames(): number;
	/** performance.now() of the latest deck.gl frame. */
	lastFrameAt(): number;
	/** How long deck.gl took to draw its latest frame, ms. */
	lastFrameMs(): number;
	/** performance.now() when the latest cluster view arrived. */
	clustersAt(): number;
	/** Whether queries are running or waiting. */
	busy(): boolean;
	/** How long the latest cluster query took (engine only, without drawing), ms. */
	clusterQueryMs(): number;
	deckLayers(): Record<string, boolean>;
	/** Names MapLibre has placed on screen in a symbol layer (e.g. `district-labels`). */
	renderedLabels(layerId: string): string[];
	/** The city's 区/县 (empty without that level): names and label points. */
	districts(): { id: string; name: string; label: [number, number] }[];
	/** Screen position (relative to the map) of a coordinate. */
	project(lonLat: [number, number]): { x: number; y: number };
	incidentTotal(): number | null;
	loadSummary(): LoadSummary | null;
	/** Incidents passing the current filter. */
	matching(): number | null;
	/** Sum of the counts of the clusters and single incidents drawn. */
	clusterTotal(): number | null;
	clusterView(): ClusterView | null;
	/** Screen position (relative to the map) and size of the biggest cluster drawn. */
	largestCluster(): { x: number; y: number; count: number } | null;
	/** Times one run of each heavy query against the current filter, in ms. */
	timeQueries(): Promise<Record<'gridAggregateMs' | 'hotspotsMs' | 'radiusMs', number>>;
	/** Ids of the grids the map holds (they change in place when a grid plan is published). */
	gridIds(communityId: string): string[];
}

declare global {
	interface Window {
		__ONEMAP__?: OneMapHandle;
	}
}

/** The benchmark baseline page's handle (`/bench/baseline`). */
export interface BaselineHandle {
	count: number;
	firstRenderMs: number;
	/** Re-renders with the incidents of the last `days` days; resolves with the ms it took. */
	lastDays(days: number): Promise<number>;
	/** Re-renders with one incident type (or all); resolves with the ms it took. */
	onlyType(type: number | null): Promise<number>;
}

declare global {
	interface Window {
		__BASELINE__?: BaselineHandle;
	}
}

/** The wall's handle (`/wall`), for its e2e and soak tests. */
export interface WallHandle {
	clusterTotal(): number | null;
	/** The label of the tour stop on screen. */
	stop(): string | null;
	zoom(): number;
	ticker(): number;
	live(): boolean;
	/** The error the wall shows, if any. */
	error(): string | null;
	/** Live batches that reached the engine so far. */
	dataVersion(): number;
	/** The wall's device token was revoked: it shows 设备已停用 and has stopped. */
	revoked(): boolean;
}

declare global {
	interface Window {
		__WALL__?: WallHandle;
	}
}

/** The grid planner's handle (`/plan`), read-only, for its e2e test. */
export interface PlanHandle {
	/** The community being planned, once its plan and the map are loaded. */
	communityId(): string | null;
	ready(): boolean;
	/** The draft's grids (ids and outer rings, copies). */
	grids(): { id: string; name: string; ring: [number, number][] }[];
	canUndo(): boolean;
	canRedo(): boolean;
	/** Whether the draft differs from what the server has. */
	dirty(): boolean;
	/** The server draft's version this page edits (null when there is none). */
	draftVersion(): number | null;
	publishedVersion(): number | null;
	/** Per-grid balance of the current draft (null until incidents are loaded). */
	balance(): { id: string; incidents: number; workload: number; deviation: number }[] | null;
	tool(): string;
	/** Reason constant of the latest refused edit, if any. */
	lastRefusal(): string | null;
	/** Screen position (relative to the map) of a coordinate. */
	project(lonLat: [number, number]): { x: number; y: number };
}

declare global {
	interface Window {
		__PLAN__?: PlanHandle;
	}
}
