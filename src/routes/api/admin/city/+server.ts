import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { loadedCity } from '$lib/server/citypack/loaded';
import { answer } from '$lib/server/http/errors';

/** GET /api/admin/city → `{ city: CityIdentity, imports: [...], basemapUrl }` (LoadedCity). */
export const GET: RequestHandler = () =>
	answer(async () => {
		const app = await getApp();
		return Response.json(await loadedCity(app.db));
	});
