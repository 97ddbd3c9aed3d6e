import type { RequestHandler } from './$types';
import { PLAN_SAVE_MAX_BYTES } from '$lib/domain/plans';
import { getApp } from '$lib/server/app';
import { parseVersion } from '$lib/server/http/params';
import { readJsonBody } from '$lib/server/http/body';
import { answer } from '$lib/server/http/errors';
import { auditActor } from '$lib/server/auth/request';
import { discardDraft, saveDraft, validateSave } from '$lib/server/plans/store';

/**
 * PUT /api/plans/{cid}/draft `{ version: number|null, grids, note? }` → 200 `{ draft }`.
 * Stale version → 409 `{ message, field: "version", current, changedBy, changedAt,
 * changedGridIds }`; broken invariants (core and PostGIS) → 422 `{ message, errors }`.
 */
export const PUT: RequestHandler = (event) =>
	answer(async () => {
		const { params, request } = event;
		const body = await readJsonBody(
			request,
			PLAN_SAVE_MAX_BYTES,
			'a community plan cannot be this large'
		);
		const input = validateSave(body);
		const app = await getApp();
		const draft = await saveDraft(app.db, params.cid, input, auditActor(event));
		return Response.json({ draft });
	});

/** DELETE /api/plans/{cid}/draft?version=N → 204; stale → 409. */
export const DELETE: RequestHandler = (event) =>
	answer(async () => {
		const { params, url } = event;
		const version = parseVersion(url, 'the draft version you are discarding')!;
		const app = await getApp();
		await discardDraft(app.db, params.cid, version, auditActor(event));
		return new Response(null, { status: 204 });
	});
