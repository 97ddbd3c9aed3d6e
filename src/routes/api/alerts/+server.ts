import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { answer } from '$lib/server/http/errors';
import { parseFlag, parseLimit } from '$lib/server/http/params';
import { listAlerts } from '$lib/server/alerts/alerts';

/** GET /api/alerts?open=1&limit=100 → `{ alerts: Alert[] }`, newest first (`open`: not acknowledged). */
export const GET: RequestHandler = ({ url }) =>
	answer(async () => {
		const open = parseFlag(url, 'open');
		const limit = parseLimit(url, 100, 1000);
		const app = await getApp();
		return Response.json({ alerts: await listAlerts(app.db, open, limit) });
	});
