/**
 * The exact step of "incidents inside a drawn polygon": SQL prefilters by bounding box, this
 * keeps the candidates that lie inside (turf's ray casting; holes excluded, points on the
 * boundary count as inside, as a duty officer drawing around a block would expect).
 */
import { booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { bboxOf } from './bbox';

/** Indexes (into lon/lat) of the points inside the polygon. */
export function pointsInside(
	lon: ArrayLike<number>,
	lat: ArrayLike<number>,
	geometry: Polygon | MultiPolygon
): Uint32Array {
	const [w, s, e, n] = bboxOf(geometry);
	const inside: number[] = [];
	const point: [number, number] = [0, 0];
	for (let i = 0; i < lon.length; i++) {
		const x = lon[i];
		const y = lat[i];
		if (x < w || x > e || y < s || y > n) continue;
		point[0] = x;
		point[1] = y;
		if (booleanPointInPolygon(point, geometry)) inside.push(i);
	}
	return Uint32Array.from(inside);
}
