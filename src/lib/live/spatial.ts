/**
 * The shape of a spatial question as the officer clicks it on the map: a radius around a point,
 * the K nearest to a point, or a polygon closed by clicking its first vertex again. Pure.
 */
import type { PointSet } from '$lib/engine/queries';
import type { SelectionShape } from '$lib/layers/selection';

export type SpatialMode = 'off' | 'radius' | 'polygon' | 'nearest';

/** The incidents answering a spatial question (with their distance where it is a radius). */
export interface SpatialResult {
	count: number;
	points: PointSet & { distanceM?: Float64Array };
}

/** A click this close (CSS px) to a polygon's first vertex closes it. */
export const CLOSE_POLYGON_PX = 12;

export interface ShapeStep {
	shape: SelectionShape | null;
	/** The previous answer no longer fits the shape (a vertex was added). */
	clearResult: boolean;
}

/** The shape after a click at `lonLat` (`screen`: where on the map, to close a polygon). */
export function nextShape(
	mode: SpatialMode,
	shape: SelectionShape | null,
	lonLat: [number, number],
	screen: [number, number],
	radiusM: number,
	project: (lonLat: [number, number]) => { x: number; y: number }
): ShapeStep {
	if (mode === 'radius')
		return { shape: { kind: 'circle', center: lonLat, radiusM }, clearResult: false };
	if (mode === 'nearest') return { shape: { kind: 'point', center: lonLat }, clearResult: false };
	if (mode !== 'polygon') return { shape, clearResult: false };
	const open = shape?.kind === 'polygon' && !shape.closed ? shape.vertices : [];
	if (open.length >= 3) {
		const first = project(open[0]);
		if (Math.hypot(first.x - screen[0], first.y - screen[1]) < CLOSE_POLYGON_PX)
			return { shape: { kind: 'polygon', vertices: open, closed: true }, clearResult: false };
	}
	return {
		shape: { kind: 'polygon', vertices: [...open, lonLat], closed: false },
		clearResult: true
	};
}

/** A new radius applies to the circle already drawn (null: nothing to change). */
export function withRadius(shape: SelectionShape | null, radiusM: number): SelectionShape | null {
	return shape?.kind === 'circle' && shape.radiusM !== radiusM && radiusM > 0
		? { ...shape, radiusM }
		: null;
}
