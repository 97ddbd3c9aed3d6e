import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { checkHealth } from '$lib/server/health';

/**
 * GET /api/health — readiness for a load balancer: 200 `{ status: "ready", … }` when this server
 * can serve (database reachable, migrations applied, live bus open), else 503 with what is wrong.
 * `?probe=live` — liveness only: 200 while the process answers, the database is not asked.
 * Public (a load balancer does not sign in); it carries states and counts, no personal data.
 */
export const GET: RequestHandler = async ({ url }) => {
	const headers = { 'cache-control': 'no-store' };
	if (url.searchParams.get('probe') === 'live')
		return Response.json({ status: 'live', live: true }, { headers });
	const app = await getApp().catch(() => null);
	const health = await checkHealth(app);
	return Response.json(health, { status: health.status === 'ready' ? 200 : 503, headers });
};
