/**
 * The command map's spatial question: the mode the officer picked, the shape clicked on the map,
 * and the incidents inside it (re-asked when the filter, the shape or K changes). Construct it
 * during a component's initialisation.
 */
import { untrack } from 'svelte';
import type { IncidentSession } from './incidentSession.svelte';
import type { IncidentFilter } from '$lib/engine/filter';
import { nearestK, withinRadius } from '$lib/engine/queries';
import type { SelectionShape } from '$lib/layers/selection';
import { nextShape, withRadius, type SpatialMode, type SpatialResult } from './spatial';

export class SpatialSession {
	mode = $state<SpatialMode>('off');
	radiusM = $state(500);
	k = $state(10);
	shape = $state.raw<SelectionShape | null>(null);
	result = $state.raw<SpatialResult | null>(null);

	constructor(session: IncidentSession, filter: () => IncidentFilter | null) {
		$effect(() => {
			if (this.mode === 'off') untrack(() => this.clear());
		});
		$effect(() => {
			// A new radius applies to the circle already drawn.
			const r = this.radiusM;
			untrack(() => {
				const changed = withRadius(this.shape, r);
				if (changed) this.shape = changed;
			});
		});
		session.live(
			'spatial',
			1,
			() => {
				const f = filter();
				const [e, s, n] = [session.engine, this.shape, this.k];
				if (!e || !f || !s) return null;
				if (s.kind === 'circle')
					return () => withinRadius(e.db, f, s.center[0], s.center[1], s.radiusM);
				if (s.kind === 'point')
					return () =>
						nearestK(e.db, f, s.center[0], s.center[1], n).then((points) => ({
							count: points.length,
							points
						}));
				if (!s.closed) return null;
				const ring = [...s.vertices, s.vertices[0]];
				return () =>
					e
						.inPolygon(f, { type: 'Polygon', coordinates: [ring] })
						.then((points) => ({ count: points.length, points }));
			},
			(r) => (this.result = r)
		);
	}

	clear = (): void => {
		this.shape = null;
		this.result = null;
	};

	/** A click on the map while a question is drawn. */
	click(
		lonLat: [number, number],
		screen: [number, number],
		project: (lonLat: [number, number]) => { x: number; y: number }
	): void {
		const step = nextShape(this.mode, this.shape, lonLat, screen, this.radiusM, project);
		if (step.clearResult) this.result = null;
		this.shape = step.shape;
	}

	/** A hazmat site in radius mode: the incidents within its own risk radius. */
	aroundSite(center: [number, number], radiusM: number): void {
		this.radiusM = radiusM;
		this.shape = { kind: 'circle', center, radiusM };
	}
}
