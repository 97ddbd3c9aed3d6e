import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { actorOf, clientIp } from '$lib/server/auth/request';
import { createUser, listUsers, validateNewUser } from '$lib/server/auth/users';
import { readJsonBody } from '$lib/server/http/body';
import { answer } from '$lib/server/http/errors';

/** GET /api/admin/users → `{ users: [{ id, username, displayName, role, disabled, … }] }`. */
export const GET: RequestHandler = () =>
	answer(async () => {
		const app = await getApp();
		return Response.json({ users: await listUsers(app.db) });
	});

/** POST /api/admin/users `{ username, displayName, role, password }` → 201 the user (audited). */
export const POST: RequestHandler = (event) =>
	answer(async () => {
		const input = validateNewUser(await readJsonBody(event.request, 4096));
		const app = await getApp();
		const user = await createUser(app.db, input, actorOf(event.locals), clientIp(event));
		return Response.json(user, { status: 201 });
	});
