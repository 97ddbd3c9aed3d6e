/**
 * "The database cannot be reached right now" — the one place that decides which errors mean
 * that (a restart, a failover, a refused or dropped connection) and how the API answers them:
 * 503 with a JSON `{ message }` a person can act on and a Retry-After, never a 500 or a crash.
 * The request was not applied (its transaction, if any, rolled back with the connection).
 * A browser opening a page (/login, a kiosk link) gets a page saying so instead, also 503.
 */
import { error, type Handle } from '@sveltejs/kit';
import { en, format, zhCN, type Catalogue } from '$lib/i18n/messages';

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

/** A browser navigating to a page (not a call for data: /api, /ogc, /data answer JSON). */
export function wantsPage(request: Request, url: URL): boolean {
	return (
		!/^\/(?:api|ogc|data)(?:\/|$)/.test(url.pathname) &&
		(request.headers.get('accept') ?? '').includes('text/html')
	);
}

const says = (c: Catalogue) => format(c, 'db.unavailable', { s: RETRY_AFTER_S });
/** The outage in both languages (the page cannot know which one the reader chose). */
export const DATABASE_UNAVAILABLE_TEXT = `${says(zhCN)} · ${says(en)}`;

const escapeHtml = (s: string) =>
	s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * The page a browser gets while the database is unreachable: 503, both languages, and it
 * reloads itself every RETRY_AFTER_S seconds (a wall's kiosk link carries on by itself).
 */
export function databaseUnavailablePage(): Response {
	const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="refresh" content="${RETRY_AFTER_S}">
<title>503 · ${escapeHtml(zhCN['db.unavailable.title'])}</title></head>
<body><main data-testid="database-unavailable">
<h1>${escapeHtml(zhCN['db.unavailable.title'])}</h1><p>${escapeHtml(says(zhCN))}</p>
<h1 lang="en">${escapeHtml(en['db.unavailable.title'])}</h1><p lang="en">${escapeHtml(says(en))}</p>
</main></body></html>
`;
	return new Response(html, {
		status: 503,
		headers: {
			'content-type': 'text/html; charset=utf-8',
			'retry-after': String(RETRY_AFTER_S),
			'cache-control': 'no-store'
		}
	});
}

/** The answer to a request the outage stopped: a page for a browser's page, else JSON. */
export function unavailableAnswer(request: Request, url: URL, err: unknown): Response {
	logUnavailable(`${request.method} ${url.pathname}`, err);
	return wantsPage(request, url) ? databaseUnavailablePage() : databaseUnavailableResponse();
}

/**
 * For a page's `load`: an outage becomes SvelteKit's error page with 503 and the message in both
 * languages (instead of a 500); any other error is rethrown as it was.
 */
export function rethrowAsPageError(where: string, err: unknown): never {
	if (!isDatabaseUnavailable(err)) throw err;
	logUnavailable(where, err);
	error(503, { message: DATABASE_UNAVAILABLE_TEXT });
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
 * calling, or anywhere else outside a handler's own `answer()`, is a 503 (JSON, or for a browser's
 * page the page above), not a 500.
 */
export const databaseUnavailableHandle: Handle = async ({ event, resolve }) => {
	try {
		return await resolve(event);
	} catch (err) {
		if (!isDatabaseUnavailable(err)) throw err;
		return unavailableAnswer(event.request, event.url, err);
	}
};
