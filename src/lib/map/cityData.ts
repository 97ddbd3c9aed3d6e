/** Loads the city's vector data (everything but incidents) from the app's /data route. */
import {
	CITY_FILES,
	type CommunityCollection,
	type DistrictCollection,
	type GridCollection,
	type HazmatLaneCollection,
	type HazmatSiteCollection,
	type Manifest,
	type Patrols,
	type StreetCollection
} from '$lib/domain/city';

export interface City {
	manifest: Manifest;
	/** 区/县 above the streets; empty for a city without that level (the demo city). */
	districts: DistrictCollection;
	streets: StreetCollection;
	communities: CommunityCollection;
	grids: GridCollection;
	hazmatSites: HazmatSiteCollection;
	hazmatLanes: HazmatLaneCollection;
	patrols: Patrols;
}

export const dataUrl = (file: string) => `/data/${file}`;

async function getJson<T>(file: string, fetchFn: typeof fetch): Promise<T> {
	const response = await fetchFn(dataUrl(file));
	if (!response.ok) {
		let reason = `${file}: ${response.status} ${response.statusText}`;
		try {
			reason = ((await response.json()) as { message?: string }).message ?? reason;
		} catch {
			/* not JSON: keep the status line */
		}
		throw new Error(reason);
	}
	return (await response.json()) as T;
}

export async function loadCity(fetchFn: typeof fetch = fetch): Promise<City> {
	const [manifest, districts, streets, communities, grids, hazmatSites, hazmatLanes, patrols] =
		await Promise.all([
			getJson<Manifest>(CITY_FILES.manifest, fetchFn),
			getJson<DistrictCollection>(CITY_FILES.districts, fetchFn),
			getJson<StreetCollection>(CITY_FILES.streets, fetchFn),
			getJson<CommunityCollection>(CITY_FILES.communities, fetchFn),
			getJson<GridCollection>(CITY_FILES.grids, fetchFn),
			getJson<HazmatSiteCollection>(CITY_FILES.hazmatSites, fetchFn),
			getJson<HazmatLaneCollection>(CITY_FILES.hazmatLanes, fetchFn),
			getJson<Patrols>(CITY_FILES.patrols, fetchFn)
		]);
	return { manifest, districts, streets, communities, grids, hazmatSites, hazmatLanes, patrols };
}
