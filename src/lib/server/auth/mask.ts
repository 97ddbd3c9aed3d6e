/**
 * Personal data the wall (role `wall`) must not receive, removed on the server:
 * - grids.geojson: the grid worker's name and phone (`workerName`, `workerPhone`);
 * - hazmat-sites.geojson: the site's responsible person and phone;
 * - incident records on the live feed: the free-text `description` (reporters write names,
 *   phone numbers and addresses into it). The snapshot (incidents.arrow) carries no text.
 * A case's detail (GET /api/incidents/{id}: assignees, trail) is refused to the wall outright.
 */
import type { Role } from '$lib/domain/auth';
import { CITY_FILES } from '$lib/domain/city';
import type { LiveEvent } from '$lib/domain/live';

export function masksPersonalData(role: Role | null | undefined): boolean {
	return role === 'wall';
}

/** Property names removed per city file for the wall. */
export const MASKED_PROPERTIES: Partial<Record<string, readonly string[]>> = {
	[CITY_FILES.grids]: ['workerName', 'workerPhone'],
	[CITY_FILES.hazmatSites]: ['responsibleName', 'responsiblePhone']
};

/** The event as the wall may see it (the same object when nothing in it is personal). */
export function maskEvent(event: LiveEvent): LiveEvent {
	if (event.type !== 'incidents') return event;
	return { ...event, incidents: event.incidents.map((r) => ({ ...r, description: null })) };
}
