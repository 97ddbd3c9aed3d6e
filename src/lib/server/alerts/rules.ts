/**
 * Pure alert rules on positions (no database), so they can be tested by driving a position
 * through them. Distances use a local equirectangular projection: exact to well under a metre
 * over the few kilometres of a lane, and cheap enough for every vehicle every 2 s.
 */
import { OFF_LANE_THRESHOLD_M } from '$lib/domain/live';

export { OFF_LANE_THRESHOLD_M };

const R = 6_371_008.8; // mean Earth radius, metres
const RAD = Math.PI / 180;

/** Metres from a point to a polyline of [lon, lat] vertices. */
export function distanceToLineM(
	lon: number,
	lat: number,
	line: readonly [number, number][]
): number {
	const kx = Math.cos(lat * RAD) * RAD * R;
	const ky = RAD * R;
	let best = Infinity;
	for (let i = 0; i < line.length; i++) {
		const ax = (line[i][0] - lon) * kx;
		const ay = (line[i][1] - lat) * ky;
		if (i === line.length - 1) {
			if (line.length === 1) best = Math.hypot(ax, ay);
			break;
		}
		const bx = (line[i + 1][0] - lon) * kx;
		const by = (line[i + 1][1] - lat) * ky;
		const dx = bx - ax;
		const dy = by - ay;
		const len2 = dx * dx + dy * dy;
		// The closest point of segment a→b to the origin (the vehicle).
		const f = len2 > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2)) : 0;
		best = Math.min(best, Math.hypot(ax + f * dx, ay + f * dy));
	}
	return best;
}

export interface OffLaneState {
	/** Vehicles currently off their lane (an alert was raised when each left it). */
	off: Set<string>;
}

export interface OffLaneHit {
	vehicleId: string;
	laneId: string;
	lon: number;
	lat: number;
	distanceM: number;
}

/**
 * The off-lane rule: a vehicle farther than `threshold` from its lane raises one alert when it
 * leaves the lane, not one every 2 s while it stays off; coming back re-arms it.
 */
export function offLaneRule(
	state: OffLaneState,
	v: { id: string; laneId: string; lon: number; lat: number },
	lane: readonly [number, number][],
	threshold = OFF_LANE_THRESHOLD_M
): OffLaneHit | null {
	const d = distanceToLineM(v.lon, v.lat, lane);
	if (d <= threshold) {
		state.off.delete(v.id);
		return null;
	}
	if (state.off.has(v.id)) return null;
	state.off.add(v.id);
	return { vehicleId: v.id, laneId: v.laneId, lon: v.lon, lat: v.lat, distanceM: d };
}
