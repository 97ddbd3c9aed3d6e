/**
 * Follow mode: a duty officer pushes their view to the wall, which follows it until released.
 * The state is kept in the database (`meta` key `wall_state`: one wall per command centre), so
 * every app server on one PostgreSQL answers the same, and every change goes out on the live feed
 * as a `wall` event (to every server's streams, live/pgBus.ts); a wall that connects later asks
 * GET /api/wall/follow.
 */
import { z } from 'zod';
import type { WallState } from '$lib/domain/live';
import type { Db, Queryable } from '../db/types';
import { ApiError } from '../http/errors';
import type { LiveBus } from './bus';

const WALL_KEY = 'wall_state';

/** What the wall shows now (its tour unless a view was pushed). */
export async function wallState(db: Queryable): Promise<WallState> {
	const [row] = await db.query<{ value: WallState }>('SELECT value FROM meta WHERE key = $1', [
		WALL_KEY
	]);
	return row?.value ?? { mode: 'tour' };
}

/**
 * Back to the tour at the start of the only server (the embedded database), as when the state
 * lived in its memory; servers sharing a PostgreSQL keep it (the others still show it).
 */
export async function forgetWallState(db: Queryable): Promise<void> {
	await db.query('DELETE FROM meta WHERE key = $1', [WALL_KEY]);
}

/**
 * Stores `state` (in one transaction with `audit`, which sees the state before), then tells
 * every wall on the live bus.
 */
async function setWallState(
	db: Db,
	bus: LiveBus,
	state: WallState,
	audit?: (tx: Queryable, before: WallState) => Promise<unknown>
): Promise<WallState> {
	await db.transaction(async (tx) => {
		const before = await wallState(tx);
		await audit?.(tx, before);
		await tx.query(
			`INSERT INTO meta (key, value) VALUES ($1, $2::jsonb)
			 ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
			[WALL_KEY, JSON.stringify(state)]
		);
	});
	bus.publish({ type: 'wall', ...state });
	return state;
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
export function follow(
	db: Db,
	bus: LiveBus,
	view: FollowView,
	by: string,
	now = Date.now(),
	audit?: (tx: Queryable, before: WallState) => Promise<unknown>
): Promise<WallState> {
	const state: WallState = { mode: 'follow', center: view.center, zoom: view.zoom, by, since: now };
	return setWallState(db, bus, state, audit);
}

/** The wall goes back to its tour. */
export function release(
	db: Db,
	bus: LiveBus,
	audit?: (tx: Queryable, before: WallState) => Promise<unknown>
): Promise<WallState> {
	return setWallState(db, bus, { mode: 'tour' }, audit);
}
