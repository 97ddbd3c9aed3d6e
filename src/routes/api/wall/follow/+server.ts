import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { recordAudit } from '$lib/server/audit/audit';
import { auditActor } from '$lib/server/auth/request';
import { readJsonBody } from '$lib/server/http/body';
import { answer } from '$lib/server/http/errors';
import { maskWallState, masksPersonalData } from '$lib/server/auth/mask';
import { follow, parseFollow, release, wallState } from '$lib/server/live/wall';

/**
 * GET /api/wall/follow — what the wall shows now: `{ mode: 'tour' }` or the followed view (for
 * the wall role without who pushed it).
 */
export const GET: RequestHandler = ({ locals }) =>
	answer(async () => {
		const state = await wallState((await getApp()).db);
		return Response.json(masksPersonalData(locals.user?.role) ? maskWallState(state) : state);
	});

/**
 * POST /api/wall/follow `{ center: [lon, lat], zoom }` — the wall follows this view, shown as
 * pushed by the signed-in user (audited).
 */
export const POST: RequestHandler = (event) =>
	answer(async () => {
		const view = parseFollow(await readJsonBody(event.request, 4096));
		const actor = auditActor(event);
		const app = await getApp();
		const state = await follow(app.db, app.bus, view, actor.displayName, Date.now(), (tx, before) =>
			recordAudit(tx, { actor, action: 'wall.follow', targetType: 'wall', before, after: view })
		);
		return Response.json(state);
	});

/** DELETE /api/wall/follow — release the wall back to its tour (audited). */
export const DELETE: RequestHandler = (event) =>
	answer(async () => {
		const actor = auditActor(event);
		const app = await getApp();
		const state = await release(app.db, app.bus, (tx, before) =>
			recordAudit(tx, {
				actor,
				action: 'wall.release',
				targetType: 'wall',
				before,
				after: { mode: 'tour' }
			})
		);
		return Response.json(state);
	});
