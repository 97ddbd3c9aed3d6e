import type { PageServerLoad } from './$types';
import { getApp } from '$lib/server/app';
import { readCityIdentity } from '$lib/server/city/identity';
import { rethrowAsPageError } from '$lib/server/db/unavailable';

/**
 * The login page names the city (public: no other city data before signing in). With the
 * database unreachable: a 503 page saying so, not a 500.
 */
export const load: PageServerLoad = async () => {
	try {
		const app = await getApp();
		const city = await readCityIdentity(app.db);
		return { cityName: city.name, synthetic: city.synthetic };
	} catch (err) {
		rethrowAsPageError('GET /login', err);
	}
};
