/**
 * What is near a place, for the drill-down panel: hazmat sites within reach, and the site whose
 * radius flagged a case. (The nearest patrol units come from the server, live/nearUnits.svelte.ts,
 * ranked as dispatch ranks them.) Pure.
 */
import type { HazmatSiteCollection } from '$lib/domain/city';
import { distanceM as metres } from '$lib/geo/distance';

export interface NearSite {
	site: HazmatSiteCollection['features'][number];
	distanceM: number;
}

/** Hazmat sites within `radiusM` of a place, nearest first. */
export function hazmatNear(
	sites: HazmatSiteCollection,
	center: [number, number],
	radiusM = 1000
): NearSite[] {
	return sites.features
		.map((site) => ({
			site,
			distanceM: metres(center, site.geometry.coordinates as [number, number])
		}))
		.filter((s) => s.distanceM <= radiusM)
		.sort((a, b) => a.distanceM - b.distanceM);
}

export interface RiskSite {
	name: string;
	distanceM: number;
	riskRadiusM: number;
}

/**
 * The hazmat site whose risk radius flagged a case (CaseDetail.hazmatSiteId), with its distance
 * from the case: the flag may come from a site farther than the 1 km the drill panel lists.
 */
export function riskSite(
	sites: HazmatSiteCollection,
	siteId: string,
	at: [number, number]
): RiskSite | null {
	const site = sites.features.find((s) => s.properties.id === siteId);
	if (!site) return null;
	return {
		name: site.properties.name,
		distanceM: metres(at, site.geometry.coordinates as [number, number]),
		riskRadiusM: site.properties.riskRadiusM
	};
}
