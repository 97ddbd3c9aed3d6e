import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { readJsonBody } from '$lib/server/http/body';
import { auditActor } from '$lib/server/auth/request';
import { admission } from '$lib/server/http/admission';
import { answer } from '$lib/server/http/errors';
import { idempotencyKey, idempotent } from '$lib/server/http/idempotency';
import { parseId } from '$lib/server/http/params';
import {
	dispatchNearest,
	unitPositions,
	validateDispatchNearest
} from '$lib/server/incidents/dispatch';
import { publishTransitions } from '$lib/server/incidents/publish';

/**
 * POST /api/incidents/{id}/dispatch-nearest `{ version, comment?, mode? }` (the signed-in user acts) → 200
 * `{ unit, incident, entries }`: the nearest available patrol unit (of `mode`, if given) is
 * marked responding and the case is dispatched to it (registered first if it was reported).
 */
export const POST: RequestHandler = (event) =>
	answer(async () => {
		const id = parseId(event.params.id);
		const key = idempotencyKey(event.request);
		const body = await readJsonBody(event.request, 16 * 1024);
		const actor = auditActor(event);
		const input = validateDispatchNearest(body, actor);
		const app = await getApp();
		const route = `POST /api/incidents/${id}/dispatch-nearest`;
		return admission('dispatch', app.config.writeAdmission).run(() =>
			idempotent(app.db, key, { actorId: actor.id, route, body }, async (db) => {
				const now = Date.now();
				const positions = await unitPositions(db, now, app.simulator?.positions(now));
				const result = await dispatchNearest(db, id, input, positions, now);
				return {
					status: 200,
					body: {
						unit: result.unit,
						incident: result.transitions[result.transitions.length - 1].record,
						entries: result.transitions.map((t) => t.entry)
					},
					after: () => publishTransitions(app.bus, app.simulator, result.transitions)
				};
			})
		);
	});
