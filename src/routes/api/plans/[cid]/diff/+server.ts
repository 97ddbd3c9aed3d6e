import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { answer } from '$lib/server/http/errors';
import { parseVersionRef, planDiff } from '$lib/server/plans/history';

/**
 * GET /api/plans/{cid}/diff?from={v}&to={v|draft} → `{ added, removed, reshaped, modified,
 * unchanged }` (grid ids; reshaped: geometry not ST_Equals; modified: properties only).
 */
export const GET: RequestHandler = ({ params, url }) =>
	answer(async () => {
		const from = parseVersionRef(url.searchParams.get('from'), 'from');
		const to = parseVersionRef(url.searchParams.get('to'), 'to');
		const app = await getApp();
		return Response.json(await planDiff(app.db, params.cid, from, to));
	});
