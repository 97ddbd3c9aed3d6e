import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { readJsonBody } from '$lib/server/http/body';
import { auditActor } from '$lib/server/auth/request';
import { answer } from '$lib/server/http/errors';
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
		const input = validateDispatchNearest(
			await readJsonBody(event.request, 16 * 1024),
			auditActor(event)
		);
		const app = await getApp();
		const now = Date.now();
		const positions = await unitPositions(app.db, now, app.simulator?.positions(now));
		const result = await dispatchNearest(app.db, id, input, positions, now);
		publishTransitions(app.bus, app.simulator, result.transitions);
		return Response.json({
			unit: result.unit,
			incident: result.transitions[result.transitions.length - 1].record,
			entries: result.transitions.map((t) => t.entry)
		});
	});
