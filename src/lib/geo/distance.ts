/**
 * Great-circle distance in metres between two [lon, lat] points (WGS84 degrees). The one
 * distance both sides use for "how far" and "who is nearest": the drill panel, dispatch, the
 * simulator and the alert rules. (Lane distances, over a few kilometres, use the local
 * projection in server/alerts/rules.ts.)
 */
import { distance } from '@turf/turf';

export type LonLat = readonly [number, number];

export function distanceM(a: LonLat, b: LonLat): number {
	return distance(a as [number, number], b as [number, number], { units: 'kilometers' }) * 1000;
}
