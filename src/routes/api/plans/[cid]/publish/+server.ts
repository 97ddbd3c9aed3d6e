import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { readJsonBody } from '$lib/server/http/body';
import { answer } from '$lib/server/http/errors';
import { auditActor } from '$lib/server/auth/request';
import { publishPlan, publishPlanEvents, validatePublish } from '$lib/server/plans/publish';
import { isFutureDate, schedulePlan } from '$lib/server/plans/schedule';

/**
 * POST /api/plans/{cid}/publish `{ version, effectiveDate: "YYYY-MM-DD", note? }` → 200
 * `{ plan, reassigned: { open, closed }, renamed }`. An effective date after today (CST) only
 * schedules it, after the same checks: 202 `{ scheduled: { effectiveDate, by, at, draftVersion } }`
 * (the server publishes it on that day). Stale draft version, the published plan changed since
 * the draft began, or the draft already scheduled → 409; invariants re-checked → 422.
 */
export const POST: RequestHandler = (event) =>
	answer(async () => {
		const { params, request } = event;
		const input = validatePublish(await readJsonBody(request, 16 * 1024, 'send a short note'));
		const app = await getApp();
		const at = Date.now();
		if (isFutureDate(input.effectiveDate, at)) {
			const scheduled = await schedulePlan(app.db, params.cid, input, auditActor(event), at);
			return Response.json(scheduled, { status: 202 });
		}
		const outcome = await publishPlan(app.db, params.cid, input, auditActor(event), at);
		await app.simulator?.reloadGrids();
		publishPlanEvents(app.bus, params.cid, outcome, at);
		const { plan, reassigned, renamed } = outcome;
		return Response.json({ plan, reassigned, renamed });
	});
