import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { parseVersion } from '$lib/server/http/params';
import { answer } from '$lib/server/http/errors';
import { auditActor } from '$lib/server/auth/request';
import { unschedulePlan } from '$lib/server/plans/schedule';

/**
 * DELETE /api/plans/{cid}/schedule?version=N → 204: the draft is no longer scheduled (and can be
 * edited again). Not scheduled → 404; stale draft version → 409.
 */
export const DELETE: RequestHandler = (event) =>
	answer(async () => {
		const { params, url } = event;
		const version = parseVersion(url, 'the version of the scheduled draft')!;
		const app = await getApp();
		await unschedulePlan(app.db, params.cid, version, auditActor(event));
		return new Response(null, { status: 204 });
	});
