import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { answer } from '$lib/server/http/errors';
import { getPlan } from '$lib/server/plans/store';

/**
 * GET /api/plans/{cid} → `{ community, published, draft }` (docs/plans-api.md); unknown
 * community → 404.
 */
export const GET: RequestHandler = ({ params }) =>
	answer(async () => {
		const app = await getApp();
		return Response.json(await getPlan(app.db, params.cid));
	});
