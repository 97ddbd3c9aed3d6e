import type { RequestHandler } from './$types';
import { INCIDENT_STATUSES } from '$lib/domain/incidents';
import { getApp } from '$lib/server/app';
import { readJsonBody } from '$lib/server/http/body';
import { auditActor } from '$lib/server/auth/request';
import { ApiError, answer } from '$lib/server/http/errors';
import { parseId } from '$lib/server/http/params';
import {
	allowedFrom,
	caseDetail,
	loadCase,
	transition,
	versionSchema
} from '$lib/server/incidents/lifecycle';
import { publishTransitions } from '$lib/server/incidents/publish';

/**
 * GET /api/incidents/{id} — the case: the incident record with version, deadline, overdue,
 * repeat group and hazmat site, plus its audit trail, assignees, linked repeats and alerts.
 */
export const GET: RequestHandler = ({ params }) =>
	answer(async () => {
		const id = parseId(params.id);
		const app = await getApp();
		return Response.json(await caseDetail(app.db, id));
	});

/**
 * PATCH /api/incidents/{id} `{ "status": "registered", "comment"?, "version"? }` —
 * kept for scripts: the transition to that status from the current one, by the same table as
 * POST …/transitions (whose `version` check applies when `version` is sent).
 */
export const PATCH: RequestHandler = (event) =>
	answer(async () => {
		const id = parseId(event.params.id);
		const body = (await readJsonBody(event.request, 16 * 1024)) as Record<string, unknown> | null;
		if (!body || typeof body !== 'object' || Array.isArray(body))
			throw new ApiError(422, 'The body must be an object such as {"status":"registered"}.');
		const status = body.status;
		if (typeof status !== 'string' || !(INCIDENT_STATUSES as readonly string[]).includes(status)) {
			throw new ApiError(422, `status: must be one of: ${INCIDENT_STATUSES.join(', ')}`, 'status');
		}
		const extra = Object.keys(body).filter((k) => !['status', 'comment', 'version'].includes(k));
		if (extra.length)
			throw new ApiError(
				422,
				`${extra[0]}: unknown field (status, comment, version; the signed-in user acts)`,
				extra[0]
			);
		const { comment = '', version } = body;
		if (typeof comment !== 'string') throw new ApiError(422, 'comment: must be text', 'comment');
		if (version !== undefined) {
			const checked = versionSchema.safeParse(version);
			if (!checked.success)
				throw new ApiError(422, `version: ${checked.error.issues[0].message}`, 'version');
		}
		const app = await getApp();
		const current = await loadCase(app.db, id);
		const step = allowedFrom(current.status).find((t) => t.to === status && t.to !== t.from);
		const result = await transition(app.db, id, {
			// No such step: let the table's 409 say what is allowed.
			action: step?.action ?? 'register',
			to: status as (typeof INCIDENT_STATUSES)[number],
			assignees: [],
			comment: comment.trim(),
			actor: auditActor(event),
			version: (version as number | undefined) ?? current.version
		});
		publishTransitions(app.bus, app.simulator, [result]);
		return Response.json(result.record);
	});
