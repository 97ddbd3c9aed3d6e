/**
 * GET /api/stream: Server-Sent Events. On connect: `hello` (the current rev), then — when the
 * client says where it stands (`?since=<rev>` or the Last-Event-ID header EventSource sends on
 * reconnect) — every incident changed since, then live events as they happen.
 */
import type { Queryable } from '../db/types';
import { ApiError } from '../http/errors';
import { RECORD_COLUMNS, type IncidentRecord } from '../incidents/records';
import { maskEvent } from '../auth/mask';
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

export async function replayEvents(db: Queryable, since: number): Promise<LiveEvent[]> {
	const rows = await db.query<IncidentRecord>(
		`SELECT ${RECORD_COLUMNS} FROM incident i WHERE i.rev > $1 ORDER BY i.rev LIMIT ${MAX_REPLAY + 1}`,
		[since]
	);
	if (rows.length > MAX_REPLAY) {
		return [{ type: 'reload', reason: `more than ${MAX_REPLAY} changes since rev ${since}` }];
	}
	return rows.length ? [{ type: 'incidents', change: 'replay', incidents: rows }] : [];
}

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
					owner: opts.owner
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
		headers: {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-cache, no-transform',
			'x-accel-buffering': 'no'
		}
	});
}
