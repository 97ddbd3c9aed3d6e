/**
 * Personal data the wall (role `wall`) must not receive, removed on the server:
 * - grids.geojson: the grid worker's name and phone (`workerName`, `workerPhone`);
 * - hazmat-sites.geojson: the site's responsible person and phone;
 * - incident records on the live feed: the free-text `description` (reporters write names,
 *   phone numbers and addresses into it). The snapshot (incidents.arrow) carries no text;
 * - staff names: who acknowledged an alert (`ackedBy`, GET /api/alerts and `alerts` events),
 *   who pushed the wall's view (`by`, GET /api/wall/follow and `wall` events) and who
 *   published a grid plan (`publishedBy`, `plan` events).
 * This file is the one place that decides what the wall may see. A case's detail (GET /api/incidents/{id}: assignees, trail) is refused to the wall outright.
 */
import type { Role } from '$lib/domain/auth';
import { CITY_FILES } from '$lib/domain/city';
import type { Alert, LiveEvent, WallState } from '$lib/domain/live';

export function masksPersonalData(role: Role | null | undefined): boolean {
	return role === 'wall';
}

/** Property names removed per city file for the wall. */
export const MASKED_PROPERTIES: Partial<Record<string, readonly string[]>> = {
	[CITY_FILES.grids]: ['workerName', 'workerPhone'],
	[CITY_FILES.hazmatSites]: ['responsibleName', 'responsiblePhone']
};

/** An alert as the wall may see it: not who acknowledged it. */
export function maskAlert(alert: Alert): Alert {
	return alert.ackedBy === null ? alert : { ...alert, ackedBy: null };
}

/** The wall's follow state as the wall may see it: not who pushed the view. */
export function maskWallState<T extends WallState>(state: T): T {
	return state.mode === 'follow' ? { ...state, by: null } : state;
}

/** The event as the wall may see it (the same object when nothing in it is personal). */
export function maskEvent(event: LiveEvent): LiveEvent {
	switch (event.type) {
		case 'incidents':
			return { ...event, incidents: event.incidents.map((r) => ({ ...r, description: null })) };
		case 'alerts':
			return { ...event, alerts: event.alerts.map(maskAlert) };
		case 'wall':
			return maskWallState(event);
		case 'plan':
			return { ...event, publishedBy: null };
		default:
			return event;
	}
}
