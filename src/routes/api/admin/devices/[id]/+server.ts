import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { revokeDevice } from '$lib/server/auth/devices';
import { actorOf, clientIp } from '$lib/server/auth/request';
import { answer } from '$lib/server/http/errors';
import { parseId } from '$lib/server/http/params';

/**
 * DELETE /api/admin/devices/{id} — revoke: the token stops working at its next request, and
 * live streams it holds open are ended now. → the device record (audited).
 */
export const DELETE: RequestHandler = (event) =>
	answer(async () => {
		const id = parseId(event.params.id, 'a device token');
		const app = await getApp();
		const device = await revokeDevice(app.db, id, actorOf(event.locals), clientIp(event));
		app.bus.closeOwner(`device:${id}`);
		return Response.json(device);
	});
