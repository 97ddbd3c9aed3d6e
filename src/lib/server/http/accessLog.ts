/**
 * One JSON line per request when ONEMAP_LOG=json (see ../log.ts): method, route pattern, status,
 * time to the answer's headers, the actor's id and a request id (also sent back as
 * `X-Request-Id`, so an operator can find a user's failed request in the log). First in the
 * hook sequence, so refusals by the guard are logged too.
 */
import type { Handle } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import { jsonLine, logFormat, type LogFormat } from '../log';

export function requestLine(
	event: { request: Request; route: { id: string | null }; locals: App.Locals },
	status: number,
	ms: number,
	id: string
): string {
	return jsonLine(status >= 500 ? 'error' : 'info', 'request', {
		method: event.request.method,
		route: event.route.id,
		status,
		ms: Math.round(ms * 10) / 10,
		actor: event.locals.user?.id ?? null,
		id
	});
}

export function accessLogHandle(
	format: LogFormat = logFormat(process.env.ONEMAP_LOG),
	out: (line: string) => void = (l) => process.stdout.write(l)
): Handle {
	if (format !== 'json') return ({ event, resolve }) => resolve(event);
	return async ({ event, resolve }) => {
		const t0 = performance.now();
		const id = randomUUID();
		let status = 500;
		try {
			const response = await resolve(event);
			status = response.status;
			try {
				response.headers.set('x-request-id', id);
			} catch {
				/* immutable headers (a fetch passed through): the line still has the id */
			}
			return response;
		} finally {
			out(requestLine(event, status, performance.now() - t0, id) + '\n');
		}
	};
}
