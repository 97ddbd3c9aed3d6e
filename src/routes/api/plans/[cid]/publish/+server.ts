import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { readJsonBody } from '$lib/server/http/body';
import { answer } from '$lib/server/http/errors';
import { auditActor } from '$lib/server/auth/request';
import { publishPlan, publishPlanEvents, validatePublish } from '$lib/server/plans/publish';

/**
 * POST /api/plans/{cid}/publish `{ version, effectiveDate: "YYYY-MM-DD", note? }` → 200
 * `{ plan, reassigned: { open, closed }, renamed }`. Stale draft version, or the published plan
 * changed since the draft began → 409; invariants re-checked → 422.
 */
export const POST: RequestHandler = (event) =>
	answer(async () => {
		const { params, request } = event;
		const input = validatePublish(await readJsonBody(request, 16 * 1024, 'send a short note'));
		const app = await getApp();
		const at = Date.now();
		const outcome = await publishPlan(app.db, params.cid, input, auditActor(event), at);
		await app.simulator?.reloadGrids();
		publishPlanEvents(app.bus, params.cid, outcome, at);
		const { plan, reassigned, renamed } = outcome;
		return Response.json({ plan, reassigned, renamed });
	});
