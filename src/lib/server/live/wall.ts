/**
 * Follow mode: a duty officer pushes their view to the wall, which follows it until released.
 * The state lives in the server process (one wall per command centre) and every change goes out
 * on the live feed as a `wall` event; a wall that connects later asks GET /api/wall/follow.
 */
import { z } from 'zod';
import type { WallState } from '$lib/domain/live';
import { ApiError } from '../http/errors';
import type { LiveBus } from './bus';

const KEY = Symbol.for('onemap.wallState');
const store = globalThis as unknown as { [KEY]?: WallState };

export function wallState(): WallState {
	return store[KEY] ?? { mode: 'tour' };
}

const followSchema = z.strictObject({
	center: z.tuple([
		z.number().min(-180, { error: 'longitude must be between -180 and 180' }).max(180, {
			error: 'longitude must be between -180 and 180'
		}),
		z.number().min(-85, { error: 'latitude must be between -85 and 85' }).max(85, {
			error: 'latitude must be between -85 and 85'
		})
	]),
	zoom: z
		.number()
		.min(3, { error: 'must be between 3 and 20' })
		.max(20, { error: 'must be between 3 and 20' })
});

export interface FollowView {
	center: [number, number];
	zoom: number;
}

/**
 * Validates a follow request; a problem is a 422 naming the field. Who pushed it is the
 * signed-in user, not a field of the body.
 */
export function parseFollow(body: unknown): FollowView {
	const parsed = followSchema.safeParse(body);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const field = issue.path.join('.') || null;
		throw new ApiError(
			422,
			`${field ?? 'body'}: ${issue.message}. Send {"center": [lon, lat], "zoom": 3–20}.`,
			field
		);
	}
	const { center, zoom } = parsed.data;
	return { center, zoom };
}

/** The wall follows `view`, pushed by `by` (a display name). */
export function follow(bus: LiveBus, view: FollowView, by: string, now = Date.now()): WallState {
	const state: WallState = { mode: 'follow', center: view.center, zoom: view.zoom, by, since: now };
	store[KEY] = state;
	bus.publish({ type: 'wall', ...state });
	return state;
}

export function release(bus: LiveBus): WallState {
	const state: WallState = { mode: 'tour' };
	store[KEY] = state;
	bus.publish({ type: 'wall', ...state });
	return state;
}
