import type { ServerInit } from '@sveltejs/kit';
import { dev } from '$app/environment';
import { startApp, stopApp } from '$lib/server/app';

/**
 * Opens the database (creating it and loading the demo city on first start), warms the
 * incident snapshot and starts the simulator — all before adapter-node starts listening, so no
 * request ever waits behind a database that is still opening.
 */
export const init: ServerInit = async () => {
	const app = await startApp();
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
