import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { readJsonBody } from '$lib/server/http/body';
import { answer } from '$lib/server/http/errors';
import { follow, release, wallState } from '$lib/server/live/wall';

/** GET /api/wall/follow — what the wall shows now: `{ mode: 'tour' }` or the followed view. */
export const GET: RequestHandler = () => answer(async () => Response.json(wallState()));

/** POST /api/wall/follow `{ center: [lon, lat], zoom, by? }` — the wall follows this view. */
export const POST: RequestHandler = ({ request }) =>
	answer(async () => {
		const app = await getApp();
		return Response.json(follow(app.bus, await readJsonBody(request, 4096)));
	});

/** DELETE /api/wall/follow — release the wall back to its tour. */
export const DELETE: RequestHandler = () =>
	answer(async () => {
		const app = await getApp();
		return Response.json(release(app.bus));
	});
