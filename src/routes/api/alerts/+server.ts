import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { answer } from '$lib/server/http/errors';
import { parseFlag, parseLimit } from '$lib/server/http/params';
import { countAlerts, listAlerts } from '$lib/server/alerts/alerts';
import { maskAlert, masksPersonalData } from '$lib/server/auth/mask';

/**
 * GET /api/alerts?open=1&limit=100 → `{ alerts: Alert[], total }`: the newest `limit` alerts and
 * how many there are in all (`open`: not acknowledged; the wall does not see who acknowledged).
 */
export const GET: RequestHandler = ({ url, locals }) =>
	answer(async () => {
		const open = parseFlag(url, 'open');
		const limit = parseLimit(url, 100, 1000);
		const app = await getApp();
		const [alerts, total] = await Promise.all([
			listAlerts(app.db, open, limit),
			countAlerts(app.db, open)
		]);
		const masked = masksPersonalData(locals.user?.role);
		return Response.json({ alerts: masked ? alerts.map(maskAlert) : alerts, total });
	});
