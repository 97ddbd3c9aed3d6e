/**
 * Cross-origin reads of OGC API (/ogc…) by a browser GIS client on another intranet origin
 * (OpenLayers, a dashboard): the operator lists those origins in ONEMAP_CORS_ORIGINS
 * (comma-separated, e.g. `http://gis.city.gov.cn:8080`; none by default). A listed origin's
 * preflight is answered (GET/HEAD, with the Authorization header a device token travels in) and
 * its answers carry its origin back; any other origin gets no CORS header, so its browser script
 * cannot read the layers. Cookies are never allowed across origins: a GIS client signs in with
 * a Bearer device token.
 */
import type { Handle } from '@sveltejs/kit';

type Env = Record<string, string | undefined>;

/** The origins ONEMAP_CORS_ORIGINS lists, normalised (scheme://host[:port], lower case). */
export function corsOrigins(env: Env = process.env): Set<string> {
	const out = new Set<string>();
	for (const raw of (env.ONEMAP_CORS_ORIGINS ?? '').split(',')) {
		const value = raw.trim();
		if (!value) continue;
		let origin: string;
		try {
			origin = new URL(value).origin;
		} catch {
			throw new Error(
				`ONEMAP_CORS_ORIGINS: "${value}" is not an origin such as http://gis.example:8080`
			);
		}
		if (origin === 'null') throw new Error(`ONEMAP_CORS_ORIGINS: "${value}" has no host`);
		out.add(origin);
	}
	return out;
}

const isOgc = (pathname: string) => pathname === '/ogc' || pathname.startsWith('/ogc/');

const ALLOW_HEADERS = 'Authorization, Accept, Accept-Language, If-None-Match';
const EXPOSE_HEADERS = 'Content-Crs, ETag';

function withCors(response: Response, origin: string): Response {
	const headers = new Headers(response.headers);
	headers.set('access-control-allow-origin', origin);
	headers.set('access-control-expose-headers', EXPOSE_HEADERS);
	headers.append('vary', 'Origin');
	return new Response(response.body, {
		status: response.status,
		statusText: response.statusText,
		headers
	});
}

/** The CORS part of the request hooks (hooks.server.ts), before sign-in: preflights carry none. */
export function corsHandle(allowed: Set<string> = corsOrigins()): Handle {
	return async ({ event, resolve }) => {
		const { request, url } = event;
		if (!isOgc(url.pathname)) return resolve(event);
		const origin = request.headers.get('origin');
		const listed = origin !== null && allowed.has(origin);
		if (request.method === 'OPTIONS' && request.headers.has('access-control-request-method')) {
			if (!listed) {
				return Response.json(
					{
						message: `Cross-origin reads from ${origin?.slice(0, 100) ?? 'this page'} are not allowed; the operator lists the origins of GIS clients in ONEMAP_CORS_ORIGINS.`,
						field: null
					},
					{ status: 403, headers: { vary: 'Origin' } }
				);
			}
			const method = request.headers.get('access-control-request-method') ?? '';
			if (!['GET', 'HEAD'].includes(method.toUpperCase())) {
				return Response.json(
					{ message: `OGC API is read-only: ${method.slice(0, 20)} is not offered.`, field: null },
					{ status: 405, headers: { allow: 'GET, HEAD, OPTIONS', vary: 'Origin' } }
				);
			}
			return new Response(null, {
				status: 204,
				headers: {
					'access-control-allow-origin': origin,
					'access-control-allow-methods': 'GET, HEAD, OPTIONS',
					'access-control-allow-headers': ALLOW_HEADERS,
					'access-control-max-age': '600',
					vary: 'Origin'
				}
			});
		}
		const response = await resolve(event);
		if (listed) return withCors(response, origin);
		if (!response.headers.has('access-control-allow-origin')) return response;
		const headers = new Headers(response.headers);
		headers.delete('access-control-allow-origin');
		return new Response(response.body, { status: response.status, headers });
	};
}
