/**
 * The map view in a page's address (`?map=lon,lat,zoom`): an officer's link opens where it was
 * taken. The filter has its own parameters (engine/filter.ts filterToParams).
 */
import { filterToParams, type IncidentFilter } from '$lib/engine/filter';

export interface MapView {
	center: [number, number];
	zoom: number;
}

export const MAP_VIEW_PARAM = 'map';

/** The view a permalink names, or null (absent or not three numbers). */
export function parseMapView(params: URLSearchParams): MapView | null {
	const m = params.get(MAP_VIEW_PARAM)?.split(',').map(Number);
	return m && m.length === 3 && m.every(Number.isFinite)
		? { center: [m[0], m[1]], zoom: m[2] }
		: null;
}

/** Writes the view into the parameters (5 decimals ≈ 1 m, zoom to 2). */
export function setMapView(params: URLSearchParams, view: MapView): void {
	const [lon, lat] = view.center;
	params.set(MAP_VIEW_PARAM, `${lon.toFixed(5)},${lat.toFixed(5)},${view.zoom.toFixed(2)}`);
}

/**
 * The page's address for another city: a permalink's view belongs to the city it was taken in,
 * so the reloaded page fits the new city's bounds instead.
 */
export function withoutMapView(href: string): string {
	const url = new URL(href);
	url.searchParams.delete(MAP_VIEW_PARAM);
	return url.href;
}

/**
 * The page's address for a filter and a view (null: the map is not there yet, the view in the
 * address stays): what the command map writes back so that the link is the officer's view.
 */
export function permalinkHref(
	href: string,
	filter: IncidentFilter,
	full: IncidentFilter,
	view: MapView | null
): string {
	const url = new URL(href);
	filterToParams(filter, full, url.searchParams);
	if (view) setMapView(url.searchParams, view);
	return url.href;
}
