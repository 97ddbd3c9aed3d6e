import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { auditActor } from '$lib/server/auth/request';
import { readJsonBody } from '$lib/server/http/body';
import { ApiError, answer } from '$lib/server/http/errors';
import { parseFlag, parseLimit } from '$lib/server/http/params';
import { intake, publishIntake } from '$lib/server/incidents/intake';
import { listOverdue } from '$lib/server/incidents/lifecycle';
import { validateIntake } from '$lib/server/incidents/validate';

/** Below adapter-node's default BODY_SIZE_LIMIT (512K), so our clearer 413 answers first. */
const MAX_BODY_BYTES = 500 * 1024;

/**
 * POST /api/incidents — one incident (a JSON object) or a batch (an array, ≤ 1000).
 * 201 with the stored record(s), each with its id and assigned grid/community/street.
 * Any invalid item → 4xx `{ message, field }` and nothing is stored.
 */
export const POST: RequestHandler = (event) =>
	answer(async () => {
		const body = await readJsonBody(
			event.request,
			MAX_BODY_BYTES,
			'send fewer incidents per request'
		);
		const { incidents, batch } = validateIntake(body);
		const app = await getApp();
		const result = await intake(app.db, incidents, batch, auditActor(event));
		// After the commit: what the live map shows has been kept.
		publishIntake(app.bus, result);
		const records = result.records;
		if (batch) return Response.json({ count: records.length, incidents: records }, { status: 201 });
		return Response.json(records[0], {
			status: 201,
			headers: { location: `/ogc/collections/incidents/items/${records[0].id}` }
		});
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
