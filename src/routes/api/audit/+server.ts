import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { listAudit, type AuditFilter } from '$lib/server/audit/audit';
import { ApiError, answer } from '$lib/server/http/errors';
import { clip, oneParam, parseLimit } from '$lib/server/http/params';
import { parseIsoTime } from '$lib/domain/time';

/** The database's timestamps end in 294276; this API's at the end of year 9999. */
const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Epoch ms or an ISO date/time (domain/time.ts parseIsoTime: a bare date or a time without an
 * offset is China time; 2026-02-30 is no date); anything else → 400.
 */
function time(url: URL, name: string): number | undefined {
	const raw = oneParam(url, name);
	if (raw === null || raw === '') return undefined;
	const n = /^\d{1,16}$/.test(raw) ? Number(raw) : parseIsoTime(raw);
	if (!(n >= 0 && n <= MAX_TIME))
		throw new ApiError(
			400,
			`${name}: must be epoch ms or a real ISO date or time such as 2026-11-27 or 2026-11-27T08:00+08:00 (got "${clip(raw)}").`,
			name
		);
	return n;
}

function text(url: URL, name: string): string | undefined {
	const raw = oneParam(url, name)?.trim();
	if (!raw) return undefined;
	if (raw.length > 100) throw new ApiError(400, `${name}: at most 100 characters.`, name);
	if ([...raw].some((ch) => ch < ' ' || ch === '\u007f'))
		throw new ApiError(400, `${name}: must not contain control characters.`, name);
	return raw;
}

/**
 * GET /api/audit?actor=&action=&targetType=&targetId=&from=&to=&before=&limit= → `{ entries }`,
 * newest first. `action` matches a prefix (`case.` → every case step); `actor` a display name or
 * user id; `from`/`to` epoch ms or ISO dates; `before` an entry id (paging).
 */
export const GET: RequestHandler = ({ url }) =>
	answer(async () => {
		const beforeRaw = oneParam(url, 'before');
		if (beforeRaw !== null && !(/^\d+$/.test(beforeRaw) && Number.isSafeInteger(+beforeRaw)))
			throw new ApiError(400, `before: must be an entry id (got "${clip(beforeRaw)}").`, 'before');
		const filter: AuditFilter = {
			actor: text(url, 'actor'),
			action: text(url, 'action'),
			targetType: text(url, 'targetType'),
			targetId: text(url, 'targetId'),
			from: time(url, 'from'),
			to: time(url, 'to'),
			before: beforeRaw === null ? undefined : Number(beforeRaw),
			limit: parseLimit(url, 100, 1000)
		};
		const app = await getApp();
		return Response.json({ entries: await listAudit(app.db, filter) });
	});
