import type { RequestHandler } from './$types';
import { INCIDENT_STATUSES, type IncidentStatus } from '$lib/domain/incidents';
import { getApp } from '$lib/server/app';
import { readJsonBody } from '$lib/server/http/body';
import { ApiError, answer } from '$lib/server/http/errors';
import { setStatus } from '$lib/server/incidents/lifecycle';
import { RECORD_COLUMNS, type IncidentRecord } from '$lib/server/incidents/records';

function parseId(raw: string): number {
	const id = Number(raw);
	if (!Number.isSafeInteger(id) || id <= 0) {
		throw new ApiError(400, `"${raw}" is not an incident id (a positive integer).`, 'id');
	}
	return id;
}

/** GET /api/incidents/{id} — one incident record. */
export const GET: RequestHandler = ({ params }) =>
	answer(async () => {
		const id = parseId(params.id);
		const app = await getApp();
		const [row] = await app.db.query<IncidentRecord>(
			`SELECT ${RECORD_COLUMNS} FROM incident i WHERE i.id = $1`,
			[id]
		);
		if (!row) throw new ApiError(404, `There is no incident ${id}.`, 'id');
		return Response.json(row);
	});

/** PATCH /api/incidents/{id} `{ "status": "registered" }` — moves a case forward. */
export const PATCH: RequestHandler = ({ params, request }) =>
	answer(async () => {
		const id = parseId(params.id);
		const body = (await readJsonBody(request, 16 * 1024)) as { status?: unknown } | null;
		const status = body && typeof body === 'object' ? body.status : undefined;
		if (typeof status !== 'string' || !(INCIDENT_STATUSES as readonly string[]).includes(status)) {
			throw new ApiError(422, `status: must be one of: ${INCIDENT_STATUSES.join(', ')}`, 'status');
		}
		const extra = Object.keys(body as object).filter((k) => k !== 'status');
		if (extra.length)
			throw new ApiError(422, `${extra[0]}: unknown field (only "status" can change)`, extra[0]);
		const app = await getApp();
		const record = await setStatus(app.db, id, status as IncidentStatus);
		app.bus.publish({ type: 'incidents', change: 'status', incidents: [record] });
		return Response.json(record);
	});
