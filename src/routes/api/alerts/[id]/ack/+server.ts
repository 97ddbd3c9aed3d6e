import type { RequestHandler } from './$types';
import { z } from 'zod';
import { getApp } from '$lib/server/app';
import { ackAlert } from '$lib/server/alerts/alerts';
import { readJsonBody } from '$lib/server/http/body';
import { answer } from '$lib/server/http/errors';
import { parseId } from '$lib/server/http/params';
import { actorSchema, zodError } from '$lib/server/incidents/lifecycle';

const schema = z.strictObject({ actor: actorSchema });

/**
 * POST /api/alerts/{id}/ack `{ actor }` → 200 the acknowledged Alert, also published as an
 * `alerts` `ack` event; 404 unknown; 409 `{ message, field, current }` if acknowledged already.
 */
export const POST: RequestHandler = ({ params, request }) =>
	answer(async () => {
		const id = parseId(params.id, 'an alert');
		const body = await readJsonBody(request, 4 * 1024);
		const parsed = schema.safeParse(body);
		if (!parsed.success) throw zodError(parsed.error, body);
		const app = await getApp();
		const alert = await ackAlert(app.db, id, parsed.data.actor);
		app.bus.publish({ type: 'alerts', change: 'ack', alerts: [alert] });
		return Response.json(alert);
	});
