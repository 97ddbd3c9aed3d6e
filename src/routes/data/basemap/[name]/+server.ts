import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { dbAssets, serveAsset } from '$lib/server/city/assets';
import { answer } from '$lib/server/http/errors';

/** A city pack's own basemap file (its PMTiles), with HTTP Range for the pmtiles protocol. */
export const GET: RequestHandler = ({ params, request }) =>
	answer(async () =>
		serveAsset(dbAssets((await getApp()).db), params.name, {
			ifNoneMatch: request.headers.get('if-none-match'),
			range: request.headers.get('range')
		})
	);
