import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { readJsonBody } from '$lib/server/http/body';
import { auditActor } from '$lib/server/auth/request';
import { admission } from '$lib/server/http/admission';
import { answer } from '$lib/server/http/errors';
import { idempotencyKey, idempotent } from '$lib/server/http/idempotency';
import { parseId } from '$lib/server/http/params';
import { transition, validateTransition } from '$lib/server/incidents/lifecycle';
import { publishTransitions } from '$lib/server/incidents/publish';

/**
 * POST /api/incidents/{id}/transitions
 * `{ action, to?, assignees?: [{ kind, name, unitId? }], comment?, version }` → (the actor is
 * the signed-in user, audited in the same transaction)
 * 200 `{ incident, entry }`. Illegal for the current status → 409 naming it and what is allowed;
 * stale `version` → 409 `{ message, field: "version", current, changes }`.
 */
export const POST: RequestHandler = (event) =>
	answer(async () => {
		const id = parseId(event.params.id);
		const key = idempotencyKey(event.request);
		const body = await readJsonBody(event.request, 64 * 1024);
		const actor = auditActor(event);
		const input = validateTransition(body, actor);
		const app = await getApp();
		const route = `POST /api/incidents/${id}/transitions`;
		return admission('transitions', app.config.writeAdmission).run(() =>
			idempotent(app.db, key, { actorId: actor.id, route, body }, async (db) => {
				const result = await transition(db, id, input);
				return {
					status: 200,
					body: { incident: result.record, entry: result.entry },
					after: () => publishTransitions(app.bus, app.simulator, [result])
				};
			})
		);
	});
