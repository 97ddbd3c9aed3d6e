import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { auditActor } from '$lib/server/auth/request';
import { readJsonBody } from '$lib/server/http/body';
import { admission } from '$lib/server/http/admission';
import { ApiError, answer } from '$lib/server/http/errors';
import { idempotencyKey, idempotent } from '$lib/server/http/idempotency';
import { parseFlag, parseLimit } from '$lib/server/http/params';
import { intake, publishIntake } from '$lib/server/incidents/intake';
import { listOverdue } from '$lib/server/incidents/lifecycle';
import { validateIntake } from '$lib/server/incidents/validate';

/** Below adapter-node's default BODY_SIZE_LIMIT (512K), so our clearer 413 answers first. */
const MAX_BODY_BYTES = 500 * 1024;

/**
 * POST /api/incidents — one incident (a JSON object) or a batch (an array, ≤ 1000).
 * 201 with the stored record(s), each with its id and assigned grid/community/street.
 * Any invalid item → 4xx `{ message, field }` and nothing is stored. With `Idempotency-Key` a
 * retry gets the first answer (http/idempotency.ts); under write overload a fast 503 (http/admission.ts).
 */
export const POST: RequestHandler = (event) =>
	answer(async () => {
		const key = idempotencyKey(event.request);
		const body = await readJsonBody(
			event.request,
			MAX_BODY_BYTES,
			'send fewer incidents per request'
		);
		const { incidents, batch } = validateIntake(body);
		const actor = auditActor(event);
		const app = await getApp();
		return admission('intake', app.config.writeAdmission).run(() =>
			idempotent(
				app.db,
				key,
				{ actorId: actor.id, route: 'POST /api/incidents', body },
				async (db) => {
					const result = await intake(db, incidents, batch, actor);
					const records = result.records;
					return {
						status: 201,
						body: batch ? { count: records.length, incidents: records } : records[0],
						location: batch ? undefined : `/ogc/collections/incidents/items/${records[0].id}`,
						// After the commit: what the live map shows has been kept.
						after: () => publishIntake(app.bus, result)
					};
				}
			)
		);
	});

/**
 * GET /api/incidents?overdue=1&limit=100 → `{ incidents: CaseRecord[] }`: open cases past their
 * deadline (the 督办 list), most overdue first. Other listings are the OGC API's (/ogc).
 */
export const GET: RequestHandler = ({ url }) =>
	answer(async () => {
		if (!parseFlag(url, 'overdue'))
			throw new ApiError(
				400,
				'overdue: only ?overdue=1 is listed here; use /ogc/collections/incidents/items for the rest.',
				'overdue'
			);
		const limit = parseLimit(url, 100, 1000);
		const app = await getApp();
		return Response.json({ incidents: await listOverdue(app.db, limit) });
	});
