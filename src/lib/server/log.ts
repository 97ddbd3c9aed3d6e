/**
 * The server's log format (ONEMAP_LOG). `text` (default): readable lines as they are written,
 * no line per request. `json`: every line is one JSON object — `{ t, level, msg }` for what the
 * server says, and one `{ t, level, msg: "request", method, route, status, ms, actor, id }` per
 * request (http/accessLog.ts). Request lines carry the route pattern (`/api/incidents/[id]`), not
 * the query string, and the actor's id, not a name: never passwords, tokens or personal data.
 */
import { format } from 'node:util';

export type LogFormat = 'text' | 'json';
export type LogLevel = 'info' | 'warn' | 'error';

export function logFormat(value: string | undefined): LogFormat {
	return (value ?? '').trim().toLowerCase() === 'json' ? 'json' : 'text';
}

/** One JSON log line (without the newline). */
export function jsonLine(
	level: LogLevel,
	msg: string,
	fields: Record<string, unknown> = {},
	at: Date = new Date()
): string {
	return JSON.stringify({ t: at.toISOString(), level, msg, ...fields });
}

const installed = Symbol.for('onemap.server.jsonConsole');

/**
 * In `json` format, console.log/info/warn/error write one JSON line each (the message formatted
 * as console would, stack traces included), so every line a log collector reads parses.
 */
export function installJsonConsole(out: (line: string) => void = (l) => process.stdout.write(l)) {
	const g = globalThis as Record<symbol, unknown>;
	if (g[installed]) return;
	g[installed] = true;
	const as =
		(level: LogLevel) =>
		(...args: unknown[]) =>
			out(jsonLine(level, format(...args)) + '\n');
	console.log = as('info');
	console.info = as('info');
	console.warn = as('warn');
	console.error = as('error');
}
