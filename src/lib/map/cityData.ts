/** Loads the demo city's vector data (everything but incidents) from the app's /data route. */
import {
	CITY_FILES,
	type CommunityCollection,
	type GridCollection,
	type HazmatLaneCollection,
	type HazmatSiteCollection,
	type Manifest,
	type Patrols,
	type StreetCollection
} from '$lib/domain/city';

export interface City {
	manifest: Manifest;
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
	const [manifest, streets, communities, grids, hazmatSites, hazmatLanes, patrols] =
		await Promise.all([
			getJson<Manifest>(CITY_FILES.manifest, fetchFn),
			getJson<StreetCollection>(CITY_FILES.streets, fetchFn),
			getJson<CommunityCollection>(CITY_FILES.communities, fetchFn),
			getJson<GridCollection>(CITY_FILES.grids, fetchFn),
			getJson<HazmatSiteCollection>(CITY_FILES.hazmatSites, fetchFn),
			getJson<HazmatLaneCollection>(CITY_FILES.hazmatLanes, fetchFn),
			getJson<Patrols>(CITY_FILES.patrols, fetchFn)
		]);
	return { manifest, streets, communities, grids, hazmatSites, hazmatLanes, patrols };
}
