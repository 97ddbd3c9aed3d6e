import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { answer } from '$lib/server/http/errors';
import { parseLimit, parseLonLat } from '$lib/server/http/params';
import { parseMode, rankUnits, unitPositions } from '$lib/server/incidents/dispatch';

/**
 * GET /api/units/nearest?lon=&lat=&limit=5&mode=land → `{ lon, lat, at, units: [NearestUnit] }`:
 * the patrol units nearest a place (a hotspot, a grid, a case), ranked exactly as dispatch
 * ranks them — the same positions, distance and speeds — so the unit the drill panel shows
 * first is the unit one-click dispatch sends.
 */
export const GET: RequestHandler = ({ url }) =>
	answer(async () => {
		const [lon, lat] = parseLonLat(url);
		const limit = parseLimit(url, 5, 100);
		const mode = parseMode(url.searchParams.get('mode'));
		const app = await getApp();
		const at = Date.now();
		const positions = await unitPositions(app.db, at, app.simulator?.positions(at));
		const ranked = await rankUnits(app.db, lon, lat, positions);
		const units = ranked.filter((u) => !mode || u.mode === mode).slice(0, limit);
		return Response.json({ lon, lat, at, units });
	});
