import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { masksPersonalData } from '$lib/server/auth/mask';
import { answer } from '$lib/server/http/errors';
import { readVersion } from '$lib/server/incidents/snapshot';
import { readCityIdentity } from '$lib/server/city/identity';
import { cityLoadToken } from '$lib/domain/cityIdentity';
import { parseSince, replayEvents, sseResponse } from '$lib/server/live/sse';

/**
 * GET /api/stream — Server-Sent Events: `incidents` (new, status changes, replay), `patrols`
 * (unit positions), `hello` on connect (with the loaded city's token), `reload` when the client is too far behind.
 * `?since=<rev>` (the snapshot's X-OneMap-Rev header) replays what changed after it.
 * The wall's stream carries no incident descriptions (auth/mask.ts).
 */
export const GET: RequestHandler = ({ url, request, locals }) =>
	answer(async () => {
		const app = await getApp();
		const since = parseSince(url, request);
		const { rev } = await readVersion(app.db);
		const city = cityLoadToken(await readCityIdentity(app.db));
		return sseResponse(app.bus, {
			rev,
			city,
			masked: masksPersonalData(locals.user?.role),
			owner: locals.user?.id,
			// Even when since ≥ rev: the replay runs after subscribing, so it also covers a change
			// committed between reading rev and subscribing.
			replay: since === null ? undefined : () => replayEvents(app.db, since)
		});
	});
