/**
 * Patrols layer: routes by mode (land / sea / air), each unit's recent trail, and the unit
 * itself at the position its 24-hour track gives for the current time of day.
 * Pure: (patrols, time of day in seconds) → deck.gl layers.
 */
import { PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import { TripsLayer } from '@deck.gl/geo-layers';
import type { PatrolMode, PatrolRoute, PatrolUnit, Patrols } from '$lib/domain/city';
import { DAY_SECONDS } from '$lib/domain/time';
import { PATROL_MODE_COLORS } from './palette';

export const PATROL_LAYER_IDS = {
	routes: 'patrols-routes',
	trails: 'patrols-trails',
	units: 'patrols-units'
} as const;

export { DAY_SECONDS };
/** How much of the past a trail shows, in seconds. */
export const TRAIL_SECONDS = 900;

export interface PatrolsInput {
	patrols: Patrols;
	/** Seconds since local midnight, 0..86400. */
	timeOfDay: number;
	visible: boolean;
}

/** Position of a unit at `t` (seconds since midnight), linearly between track samples. */
export function positionAt(unit: PatrolUnit, t: number): [number, number] {
	const { lon, lat, t: times } = unit.track;
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

/** Unit positions at `t` as one flat [lon, lat, lon, lat, …] array (a deck.gl binary attribute). */
export function unitPositions(units: PatrolUnit[], t: number): Float32Array {
	const out = new Float32Array(units.length * 2);
	units.forEach((unit, i) => out.set(positionAt(unit, t), i * 2));
	return out;
}

const modeColor = (mode: PatrolMode) => PATROL_MODE_COLORS[mode];

export function patrolsLayers({ patrols, timeOfDay, visible }: PatrolsInput) {
	const { routes, units } = patrols;
	const positions = unitPositions(units, timeOfDay);
	return [
		new PathLayer<PatrolRoute>({
			id: PATROL_LAYER_IDS.routes,
			data: routes,
			visible,
			pickable: true,
			getPath: (r) => r.path,
			getColor: (r) => {
				const [red, green, blue] = modeColor(r.mode);
				return [red, green, blue, r.mode === 'air' ? 110 : 150];
			},
			getWidth: (r) => (r.mode === 'land' ? 3 : 2),
			widthUnits: 'pixels',
			widthMinPixels: 1.5
		}),
		new TripsLayer<PatrolUnit>({
			id: PATROL_LAYER_IDS.trails,
			data: units,
			visible,
			getPath: (u) => u.track.lon.map((lon, i) => [lon, u.track.lat[i]] as [number, number]),
			getTimestamps: (u) => u.track.t,
			getColor: (u) => modeColor(u.mode),
			currentTime: timeOfDay,
			trailLength: TRAIL_SECONDS,
			fadeTrail: true,
			widthUnits: 'pixels',
			getWidth: 4,
			capRounded: true,
			jointRounded: true
		}),
		new ScatterplotLayer<PatrolUnit>({
			id: PATROL_LAYER_IDS.units,
			data: units,
			visible,
			pickable: true,
			// Positions change every frame; recomputed for the few dozen units via updateTriggers.
			getPosition: (_u, { index }) => [positions[index * 2], positions[index * 2 + 1]],
			getFillColor: (u) => modeColor(u.mode),
			getLineColor: [255, 255, 255, 255],
			stroked: true,
			lineWidthMinPixels: 1.5,
			radiusUnits: 'pixels',
			getRadius: (u) => (u.status === 'responding' ? 8 : 6),
			updateTriggers: { getPosition: [timeOfDay] }
		})
	];
}
