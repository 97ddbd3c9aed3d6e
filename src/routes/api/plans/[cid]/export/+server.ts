import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { answer } from '$lib/server/http/errors';
import { exportPlan, parseCrs, parseFormat, parseSource } from '$lib/server/plans/files';

/**
 * GET /api/plans/{cid}/export?format=geojson|shapefile&crs=wgs84|gcj02|bd09&source=draft|published|{v}
 * → attachment: application/geo+json, or application/zip with .shp/.shx/.dbf/.prj/.cpg.
 */
export const GET: RequestHandler = ({ params, url }) =>
	answer(async () => {
		const format = parseFormat(url.searchParams.get('format'));
		const crs = parseCrs(url.searchParams.get('crs'));
		const source = parseSource(url.searchParams.get('source'));
		const app = await getApp();
		const file = await exportPlan(app.db, params.cid, format, crs, source);
		return new Response(file.body as Uint8Array<ArrayBuffer>, {
			headers: {
				'content-type': file.contentType,
				'content-disposition': `attachment; filename="${file.filename}"`,
				'cache-control': 'no-store'
			}
		});
	});
