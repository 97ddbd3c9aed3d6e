import type { HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { dev } from '$app/environment';
import { DemoPasswordError, startApp, stopApp } from '$lib/server/app';
import { FolderInUseError } from '$lib/server/dataLock';
import { authHandle, securityHeaders } from '$lib/server/auth/handle';
import { accessLogHandle } from '$lib/server/http/accessLog';
import { corsHandle } from '$lib/server/http/cors';
import { basemapCsp } from '$lib/server/http/csp';
import { originProblem, requestGuard } from '$lib/server/http/guard';
import { readConfig } from '$lib/server/config';
import { databaseUnavailableHandle } from '$lib/server/db/unavailable';
import { installJsonConsole, logFormat } from '$lib/server/log';

// ONEMAP_LOG=json: every line the server writes is one JSON object (lib/server/log.ts).
if (logFormat(process.env.ONEMAP_LOG) === 'json') installJsonConsole();

/**
 * Every request: with ONEMAP_LOG=json one JSON line (http/accessLog.ts); security headers on the answer; one Host header, and a trusted one without
 * ORIGIN; every /api and /ogc refusal as JSON (http/guard.ts); cross-origin reads of /ogc by the
 * origins ONEMAP_CORS_ORIGINS lists (http/cors.ts); who is calling (session cookie, device cookie
 * or Bearer device token) into `locals.user`; the CSRF origin check; the policy table
 * (src/lib/server/auth/policy.ts, deny by default); a page's CSP also allows the loaded city's
 * intranet basemap origin, when it names one (http/csp.ts); a database that cannot be reached
 * is a 503 JSON answer, not a 500 (db/unavailable.ts).
 */
export const handle = sequence(
	accessLogHandle(),
	securityHeaders,
	requestGuard,
	corsHandle(),
	databaseUnavailableHandle,
	basemapCsp,
	authHandle
);

/**
 * Errors SvelteKit raises itself: a URL that matches nothing (404) or cannot be decoded (400) is
 * the client's mistake and is answered, not logged with a stack (a scanner would fill the log);
 * anything else is a server fault and is logged in full.
 */
export const handleError: HandleServerError = ({ error, status, message, event }) => {
	if (status >= 500) console.error(`[error] ${event.request.method} ${event.url.pathname}`, error);
	return { message };
};

/**
 * Refuses a production start without ORIGIN (http/guard.ts). Opens the database (creating it and loading the demo city on first start), warms the
 * incident snapshot and starts the simulator — all before adapter-node starts listening, so no
 * request ever waits behind a database that is still opening.
 */
export const init: ServerInit = async () => {
	const origin = dev ? null : originProblem(readConfig().production);
	if (origin) {
		console.error(`\n✗ ${origin}\n`);
		process.exit(1);
	}
	let app;
	try {
		app = await startApp();
	} catch (err) {
		if ((err instanceof DemoPasswordError || err instanceof FolderInUseError) && !dev) {
			console.error(`\n✗ ${err.message}\n`);
			process.exit(1);
		}
		throw err;
	}
	const g = globalThis as { __onemapSignals?: boolean };
	// Under adapter-node only: there SIGTERM/SIGINT start a graceful shutdown that ends with
	// `sveltekit:shutdown`. (A signal listener in `vite dev` would stop Ctrl+C from exiting.)
	if (!dev && !g.__onemapSignals) {
		g.__onemapSignals = true;
		// Open SSE streams would keep that shutdown waiting (SHUTDOWN_TIMEOUT, 30 s): end them as
		// soon as a stop is asked for; the database closes once the HTTP server has drained.
		const endStreams = () => app.bus.close();
		process.once('SIGTERM', endStreams);
		process.once('SIGINT', endStreams);
		process.once('sveltekit:shutdown', () => void stopApp());
	}
};
