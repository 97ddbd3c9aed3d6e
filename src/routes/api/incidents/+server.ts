import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { readJsonBody } from '$lib/server/http/body';
import { answer } from '$lib/server/http/errors';
import { intakeIncidents } from '$lib/server/incidents/intake';
import { validateIntake } from '$lib/server/incidents/validate';

/** Below adapter-node's default BODY_SIZE_LIMIT (512K), so our clearer 413 answers first. */
const MAX_BODY_BYTES = 500 * 1024;

/**
 * POST /api/incidents — one incident (a JSON object) or a batch (an array, ≤ 1000).
 * 201 with the stored record(s), each with its id and assigned grid/community/street.
 * Any invalid item → 4xx `{ message, field }` and nothing is stored.
 */
export const POST: RequestHandler = ({ request }) =>
	answer(async () => {
		const body = await readJsonBody(request, MAX_BODY_BYTES);
		const { incidents, batch } = validateIntake(body);
		const app = await getApp();
		const records = await intakeIncidents(app.db, incidents, batch);
		// After the commit: what the live map shows has been kept.
		app.bus.publish({ type: 'incidents', change: 'new', incidents: records });
		if (batch) return Response.json({ count: records.length, incidents: records }, { status: 201 });
		return Response.json(records[0], {
			status: 201,
			headers: { location: `/ogc/collections/incidents/items/${records[0].id}` }
		});
	});
