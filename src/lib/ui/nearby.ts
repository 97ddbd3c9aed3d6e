/**
 * Who and what is near a place, for the drill-down panel: patrol units ranked by distance (with a
 * straight-line ETA at their mode's speed) and hazmat sites within reach. Pure.
 */
import { distance } from '@turf/turf';
import type { HazmatSiteCollection, PatrolMode, PatrolUnit } from '$lib/domain/city';
import { positionAt } from '$lib/layers/patrols';

/** Cruising speeds used for ETAs, km/h (the demo tracks move at about these). */
export const MODE_SPEED_KMH: Record<PatrolMode, number> = { land: 30, sea: 20, air: 50 };

export const metres = (a: [number, number], b: [number, number]) =>
	distance(a, b, { units: 'kilometers' }) * 1000;

export interface NearUnit {
	unit: PatrolUnit;
	position: [number, number];
	distanceM: number;
	/** Straight-line minutes at the mode's speed (the road graph is not used yet). */
	etaMin: number;
}

export function nearestUnits(
	units: PatrolUnit[],
	timeOfDay: number,
	center: [number, number],
	limit = 5
): NearUnit[] {
	return units
		.map((unit) => {
			const position = positionAt(unit, timeOfDay);
			const distanceM = metres(center, position);
			return {
				unit,
				position,
				distanceM,
				etaMin: (distanceM / 1000 / MODE_SPEED_KMH[unit.mode]) * 60
			};
		})
		.sort((a, b) => a.distanceM - b.distanceM)
		.slice(0, limit);
}

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
