/**
 * Idempotency keys (issue 16) for the write routes: intake, case transitions, dispatch. A client
 * sends `Idempotency-Key: <its own unique id>` with a write; if it never hears the answer (a
 * timeout, a dropped connection, a 503 from a proxy) it sends the same request with the same key
 * again and gets the first answer back — with `Idempotent-Replayed: true` — and nothing is stored
 * twice. The key is claimed and the answer stored in the same transaction as the write itself, so
 * a key exists exactly when its write was committed: a write that failed or rolled back can be
 * retried with its key. Keys belong to the signed-in user or device and last 24 hours. The same
 * key with a different request (route or body) is refused with 422.
 */
import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../db/types';
import { ApiError } from './errors';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';
/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_HOURS = 24;
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** The answer of a write, as stored for a replay; `after` runs once, after the commit (publish). */
export interface WriteAnswer {
	status: number;
	body: unknown;
	/** A Location header (intake of one incident). */
	location?: string;
	after?: () => void;
}

/** The key a request carries, or null; a malformed one is a 400. */
export function idempotencyKey(request: Request): string | null {
	const key = request.headers.get(IDEMPOTENCY_HEADER);
	if (key === null) return null;
	if (!KEY_PATTERN.test(key))
		throw new ApiError(
			400,
			'Idempotency-Key: 1 to 200 visible ASCII characters without spaces (a UUID is a good choice), one header per request.',
			'Idempotency-Key'
		);
	return key;
}

/** A `Db` whose transactions join `tx` (so a write function can run inside the key's transaction). */
function joined(db: Db, tx: Queryable): Db {
	return {
		kind: db.kind,
		where: db.where,
		query: (sql, params) => tx.query(sql, params),
		exec: (sql) => tx.exec(sql),
		transaction: (fn) => fn(tx),
		close: () => Promise.reject(new Error('a joined transaction cannot close the database'))
	};
}

function respond(answer: WriteAnswer, replayed: boolean): Response {
	const headers: Record<string, string> = {};
	if (answer.location) headers.location = answer.location;
	if (replayed) headers[REPLAYED_HEADER] = 'true';
	return Response.json(answer.body, { status: answer.status, headers });
}

let lastSweep = 0;

/**
 * Runs the write `run` (given a `Db` to write through) once per key: the first request commits
 * the write and its answer together; a retry with the same key gets the stored answer. Without a
 * key the write simply runs. `request` is what identifies "the same request": the route and the
 * validated body.
 */
export async function idempotent(
	db: Db,
	key: string | null,
	request: { actorId: string; route: string; body: unknown },
	run: (db: Db) => Promise<WriteAnswer>
): Promise<Response> {
	if (key === null) {
		const answer = await run(db);
		answer.after?.();
		return respond(answer, false);
	}
	const fingerprint = createHash('sha256')
		.update(request.route)
		.update('\n')
		.update(JSON.stringify(request.body) ?? '')
		.digest('hex');
	const outcome = await db.transaction(async (tx) => {
		const now = Date.now();
		if (now - lastSweep > 60_000) {
			lastSweep = now;
			await tx.query(
				`DELETE FROM idempotency_key WHERE created_at < now() - make_interval(hours => $1)`,
				[IDEMPOTENCY_TTL_HOURS]
			);
		}
		await tx.query(
			`DELETE FROM idempotency_key WHERE actor_id = $1 AND key = $2
			   AND created_at < now() - make_interval(hours => $3)`,
			[request.actorId, key, IDEMPOTENCY_TTL_HOURS]
		);
		// A concurrent request with the same key waits here until the first one commits.
		const claimed = await tx.query(
			`INSERT INTO idempotency_key (actor_id, key, route, fingerprint) VALUES ($1, $2, $3, $4)
			 ON CONFLICT DO NOTHING RETURNING 1 AS claimed`,
			[request.actorId, key, request.route, fingerprint]
		);
		if (claimed.length === 0) {
			const [stored] = await tx.query<{
				route: string;
				fingerprint: string;
				status: number;
				body: unknown;
				location: string | null;
			}>(
				`SELECT route, fingerprint, status, body, location FROM idempotency_key
				 WHERE actor_id = $1 AND key = $2`,
				[request.actorId, key]
			);
			if (stored.fingerprint !== fingerprint)
				throw new ApiError(
					422,
					`Idempotency-Key "${key}" was already used for another request${stored.route === request.route ? ' (a different body)' : ` (${stored.route})`}; use a new key for a new request.`,
					'Idempotency-Key'
				);
			const replay: WriteAnswer = {
				status: stored.status,
				body: stored.body,
				location: stored.location ?? undefined
			};
			return { answer: replay, replayed: true };
		}
		const answer = await run(joined(db, tx));
		await tx.query(
			`UPDATE idempotency_key SET status = $3, body = $4::jsonb, location = $5
			 WHERE actor_id = $1 AND key = $2`,
			[request.actorId, key, answer.status, JSON.stringify(answer.body), answer.location ?? null]
		);
		return { answer, replayed: false };
	});
	if (!outcome.replayed) outcome.answer.after?.();
	return respond(outcome.answer, outcome.replayed);
}
