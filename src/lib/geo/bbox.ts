/**
 * Bounding boxes, one definition for the whole app: `[west, south, east, north]` in degrees
 * (the order of GeoJSON's `bbox` and of MapLibre's fitBounds), over every ring of a Polygon or
 * MultiPolygon, so an island or an enclave counts.
 */
import type { MultiPolygon, Polygon } from 'geojson';

export type Bbox = [west: number, south: number, east: number, north: number];

export function bboxOf(geometry: Polygon | MultiPolygon): Bbox {
	let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
	const rings = geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
	for (const ring of rings) {
		for (const [x, y] of ring) {
			w = Math.min(w, x);
			s = Math.min(s, y);
			e = Math.max(e, x);
			n = Math.max(n, y);
		}
	}
	return [w, s, e, n];
}

/** The box around all the boxes (null for none). */
export function unionBbox(boxes: readonly Bbox[]): Bbox | null {
	if (boxes.length === 0) return null;
	return [
		Math.min(...boxes.map((b) => b[0])),
		Math.min(...boxes.map((b) => b[1])),
		Math.max(...boxes.map((b) => b[2])),
		Math.max(...boxes.map((b) => b[3]))
	];
}
