import type { ServerInit } from '@sveltejs/kit';
import { startApp, stopApp } from '$lib/server/app';

/**
 * Opens the database (creating it and loading the demo city on first start), warms the
 * incident snapshot and starts the simulator — all before adapter-node starts listening, so no
 * request ever waits behind a database that is still opening.
 */
export const init: ServerInit = async () => {
	const app = await startApp();
	const g = globalThis as { __onemapSignals?: boolean };
	if (!g.__onemapSignals) {
		g.__onemapSignals = true;
		// Open SSE streams would keep adapter-node's graceful shutdown waiting (30 s): end them as
		// soon as a stop is asked for; the database closes once the HTTP server has drained.
		const endStreams = () => app.bus.close();
		process.once('SIGTERM', endStreams);
		process.once('SIGINT', endStreams);
		process.once('sveltekit:shutdown', () => void stopApp());
	}
};
