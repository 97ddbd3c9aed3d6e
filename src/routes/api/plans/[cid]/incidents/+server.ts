import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { answer } from '$lib/server/http/errors';
import { parseDays, planIncidents } from '$lib/server/plans/history';

/**
 * GET /api/plans/{cid}/incidents?days=90 → `{ from, to, lon, lat, ts }`: every incident of the
 * last N days (1–366) in the community's outline, for the balance panel.
 */
export const GET: RequestHandler = ({ params, url }) =>
	answer(async () => {
		const days = parseDays(url.searchParams.get('days'));
		const app = await getApp();
		return Response.json(await planIncidents(app.db, params.cid, days));
	});
