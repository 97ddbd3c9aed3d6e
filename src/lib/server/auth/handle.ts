/**
 * The request guard (hooks.server.ts `handle`): who is calling (session cookie, device cookie or
 * `Authorization: Bearer <device token>`), the CSRF origin check for cookie-authenticated
 * writes, the policy table (policy.ts, deny by default), and security headers on every answer.
 */
import type { Handle, RequestEvent } from '@sveltejs/kit';
import type { SessionUser } from '$lib/domain/auth';
import { getApp } from '../app';
import { requestOrigin } from '../http/origin';
import { lookupDevice } from './devices';
import { decide, homeOf, routePolicy } from './policy';
import { DEVICE_COOKIE, SESSION_COOKIE, lookupSession, SESSION_TTL_MS } from './sessions';

type Via = 'session' | 'device' | 'bearer' | null;

export interface Caller {
	user: SessionUser | null;
	via: Via;
	/** The device cookie or Bearer token names a revoked device. */
	deviceRevoked: boolean;
	/** A Bearer token was sent but is not a valid device token. */
	badBearer: boolean;
}

/**
 * Cookie options: HttpOnly, SameSite=Lax, Path=/, Secure when the app is reached over https
 * (ORIGIN=https://… or PROTOCOL_HEADER behind a TLS proxy; see http/origin.ts).
 */
export function cookieOptions(event: Pick<RequestEvent, 'url'>, maxAgeS: number) {
	return {
		path: '/',
		httpOnly: true,
		sameSite: 'lax' as const,
		secure: requestOrigin(event.url).startsWith('https:'),
		maxAge: maxAgeS
	};
}

/** Chrome caps cookie lifetimes at 400 days; the device token itself never expires. */
export const DEVICE_COOKIE_MAX_AGE_S = 400 * 24 * 60 * 60;

export async function identify(event: RequestEvent): Promise<Caller> {
	const app = await getApp();
	const auth = event.request.headers.get('authorization');
	if (auth !== null) {
		const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
		const found = m ? await lookupDevice(app.db, m[1]) : { state: 'unknown' as const };
		if (found.state === 'active')
			return { user: found.user, via: 'bearer', deviceRevoked: false, badBearer: false };
		return { user: null, via: null, deviceRevoked: found.state === 'revoked', badBearer: true };
	}
	const session = await lookupSession(app.db, event.cookies.get(SESSION_COOKIE));
	if (session) {
		if (session.refreshedUntil !== null)
			event.cookies.set(
				SESSION_COOKIE,
				event.cookies.get(SESSION_COOKIE)!,
				cookieOptions(event, SESSION_TTL_MS / 1000)
			);
		return { user: session.user, via: 'session', deviceRevoked: false, badBearer: false };
	}
	const deviceToken = event.cookies.get(DEVICE_COOKIE);
	if (deviceToken) {
		const found = await lookupDevice(app.db, deviceToken);
		if (found.state === 'active')
			return { user: found.user, via: 'device', deviceRevoked: false, badBearer: false };
		return { user: null, via: null, deviceRevoked: found.state === 'revoked', badBearer: false };
	}
	return { user: null, via: null, deviceRevoked: false, badBearer: false };
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A cookie-carrying write must come from a page of this origin: its Origin header (or, when a
 * browser sends none, Sec-Fetch-Site: same-origin) must match. Bearer requests carry no ambient
 * credential and are exempt. Returns the refusal, or null.
 */
export function csrfProblem(event: RequestEvent, via: Via): string | null {
	if (SAFE.has(event.request.method) || via === 'bearer') return null;
	const self = requestOrigin(event.url);
	const origin = event.request.headers.get('origin');
	if (origin !== null) {
		return origin === self
			? null
			: `Cross-site request refused: Origin ${origin} is not ${self}. Send writes from the app's own pages, or use a device token (Authorization: Bearer …).`;
	}
	if (event.request.headers.get('sec-fetch-site') === 'same-origin') return null;
	return `Cross-site request refused: the request has no Origin header. Browsers send one; scripts must send "Origin: ${self}" with the session cookie, or use a device token (Authorization: Bearer …).`;
}

function json(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) {
	return Response.json({ field: null, ...body }, { status, headers });
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A small bilingual page for a refused page request (no script, no inline style). */
function forbiddenPage(user: SessionUser, path: string): Response {
	const home = homeOf(user.role);
	const body = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>403 · 无权访问</title></head>
<body><main><h1>403 · 无权访问 / Not allowed</h1>
<p>${escape(user.displayName)}（${escape(user.role)}）无权打开 <code>${escape(path)}</code>。</p>
<p>${escape(user.displayName)} (${escape(user.role)}) may not open <code>${escape(path)}</code>.</p>
<p><a href="${home}">返回 / Back</a> · <a href="/login?switch=1">切换用户 / Switch user</a></p></main></body></html>`;
	return new Response(body, {
		status: 403,
		headers: { 'content-type': 'text/html; charset=utf-8' }
	});
}

function wantsPage(event: RequestEvent): boolean {
	return (
		event.request.method === 'GET' &&
		!event.route.id!.startsWith('/api/') &&
		(event.request.headers.get('accept') ?? '').includes('text/html')
	);
}

export const authHandle: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	// No route: SvelteKit's own 404 (there is nothing to protect).
	if (event.route.id === null) return resolve(event);
	// A method the route does not have at all: refused to everyone (deny by default, 403), with
	// a message and an Allow header naming the methods it has — not "your role may not".
	const policy = routePolicy(event.route.id);
	const method = event.request.method === 'HEAD' ? 'GET' : event.request.method;
	if (policy && !(method in policy)) {
		const allow = Object.keys(policy).join(', ');
		return json(
			403,
			{
				message: `${event.request.method} is not offered on ${event.url.pathname}; it answers ${allow}.`,
				code: 'method'
			},
			{ allow }
		);
	}
	const caller = await identify(event);
	event.locals.user = caller.user;
	const path = event.url.pathname + event.url.search;

	const csrf = csrfProblem(event, caller.via);
	if (csrf) return json(403, { message: csrf, code: 'csrf' });

	const decision = decide(event.route.id, event.request.method, caller.user?.role ?? null);
	if (decision === 'allow') return resolve(event);
	if (decision === 'sign-in') {
		if (wantsPage(event)) {
			const q = new URLSearchParams({ next: path });
			if (caller.deviceRevoked) q.set('device', 'revoked');
			return new Response(null, { status: 303, headers: { location: `/login?${q}` } });
		}
		if (caller.deviceRevoked)
			return json(401, {
				message:
					'This device has been revoked (设备已停用); ask an administrator for a new kiosk link or token.',
				code: 'device_revoked'
			});
		if (caller.badBearer)
			return json(
				401,
				{
					message: 'The Bearer token is not a valid device token; ask an administrator for one.',
					code: 'bad_token'
				},
				{ 'www-authenticate': 'Bearer' }
			);
		return json(401, {
			message:
				'Sign in first (POST /api/session), or send a device token (Authorization: Bearer …).',
			code: 'sign_in'
		});
	}
	if (caller.user && wantsPage(event)) return forbiddenPage(caller.user, event.url.pathname);
	return json(403, {
		message: caller.user
			? `Your role (${caller.user.role}) may not ${event.request.method} ${event.url.pathname}.`
			: `${event.request.method} ${event.url.pathname} is not allowed.`,
		code: 'forbidden'
	});
};

/** Headers on every answer of the app (static assets are served before the hooks run). */
export const SECURITY_HEADERS: Record<string, string> = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'same-origin',
	'x-frame-options': 'DENY',
	'permissions-policy':
		'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
	'cross-origin-opener-policy': 'same-origin',
	'cross-origin-resource-policy': 'same-origin'
};

export const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	// Responses built with Response.json() or redirects may have immutable headers.
	let out = response;
	try {
		for (const [k, v] of Object.entries(SECURITY_HEADERS)) out.headers.set(k, v);
	} catch {
		out = new Response(response.body, response);
		for (const [k, v] of Object.entries(SECURITY_HEADERS)) out.headers.set(k, v);
	}
	// Pages get SvelteKit's CSP (svelte.config.js); everything else may load and frame nothing.
	if (!out.headers.has('content-security-policy'))
		out.headers.set('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
	return out;
};
