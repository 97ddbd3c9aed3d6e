import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { MAX_INT32 } from '$lib/server/http/params';
import { ApiError, answer } from '$lib/server/http/errors';
import { versionGrids } from '$lib/server/plans/history';

/** GET /api/plans/{cid}/versions/{v} → FeatureCollection of that version's grids. */
export const GET: RequestHandler = ({ params }) =>
	answer(async () => {
		const v = Number(params.v);
		if (!/^\d+$/.test(params.v) || !(v <= MAX_INT32))
			throw new ApiError(400, `"${params.v}" is not a plan version (0, 1, …).`, 'v');
		const app = await getApp();
		return Response.json(await versionGrids(app.db, params.cid, v), {
			headers: { 'content-type': 'application/geo+json' }
		});
	});
