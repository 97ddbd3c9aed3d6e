/**
 * Patrol units on the map are the server's: the positions and statuses of its last `patrols`
 * event, which are the ones dispatch ranks. Without a fresh report the map falls back to each
 * unit's track at the real time of day (where the server's dispatch places it too); the patrol
 * clock's replay shows the past. Pure.
 */
import type { PatrolUnit } from '$lib/domain/city';
import type { PatrolPosition } from '$lib/domain/live';
import { cstSecondsOfDay } from '$lib/domain/time';

/** The positions the server last reported in a `patrols` event. */
export interface LivePatrols {
	/** When the server took the positions (epoch ms). */
	t: number;
	byId: ReadonlyMap<string, PatrolPosition>;
	/** When the page received them (epoch ms, the page's clock). */
	receivedAt: number;
}

export function livePatrols(t: number, units: PatrolPosition[], receivedAt = Date.now()) {
	return { t, byId: new Map(units.map((u) => [u.id, u])), receivedAt } satisfies LivePatrols;
}

/** The simulator reports every 2 s; a report older than this no longer says where units are. */
export const LIVE_PATROLS_MAX_AGE_MS = 15_000;

/**
 * What the patrol layer shows:
 * - `live`: the server's reported positions and statuses, the units that dispatch picks from;
 * - `tracks`: no live report (simulator off, feed lost): each unit where its 24-hour track puts
 *   it now, which is where the server's dispatch places it too;
 * - `replay`: the past, at the patrol clock's time (`?clock=HH:MM`, `?speed=`).
 */
export interface PatrolFrame {
	mode: 'live' | 'tracks' | 'replay';
	/** Seconds since CST midnight: the trails' end, and the track positions without `live`. */
	timeOfDay: number;
	live: ReadonlyMap<string, PatrolPosition> | null;
}

export function patrolFrame(
	clock: { timeOfDay: number; replay: boolean },
	live: LivePatrols | null,
	now: number
): PatrolFrame {
	if (clock.replay) return { mode: 'replay', timeOfDay: clock.timeOfDay, live: null };
	if (live && now - live.receivedAt <= LIVE_PATROLS_MAX_AGE_MS)
		return { mode: 'live', timeOfDay: cstSecondsOfDay(live.t), live: live.byId };
	return { mode: 'tracks', timeOfDay: clock.timeOfDay, live: null };
}

/** Units not on standby, by the server's reported status where there is one. */
export function activeUnits(
	units: PatrolUnit[],
	live: ReadonlyMap<string, PatrolPosition> | null
): number {
	return units.filter((u) => (live?.get(u.id)?.status ?? u.status) !== 'standby').length;
}
