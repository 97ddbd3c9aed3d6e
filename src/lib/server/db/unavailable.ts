/**
 * "The database cannot be reached right now" — the one place that decides which errors mean
 * that (a restart, a failover, a refused or dropped connection) and how the API answers them:
 * 503 with a JSON `{ message }` a person can act on and a Retry-After, never a 500 or a crash.
 * The request was not applied (its transaction, if any, rolled back with the connection).
 */
import type { Handle } from '@sveltejs/kit';

/** How long a client should wait before retrying, in seconds (a restart takes a few). */
export const RETRY_AFTER_S = 5;

export const DATABASE_UNAVAILABLE_MESSAGE =
	'The database cannot be reached right now (restarting or failing over); the request was not applied. Try again in a few seconds; if this persists, check the database server (GET /api/health says what is wrong).';

/** Node socket errors that mean the connection to the server failed or was cut. */
const SOCKET_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ECONNABORTED',
	'EPIPE',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENOTFOUND',
	'EAI_AGAIN'
]);

/**
 * PostgreSQL SQLSTATEs: 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now
 * (starting up, in recovery), 53300 too_many_connections, and class 08 (connection exception).
 */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** node-postgres and pg-pool say it in words only. */
const MESSAGES = [
	/^Connection terminated/i, // "Connection terminated unexpectedly", "… due to connection timeout"
	/^Client has encountered a connection error/i,
	/^timeout exceeded when trying to connect/i,
	/^Cannot use a pool after calling end/i,
	/^Client was closed and is not queryable/i
];

/** True when `err` (or what it wraps) says the database is unreachable, not that a query is wrong. */
export function isDatabaseUnavailable(err: unknown): boolean {
	for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
		const { code, message, cause, errors } = e as {
			code?: unknown;
			message?: unknown;
			cause?: unknown;
			errors?: unknown;
		};
		if (typeof code === 'string') {
			if (SOCKET_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))
				return true;
		}
		if (typeof message === 'string' && MESSAGES.some((m) => m.test(message))) return true;
		// AggregateError (a connect that tried IPv4 and IPv6 and was refused on both).
		if (Array.isArray(errors) && errors.some(isDatabaseUnavailable)) return true;
		e = cause;
	}
	return false;
}

/** The API's answer to a request that failed because the database is unreachable. */
export function databaseUnavailableResponse(): Response {
	return Response.json(
		{ message: DATABASE_UNAVAILABLE_MESSAGE, field: null, code: 'database_unavailable' },
		{ status: 503, headers: { 'retry-after': String(RETRY_AFTER_S) } }
	);
}

let lastLogged = 0;
let suppressed = 0;

/** Logs a database outage seen by a request: once per 10 s, with how many were not logged. */
export function logUnavailable(where: string, err: unknown, now = Date.now()): void {
	if (now - lastLogged < 10_000) {
		suppressed++;
		return;
	}
	const more = suppressed ? ` (and ${suppressed} more since the last line)` : '';
	console.warn(
		`[db] ${where}: database unavailable, answered 503: ${(err as Error)?.message ?? err}${more}`
	);
	lastLogged = now;
	suppressed = 0;
}

/**
 * hooks.server.ts: a database that cannot be reached while the request guard looks up who is
 * calling, or anywhere else outside a handler's own `answer()`, is a 503 JSON answer, not a 500.
 */
export const databaseUnavailableHandle: Handle = async ({ event, resolve }) => {
	try {
		return await resolve(event);
	} catch (err) {
		if (!isDatabaseUnavailable(err)) throw err;
		logUnavailable(`${event.request.method} ${event.url.pathname}`, err);
		return databaseUnavailableResponse();
	}
};
