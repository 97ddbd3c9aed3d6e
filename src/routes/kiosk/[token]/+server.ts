import type { RequestHandler } from './$types';
import { safeNext } from '$lib/domain/auth';
import { getApp } from '$lib/server/app';
import { lookupDevice } from '$lib/server/auth/devices';
import { DEVICE_COOKIE_MAX_AGE_S, cookieOptions } from '$lib/server/auth/handle';
import { DEVICE_COOKIE } from '$lib/server/auth/sessions';
import { isDatabaseUnavailable, unavailableAnswer } from '$lib/server/db/unavailable';

/**
 * GET /kiosk/<token> — the kiosk link an admin issues for the wall: stores the device token in a
 * long-lived HttpOnly cookie and goes to /wall (or `?next=/path`). The database keeps the token,
 * so after a server restart the wall simply carries on. A revoked or unknown token goes to the
 * sign-in page, which says so. With the database unreachable: a 503 page that says so and
 * reloads itself (db/unavailable.ts), so the wall comes back on its own.
 */
export const GET: RequestHandler = async (event) => {
	const app = await getApp();
	let found;
	try {
		found = await lookupDevice(app.db, event.params.token);
	} catch (err) {
		if (!isDatabaseUnavailable(err)) throw err;
		return unavailableAnswer(event.request, event.url, err);
	}
	if (found.state !== 'active') {
		const reason = found.state === 'revoked' ? 'revoked' : 'unknown';
		return new Response(null, { status: 303, headers: { location: `/login?device=${reason}` } });
	}
	event.cookies.set(
		DEVICE_COOKIE,
		event.params.token,
		cookieOptions(event, DEVICE_COOKIE_MAX_AGE_S)
	);
	const target = safeNext(event.url.searchParams.get('next')) ?? '/wall';
	return new Response(null, {
		status: 303,
		headers: { location: target, 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' }
	});
};
