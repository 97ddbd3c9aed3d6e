import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { actorOf, clientIp } from '$lib/server/auth/request';
import { updateUser, validateUserChange } from '$lib/server/auth/users';
import { readJsonBody } from '$lib/server/http/body';
import { answer } from '$lib/server/http/errors';
import { parseId } from '$lib/server/http/params';

/**
 * PATCH /api/admin/users/{id} `{ displayName?, role?, disabled?, password? }` → the user.
 * Disabling, a new role or a new password ends the user's sessions. Audited.
 */
export const PATCH: RequestHandler = (event) =>
	answer(async () => {
		const id = parseId(event.params.id, 'a user');
		const change = validateUserChange(await readJsonBody(event.request, 4096));
		const app = await getApp();
		const user = await updateUser(app.db, id, change, actorOf(event.locals), clientIp(event));
		// Their sessions are gone; their open live streams end now too.
		if (change.disabled || change.role || change.password) app.bus.closeOwner(String(id));
		return Response.json(user);
	});
