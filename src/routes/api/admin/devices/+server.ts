import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { issueDevice, listDevices, validateNewDevice } from '$lib/server/auth/devices';
import { actorOf, clientIp } from '$lib/server/auth/request';
import { readJsonBody } from '$lib/server/http/body';
import { requestOrigin } from '$lib/server/http/origin';
import { answer } from '$lib/server/http/errors';

/** GET /api/admin/devices → `{ devices: [{ id, name, role, createdBy, createdAt, lastUsedAt, revokedAt }] }`. */
export const GET: RequestHandler = () =>
	answer(async () => {
		const app = await getApp();
		return Response.json({ devices: await listDevices(app.db) });
	});

/**
 * POST /api/admin/devices `{ name, role?: 'wall' | 'officer' }` → 201 `{ device, token, kioskUrl }`.
 * The token is shown this once; only its hash is stored.
 */
export const POST: RequestHandler = (event) =>
	answer(async () => {
		const input = validateNewDevice(await readJsonBody(event.request, 4096));
		const app = await getApp();
		const { device, token } = await issueDevice(
			app.db,
			input,
			actorOf(event.locals),
			clientIp(event)
		);
		return Response.json(
			{ device, token, kioskUrl: `${requestOrigin(event.url)}/kiosk/${token}` },
			{ status: 201, headers: { 'cache-control': 'no-store' } }
		);
	});
