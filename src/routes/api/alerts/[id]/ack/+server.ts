import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { ackAlert } from '$lib/server/alerts/alerts';
import { auditActor } from '$lib/server/auth/request';
import { readJsonBody } from '$lib/server/http/body';
import { ApiError, answer } from '$lib/server/http/errors';
import { parseId } from '$lib/server/http/params';

/**
 * POST /api/alerts/{id}/ack (no body, or `{}`) → 200 the acknowledged Alert, acknowledged by the
 * signed-in user, also published as an `alerts` `ack` event; 404 unknown; 409
 * `{ message, field, current }` if acknowledged already.
 */
export const POST: RequestHandler = (event) =>
	answer(async () => {
		const id = parseId(event.params.id, 'an alert');
		const { request } = event;
		if (request.body && request.headers.get('content-length') !== '0') {
			const body = await readJsonBody(request, 1024);
			if (typeof body !== 'object' || body === null || Array.isArray(body))
				throw new ApiError(422, 'Send no body, or {}: the signed-in user acknowledges.');
			const extra = Object.keys(body)[0];
			if (extra)
				throw new ApiError(
					422,
					`${extra}: unknown field (the signed-in user acknowledges; send no body)`,
					extra
				);
		}
		const app = await getApp();
		const actor = auditActor(event);
		const alert = await app.db.transaction((tx) => ackAlert(tx, id, actor));
		app.bus.publish({ type: 'alerts', change: 'ack', alerts: [alert] });
		return Response.json(alert);
	});
