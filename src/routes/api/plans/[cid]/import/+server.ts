import type { RequestHandler } from './$types';
import { PLAN_IMPORT_MAX_BYTES } from '$lib/domain/plans';
import { getApp } from '$lib/server/app';
import { oneParam, parseVersion } from '$lib/server/http/params';
import { mediaType, readBodyBytes } from '$lib/server/http/body';
import { ApiError, answer } from '$lib/server/http/errors';
import { auditActor } from '$lib/server/auth/request';
import { importPlan, parseCrs } from '$lib/server/plans/files';

/**
 * POST /api/plans/{cid}/import?crs=wgs84|gcj02|bd09&version={draftVersion|none}, body: the file
 * (application/geo+json or application/json: GeoJSON; application/zip: zipped Shapefile) →
 * 200 `{ draft, snaps }` (PlanImportResult: `snaps` reports the vertices moved within the
 * tolerance), 409 as a save, or 422 `{ message, errors }` listing every problem. 10 MiB.
 */
export const POST: RequestHandler = (event) =>
	answer(async () => {
		const { params, url, request } = event;
		const crs = parseCrs(oneParam(url, 'crs'));
		const version = parseVersion(
			url,
			'the draft version you started from ("none": there is no draft yet)',
			true
		);
		const header = request.headers.get('content-type') ?? '';
		const type = mediaType(header) ?? '';
		const kind = /^application\/(geo\+json|json)$/.test(type)
			? 'geojson'
			: /^application\/(zip|x-zip-compressed)$/.test(type)
				? 'shapefile'
				: null;
		if (!kind)
			throw new ApiError(
				415,
				`Send the file as application/geo+json (GeoJSON) or application/zip (zipped Shapefile), not "${header.slice(0, 100) || 'none'}".`
			);
		const bytes = await readBodyBytes(
			request,
			PLAN_IMPORT_MAX_BYTES,
			"import one community's grids at a time"
		);
		const app = await getApp();
		const result = await importPlan(
			app.db,
			params.cid,
			new Uint8Array(bytes),
			kind,
			crs,
			version,
			auditActor(event)
		);
		return Response.json(result);
	});
