import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { DEVICE_COOKIE, SESSION_COOKIE, SESSION_TTL_MS } from '$lib/server/auth/sessions';
import { cookieOptions, identify } from '$lib/server/auth/handle';
import { signIn, signOut, validateLogin } from '$lib/server/auth/login';
import { clientIp } from '$lib/server/auth/request';
import { readJsonBody } from '$lib/server/http/body';
import { ApiError, answer, errorResponse } from '$lib/server/http/errors';
import { streamIdentity } from '$lib/server/live/sse';

/**
 * GET /api/session — who am I: `{ user: { id, username, displayName, role } | null, via,
 * device: 'revoked' | null }` (`device: 'revoked'`: this browser's kiosk token was revoked).
 */
export const GET: RequestHandler = (event) =>
	answer(async () => {
		const caller = await identify(event);
		return Response.json(
			{ user: caller.user, via: caller.via, device: caller.deviceRevoked ? 'revoked' : null },
			{ headers: { 'cache-control': 'no-store' } }
		);
	});

/**
 * POST /api/session `{ username, password }` → 200 `{ user }` and the session cookie;
 * 401 wrong name or password; 429 (Retry-After) after too many failures.
 */
export const POST: RequestHandler = (event) =>
	answer(async () => {
		const input = validateLogin(await readJsonBody(event.request, 4096));
		const app = await getApp();
		try {
			const { user, session } = await signIn(
				app.db,
				input,
				{ ip: clientIp(event), userAgent: event.request.headers.get('user-agent') },
				Date.now(),
				app.config.loginMaxFailures
			);
			event.cookies.set(SESSION_COOKIE, session.token, cookieOptions(event, SESSION_TTL_MS / 1000));
			return Response.json({ user, expiresAt: session.expiresAt });
		} catch (err) {
			if (err instanceof ApiError && err.status === 429) {
				const res = errorResponse(err);
				res.headers.set('retry-after', String(err.details.retryAfter));
				return res;
			}
			throw err;
		}
	});

/**
 * DELETE /api/session — sign out: the session is deleted, its cookie cleared and its live streams
 * ended (on every app server). Without a session, a device cookie is cleared instead (the browser
 * stops being a kiosk).
 */
export const DELETE: RequestHandler = (event) =>
	answer(async () => {
		const app = await getApp();
		const token = event.cookies.get(SESSION_COOKIE);
		const signedOut = await signOut(app.db, token, event.locals.user, clientIp(event));
		const identity = signedOut && token ? streamIdentity(event.locals.user, token) : undefined;
		if (identity) app.bus.closeIdentity(identity);
		if (event.cookies.get(SESSION_COOKIE)) event.cookies.delete(SESSION_COOKIE, { path: '/' });
		else if (event.cookies.get(DEVICE_COOKIE)) event.cookies.delete(DEVICE_COOKIE, { path: '/' });
		return Response.json({ signedOut });
	});
