/**
 * A patrol unit's 24-hour track: where it is at a time of day. One interpolation for the map's
 * replay, the simulator's reported positions and dispatch when the simulator is off.
 */
import { DAY_SECONDS } from '$lib/domain/time';

/** Positions at seconds since local (CST) midnight, ascending. */
export interface Track {
	lon: number[];
	lat: number[];
	t: number[];
}

/**
 * Position at `t` seconds since midnight (wrapped into one day), linearly between samples;
 * before the first and after the last sample the unit stands at that end. NaN for an empty track.
 */
export function positionAt(track: Track, t: number): [number, number] {
	const { lon, lat, t: times } = track;
	if (times.length === 0) return [NaN, NaN];
	const time = ((t % DAY_SECONDS) + DAY_SECONDS) % DAY_SECONDS;
	if (time <= times[0]) return [lon[0], lat[0]];
	const last = times.length - 1;
	if (time >= times[last]) return [lon[last], lat[last]];
	let lo = 0;
	let hi = last;
	while (hi - lo > 1) {
		const mid = (lo + hi) >> 1;
		if (times[mid] <= time) lo = mid;
		else hi = mid;
	}
	const f = (time - times[lo]) / (times[hi] - times[lo] || 1);
	return [lon[lo] + (lon[hi] - lon[lo]) * f, lat[lo] + (lat[hi] - lat[lo]) * f];
}
