import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { answer } from '$lib/server/http/errors';
import { parseId, parseLimit } from '$lib/server/http/params';
import { parseMode, rankUnits, unitPositions } from '$lib/server/incidents/dispatch';
import { loadCase } from '$lib/server/incidents/lifecycle';

/**
 * GET /api/incidents/{id}/nearest-units?limit=5&mode=land → `{ incidentId, at, units: [{ id,
 * callsign, mode, status, available, lon, lat, distanceM, etaS }] }`, nearest first
 * (straight-line metres; ETA at the mode's speed, UNIT_SPEED_KMH).
 */
export const GET: RequestHandler = ({ params, url }) =>
	answer(async () => {
		const id = parseId(params.id);
		const limit = parseLimit(url, 5, 100);
		const mode = parseMode(url.searchParams.get('mode'));
		const app = await getApp();
		const incident = await loadCase(app.db, id);
		const at = Date.now();
		const positions = await unitPositions(app.db, at, app.simulator?.positions(at));
		const ranked = await rankUnits(app.db, incident.lon, incident.lat, positions);
		const units = ranked.filter((u) => !mode || u.mode === mode).slice(0, limit);
		return Response.json({ incidentId: id, at, units });
	});
