import type { PageServerLoad } from './$types';
import { getApp } from '$lib/server/app';
import { readCityIdentity } from '$lib/server/city/identity';

/** The login page names the city (public: no other city data before signing in). */
export const load: PageServerLoad = async () => {
	const app = await getApp();
	const city = await readCityIdentity(app.db);
	return { cityName: city.name, synthetic: city.synthetic };
};
