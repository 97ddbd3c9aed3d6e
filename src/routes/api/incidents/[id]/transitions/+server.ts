import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { readJsonBody } from '$lib/server/http/body';
import { auditActor } from '$lib/server/auth/request';
import { answer } from '$lib/server/http/errors';
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
		const input = validateTransition(
			await readJsonBody(event.request, 64 * 1024),
			auditActor(event)
		);
		const app = await getApp();
		const result = await transition(app.db, id, input);
		publishTransitions(app.bus, app.simulator, [result]);
		return Response.json({ incident: result.record, entry: result.entry });
	});
