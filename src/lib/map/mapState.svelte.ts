import type { Bbox } from '$lib/geo/bbox';

export type { Bbox };

/**
 * What the rest of the page needs to know about the map, updated when a move ends
 * (not on every frame). The page's scene (live/mapScene.svelte.ts) holds one and hands it to
 * the map and the panels.
 */
export class MapState {
	ready = $state(false);
	zoom = $state(0);
	center = $state<[number, number]>([0, 0]);
	bbox = $state<Bbox>([0, 0, 0, 0]);
	/** Set by the map component; calls go to MapLibre. */
	flyTo: (center: [number, number], zoom: number) => void = () => {};
	fitBounds: (bbox: Bbox) => void = () => {};
	/** Screen position (CSS pixels, relative to the map) of a coordinate. */
	project: (lonLat: [number, number]) => { x: number; y: number } = () => ({ x: 0, y: 0 });
	/** Frames deck.gl has drawn (plain field: read by tests and the benchmark, not by the UI). */
	deckFrames = 0;
	/** performance.now() of the latest deck.gl frame (plain field, like deckFrames). */
	lastFrameAt = 0;
	/** How long deck.gl took to draw its latest frame, ms. */
	lastFrameMs = 0;
	/** Visibility of every deck.gl layer by id, as deck.gl holds it. */
	deckLayers: () => Record<string, boolean> = () => ({});
	/** Names MapLibre has placed on screen in a symbol layer (for tests: what is legible). */
	renderedLabels: (layerId: string) => string[] = () => [];
}
