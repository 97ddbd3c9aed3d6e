import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { MAX_INT32 } from '$lib/server/http/params';
import { ApiError, answer } from '$lib/server/http/errors';
import { auditActor } from '$lib/server/auth/request';
import { unschedulePlan } from '$lib/server/plans/schedule';

/**
 * DELETE /api/plans/{cid}/schedule?version=N → 204: the draft is no longer scheduled (and can be
 * edited again). Not scheduled → 404; stale draft version → 409.
 */
export const DELETE: RequestHandler = (event) =>
	answer(async () => {
		const { params, url } = event;
		const raw = url.searchParams.get('version') ?? '';
		const version = Number(raw);
		if (!/^\d+$/.test(raw) || !(version <= MAX_INT32) || version < 1)
			throw new ApiError(
				400,
				`version: must be the version of the scheduled draft (a positive integer), got "${raw}".`,
				'version'
			);
		const app = await getApp();
		await unschedulePlan(app.db, params.cid, version, auditActor(event));
		return new Response(null, { status: 204 });
	});
