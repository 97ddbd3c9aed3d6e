import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { answer } from '$lib/server/http/errors';
import { planHistory } from '$lib/server/plans/history';

/** GET /api/plans/{cid}/history → `{ versions: [...] }`, newest first, version 0 last. */
export const GET: RequestHandler = ({ params }) =>
	answer(async () => {
		const app = await getApp();
		return Response.json({ versions: await planHistory(app.db, params.cid) });
	});
