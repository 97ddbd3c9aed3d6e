import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { corsHandle, corsOrigins } from './cors';

const GIS = 'http://gis.city.example:8080';
const handle = corsHandle(corsOrigins({ ONEMAP_CORS_ORIGINS: ` ${GIS}/ , http://other.example` }));

async function call(
	path: string,
	init: RequestInit,
	answer = () => Response.json({ type: 'FeatureCollection' }, { headers: { 'content-crs': '<x>' } })
): Promise<{ response: Response; resolved: boolean }> {
	const url = new URL(`http://onemap.example${path}`);
	let resolved = false;
	const response = await handle({
		event: { url, request: new Request(url, init) } as RequestEvent,
		resolve: async () => {
			resolved = true;
			return answer();
		}
	});
	return { response, resolved };
}

const preflight = (origin: string, method = 'GET') => ({
	method: 'OPTIONS',
	headers: {
		origin,
		'access-control-request-method': method,
		'access-control-request-headers': 'authorization'
	}
});

describe('CORS for OGC API', () => {
	it('answers the preflight of a listed origin, allowing the Authorization header', async () => {
		const { response, resolved } = await call('/ogc/collections/grids/items', preflight(GIS));
		expect(resolved).toBe(false); // before sign-in: a preflight carries no token
		expect(response.status).toBe(204);
		expect(response.headers.get('access-control-allow-origin')).toBe(GIS);
		expect(response.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
		expect(response.headers.get('access-control-allow-methods')).toMatch(/GET/);
		expect(response.headers.get('access-control-allow-credentials')).toBeNull();
	});

	it('refuses the preflight of an origin not listed, and writes', async () => {
		const other = await call('/ogc/collections', preflight('http://evil.example'));
		expect(other.response.status).toBe(403);
		expect((await other.response.json()).message).toMatch(/ONEMAP_CORS_ORIGINS/);
		expect(other.response.headers.get('access-control-allow-origin')).toBeNull();
		const write = await call('/ogc/collections', preflight(GIS, 'POST'));
		expect(write.response.status).toBe(405);
	});

	it('echoes a listed origin on the answer (also a refusal) and exposes Content-Crs', async () => {
		const { response } = await call('/ogc/collections/grids/items', { headers: { origin: GIS } });
		expect(response.headers.get('access-control-allow-origin')).toBe(GIS);
		expect(response.headers.get('access-control-expose-headers')).toMatch(/Content-Crs/);
		expect(response.headers.get('vary')).toMatch(/Origin/);
		const refused = await call('/ogc', { headers: { origin: GIS } }, () =>
			Response.json({ message: 'sign in' }, { status: 401 })
		);
		expect(refused.response.status).toBe(401);
		expect(refused.response.headers.get('access-control-allow-origin')).toBe(GIS);
	});

	it('gives other origins and other paths no CORS header', async () => {
		const other = await call('/ogc/collections', { headers: { origin: 'http://evil.example' } });
		expect(other.response.headers.get('access-control-allow-origin')).toBeNull();
		const api = await call('/api/incidents', { headers: { origin: GIS } });
		expect(api.response.headers.get('access-control-allow-origin')).toBeNull();
	});

	it('lists no origin by default and refuses a malformed one at start', () => {
		expect(corsOrigins({}).size).toBe(0);
		expect(() => corsOrigins({ ONEMAP_CORS_ORIGINS: 'gis dot example' })).toThrow(
			/ONEMAP_CORS_ORIGINS/
		);
	});
});
