/**
 * GET /api/stream: Server-Sent Events. On connect: `hello` (the current rev), then — when the
 * client says where it stands (`?since=<rev>` or the Last-Event-ID header EventSource sends on
 * reconnect) — every incident changed since, then live events as they happen.
 */
import type { Queryable } from '../db/types';
import { ApiError } from '../http/errors';
import { RECORD_COLUMNS, type IncidentRecord } from '../incidents/records';
import { maskEvent } from '../auth/mask';
import { hashToken } from '../auth/tokens';
import { frame, type LiveBus, type LiveEvent } from './bus';

/** More changes than this since `since`: the client should reload the snapshot instead. */
export const MAX_REPLAY = 5000;
const HEARTBEAT_MS = 15_000;
/** A client this many frames behind is dropped; EventSource reconnects and catches up. */
const MAX_QUEUED_FRAMES = 2000;

/**
 * Where the client stands: `?since=<rev>` (a bad value is the caller's mistake: 400), else the
 * Last-Event-ID header EventSource sends by itself (a bad one is ignored: no replay).
 */
export function parseSince(url: URL, request: Request): number | null {
	const query = url.searchParams.get('since');
	if (query !== null && query !== '') {
		const n = Number(query);
		if (!/^\d+$/.test(query) || !Number.isSafeInteger(n))
			throw new ApiError(
				400,
				`since: must be a change number (X-OneMap-Rev of the snapshot), got "${query.slice(0, 40)}".`,
				'since'
			);
		return n;
	}
	const header = request.headers.get('last-event-id');
	if (header === null || !/^\d+$/.test(header)) return null;
	const n = Number(header);
	return Number.isSafeInteger(n) ? n : null;
}

/**
 * Whether a client at `since` must reload the snapshot rather than replay, decided from the
 * change counter alone (no rows read): every change takes a new `rev`, so at most `rev − since`
 * incidents changed after `since`; more than MAX_REPLAY revs behind is a reload. (It may reload
 * where a replay would have done — many changes to few incidents — never the other way round.)
 */
export function replayTooLong(since: number, rev: number): boolean {
	return rev - since > MAX_REPLAY;
}

/**
 * What a client at `since` is sent after `hello`. `rev`: the current counter, read before
 * subscribing; the rows are read after, so they also cover a change committed in between (the
 * LIMIT only guards a window the counter check let through).
 */
export async function replayEvents(
	db: Queryable,
	since: number,
	rev: number
): Promise<LiveEvent[]> {
	if (replayTooLong(since, rev)) {
		return [{ type: 'reload', reason: `more than ${MAX_REPLAY} changes since rev ${since}` }];
	}
	const rows = await db.query<IncidentRecord>(
		`SELECT ${RECORD_COLUMNS} FROM incident i WHERE i.rev > $1 ORDER BY i.rev LIMIT ${MAX_REPLAY + 1}`,
		[since]
	);
	if (rows.length > MAX_REPLAY) {
		return [{ type: 'reload', reason: `more than ${MAX_REPLAY} changes since rev ${since}` }];
	}
	return rows.length ? [{ type: 'incidents', change: 'replay', incidents: rows }] : [];
}

/** Streams one sign-in (a session, a device) may hold at once; a browser opens 1 per tab. */
export const MAX_STREAMS_PER_IDENTITY = 8;

/** The 429 a sign-in gets for a stream beyond MAX_STREAMS_PER_IDENTITY, or null. */
export function streamCapProblem(bus: LiveBus, identity: string | undefined): ApiError | null {
	if (!identity || bus.countIdentity(identity) < MAX_STREAMS_PER_IDENTITY) return null;
	return new ApiError(
		429,
		`This sign-in already holds ${MAX_STREAMS_PER_IDENTITY} live streams (/api/stream), the most one sign-in may; close OneMap tabs or windows you no longer use, or sign in separately on another screen, then retry.`,
		null,
		[],
		{ code: 'too_many_streams' }
	);
}

/** The headers of a live stream (also HEAD /api/stream's whole answer). */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
	'content-type': 'text/event-stream; charset=utf-8',
	'cache-control': 'no-cache, no-transform',
	'x-accel-buffering': 'no'
};

export function sseResponse(
	bus: LiveBus,
	opts: {
		rev: number;
		/** The loaded city (cityIdentity.ts cityLoadToken), sent in `hello`. */
		city?: string;
		replay?: () => Promise<LiveEvent[]>;
		/** Strip personal data from every event (the wall). */
		masked?: boolean;
		/** Who holds the stream (bus.closeOwner ends it). */
		owner?: string;
		/** Which sign-in holds it (bus.countIdentity, the per-identity cap). */
		identity?: string;
	}
): Response {
	const encoder = new TextEncoder();
	let cleanup = () => {};
	let open = true;
	const stream = new ReadableStream<Uint8Array>(
		{
			start(controller) {
				let live = false;
				const held: Uint8Array[] = [];
				const close = () => {
					if (!open) return;
					open = false;
					cleanup();
					try {
						controller.close();
					} catch {
						/* already closed by the client */
					}
				};
				const send = (bytes: Uint8Array) => {
					if (!open) return;
					if ((controller.desiredSize ?? 0) < -MAX_QUEUED_FRAMES) return close();
					try {
						controller.enqueue(bytes);
					} catch {
						close(); // the client went away between two events
					}
				};
				// Subscribe before replaying, holding live frames until the replay is out, so
				// nothing that happens in between is lost (a duplicate is harmless: upsert by id).
				const unsubscribe = bus.subscribe({
					send: (bytes) => (live ? send(bytes) : held.push(bytes)),
					close,
					masked: opts.masked,
					owner: opts.owner,
					identity: opts.identity
				});
				const heartbeat = setInterval(() => send(encoder.encode(': ping\n\n')), HEARTBEAT_MS);
				heartbeat.unref?.();
				cleanup = () => {
					unsubscribe();
					clearInterval(heartbeat);
				};
				send(encoder.encode('retry: 2000\n\n'));
				send(frame({ type: 'hello', rev: opts.rev, serverTime: Date.now(), city: opts.city }));
				const replay = opts.replay ?? (async () => []);
				replay()
					.then((events) => events.forEach((e) => send(frame(opts.masked ? maskEvent(e) : e))))
					.catch((err) => {
						console.error('[sse] replay failed:', err);
						send(frame({ type: 'reload', reason: 'replay failed' }));
					})
					.finally(() => {
						held.splice(0).forEach(send);
						live = true;
					});
			},
			cancel() {
				open = false;
				cleanup();
			}
		},
		{ highWaterMark: 16 }
	);
	return new Response(stream, {
		headers: SSE_HEADERS
	});
}

/**
 * The sign-in a stream counts against: a device (kiosk link, Bearer token) is one identity; a
 * signed-in person is one per session (one login on one browser), so a team sharing an account
 * on several screens is not capped as one.
 */
export function streamIdentity(
	user: { id: string } | null | undefined,
	sessionToken: string | undefined
): string | undefined {
	if (!user) return undefined;
	if (user.id.startsWith('device:') || !sessionToken) return user.id;
	return `${user.id}|${hashToken(sessionToken).slice(0, 16)}`;
}
