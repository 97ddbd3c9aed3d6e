import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { masksPersonalData } from '$lib/server/auth/mask';
import { SESSION_COOKIE } from '$lib/server/auth/sessions';
import { answer, errorResponse } from '$lib/server/http/errors';
import { readVersion } from '$lib/server/incidents/snapshot';
import { readCityIdentity } from '$lib/server/city/identity';
import { cityLoadToken } from '$lib/domain/cityIdentity';
import {
	parseSince,
	replayEvents,
	SSE_HEADERS,
	sseResponse,
	streamCapProblem,
	streamIdentity
} from '$lib/server/live/sse';

/**
 * GET /api/stream — Server-Sent Events: `incidents` (new, status changes, replay), `patrols`
 * (unit positions), `hello` on connect (with the loaded city's token), `reload` when the client is too far behind.
 * `?since=<rev>` (the snapshot's X-OneMap-Rev header) replays what changed after it.
 * The wall's stream carries no incident descriptions (auth/mask.ts).
 * One sign-in (session or device) holds at most MAX_STREAMS_PER_IDENTITY streams: beyond, 429.
 */
export const GET: RequestHandler = ({ url, request, locals, cookies }) =>
	answer(async () => {
		const app = await getApp();
		const since = parseSince(url, request);
		const { rev } = await readVersion(app.db);
		const city = cityLoadToken(await readCityIdentity(app.db));
		// Counted and subscribed in the same turn of the event loop (sseResponse subscribes at
		// once), so parallel requests cannot all slip under the cap.
		const identity = streamIdentity(locals.user, cookies.get(SESSION_COOKIE));
		const refused = streamCapProblem(app.bus, identity);
		if (refused) {
			const response = errorResponse(refused);
			response.headers.set('retry-after', '10');
			return response;
		}
		return sseResponse(app.bus, {
			rev,
			city,
			masked: masksPersonalData(locals.user?.role),
			owner: locals.user?.id,
			identity,
			// Even when since ≥ rev: the replay runs after subscribing, so it also covers a change
			// committed between reading rev and subscribing.
			replay: since === null ? undefined : () => replayEvents(app.db, since, rev)
		});
	});

/**
 * HEAD /api/stream: the headers a GET would start with, at once, and no stream held (SvelteKit
 * would otherwise run GET and wait for an event stream that never ends). `since` is checked as
 * GET checks it.
 */
export const HEAD: RequestHandler = ({ url, request }) =>
	answer(async () => {
		parseSince(url, request);
		return new Response(null, { headers: SSE_HEADERS });
	});
