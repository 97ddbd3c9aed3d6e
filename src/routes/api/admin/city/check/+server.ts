import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { checkCityPack } from '$lib/server/citypack';
import { readUploadedPack } from '$lib/server/citypack/upload';
import { answer } from '$lib/server/http/errors';

/**
 * POST /api/admin/city/check, body: a city pack .zip → 200 `{ report }` (PackReport: every
 * problem, repair and note; `ok` false when it would be refused). Writes nothing. 415, 413.
 */
export const POST: RequestHandler = (event) =>
	answer(async () => {
		const source = await readUploadedPack(event.request);
		const app = await getApp();
		const { report } = await checkCityPack(source, { db: app.db });
		return Response.json({ report });
	});
