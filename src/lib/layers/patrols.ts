/**
 * Patrols layer: routes by mode (land / sea / air), each unit's recent trail, and the unit
 * itself where the server last reported it (live) or where its 24-hour track puts it at the
 * patrol clock's time (replay). Pure: (patrols, time of day, live positions) → deck.gl layers.
 */
import { PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import { TripsLayer } from '@deck.gl/geo-layers';
import type { PatrolMode, PatrolRoute, PatrolUnit, Patrols } from '$lib/domain/city';
import type { PatrolPosition } from '$lib/domain/live';
import { positionAt } from '$lib/geo/track';
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
	/** Seconds since local midnight, 0..86400: the trails' end and, without `live`, the units' place. */
	timeOfDay: number;
	/**
	 * The positions and statuses the server last reported (`patrols` events), by unit id: the
	 * units the server dispatches. Null when replaying (patrol clock) or with no live feed.
	 */
	live?: ReadonlyMap<string, PatrolPosition> | null;
	visible: boolean;
}

/** Where each unit is drawn: the server's reported position when it has one, else its track. */
export function unitPositions(
	units: PatrolUnit[],
	t: number,
	live: ReadonlyMap<string, PatrolPosition> | null = null
): Float32Array {
	const out = new Float32Array(units.length * 2);
	units.forEach((unit, i) => {
		const p = live?.get(unit.id);
		out.set(p ? [p.lon, p.lat] : positionAt(unit.track, t), i * 2);
	});
	return out;
}

const drawnCache = new WeakMap<
	ReadonlyMap<string, PatrolPosition>,
	{ units: PatrolUnit[]; drawn: PatrolUnit[] }
>();

/**
 * The units with the status the server reported (the tooltip and the symbol say "responding"
 * for the unit the server holds). One array per report, so the layer's data changes only
 * when a report arrives, not with every clock tick.
 */
export function withLiveStatus(
	units: PatrolUnit[],
	live: ReadonlyMap<string, PatrolPosition> | null
): PatrolUnit[] {
	if (!live) return units;
	const hit = drawnCache.get(live);
	if (hit?.units === units) return hit.drawn;
	const drawn = units.map((u) => {
		const status = live.get(u.id)?.status;
		return status && status !== u.status ? { ...u, status } : u;
	});
	drawnCache.set(live, { units, drawn });
	return drawn;
}

const modeColor = (mode: PatrolMode) => PATROL_MODE_COLORS[mode];

export function patrolsLayers({ patrols, timeOfDay, live = null, visible }: PatrolsInput) {
	const { routes, units } = patrols;
	const positions = unitPositions(units, timeOfDay, live);
	const drawn = withLiveStatus(units, live);
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
			data: drawn,
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
			updateTriggers: { getPosition: [timeOfDay, live] }
		})
	];
}
