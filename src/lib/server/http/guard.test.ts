/**
 * Issue 16, defects 10 and 11: the request envelope (one Host header, a trusted Host without
 * ORIGIN), every /api and /ogc refusal as JSON, a production start without ORIGIN, and
 * query parameters that are impossible dates or given twice.
 */
import { describe, expect, it } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { readConfig } from '../config';
import { asJsonError, envelopeProblem, originProblem, trustedHosts } from './guard';
import * as auditRoute from '../../../routes/api/audit/+server';
import * as importRoute from '../../../routes/api/plans/[cid]/import/+server';

function event(url: string, rawHeaders?: string[]): RequestEvent {
	return {
		url: new URL(url),
		platform: rawHeaders ? { req: { rawHeaders } } : undefined
	} as unknown as RequestEvent;
}

describe('the Host header', () => {
	const env = { HOST: '0.0.0.0', ONEMAP_ALLOWED_HOSTS: 'onemap.city.example, wall-pc:3000' };

	it('two Host headers → 400 JSON', async () => {
		const r = envelopeProblem(
			event('http://localhost:3000/api/alerts', ['Host', 'localhost:3000', 'host', 'evil.example']),
			env
		);
		expect(r?.status).toBe(400);
		expect((await r!.json()).message).toMatch(/2 Host headers/);
		expect(envelopeProblem(event('http://localhost/x', ['Host', 'localhost']), env)).toBeNull();
	});

	it('without ORIGIN only the listening address, loopback and listed names are answered', async () => {
		for (const ok of [
			'http://localhost:3000/ogc',
			'http://127.0.0.1:3000/ogc',
			'http://[::1]:3000/ogc',
			'http://onemap.city.example/ogc',
			'http://WALL-PC:8080/'
		])
			expect(envelopeProblem(event(ok), env), ok).toBeNull();
		const r = envelopeProblem(event('http://evil.example/ogc/collections'), env);
		expect(r?.status).toBe(421);
		expect((await r!.json()).message).toMatch(/ONEMAP_ALLOWED_HOSTS/);
		// A specific listening address is trusted; another machine name is not.
		const bound = { HOST: '10.1.2.3' };
		expect(trustedHosts(bound).has('10.1.2.3')).toBe(true);
		expect(envelopeProblem(event('http://10.1.2.3:3000/'), bound)).toBeNull();
		expect(envelopeProblem(event('http://10.9.9.9:3000/'), bound)?.status).toBe(421);
		// With ORIGIN the Host header is not used at all (adapter-node builds URLs from ORIGIN).
		expect(
			envelopeProblem(event('http://evil.example/'), { ORIGIN: 'https://onemap.example' })
		).toBeNull();
	});

	it('a production start needs ORIGIN; a plain `npm start` does not', () => {
		const prod = readConfig({ NODE_ENV: 'production' }).production;
		expect(prod).toBe(true);
		expect(readConfig({ ONEMAP_ENV: 'production' }).production).toBe(true);
		expect(originProblem(prod, {})).toMatch(/needs ORIGIN/);
		expect(originProblem(prod, { ORIGIN: 'https://onemap.example' })).toBeNull();
		expect(originProblem(readConfig({}).production, {})).toBeNull();
	});
});

describe('every /api and /ogc refusal is JSON', () => {
	it('turns a page or plain-text refusal into { message, field }, keeping status and headers', async () => {
		const html = new Response('<!doctype html><h1>Not found</h1>', {
			status: 404,
			headers: { 'content-type': 'text/html', allow: 'GET' }
		});
		const r = await asJsonError('/api/nope', html);
		expect(r.status).toBe(404);
		expect(r.headers.get('content-type')).toBe('application/json');
		expect(r.headers.get('allow')).toBe('GET');
		expect(await r.json()).toEqual({ message: expect.stringMatching(/no such API/), field: null });
		const text = await asJsonError(
			'/ogc/collections/x',
			new Response('Malformed URI', { status: 400, headers: { 'content-type': 'text/plain' } })
		);
		expect(await text.json()).toEqual({ message: 'Malformed URI', field: null });
		// Pages keep their HTML; JSON and successes are left alone.
		const page = new Response('<h1>x</h1>', {
			status: 404,
			headers: { 'content-type': 'text/html' }
		});
		expect(await asJsonError('/wall/x', page)).toBe(page);
		const ok = new Response('a,b', { status: 200, headers: { 'content-type': 'text/csv' } });
		expect(await asJsonError('/api/x', ok)).toBe(ok);
	});
});

describe('query parameters', () => {
	const audit = (q: string) =>
		auditRoute.GET({
			url: new URL(`http://localhost/api/audit?${q}`)
		} as never) as Promise<Response>;

	it.each([
		'from=2026-02-30',
		'to=2025-02-29T08:00',
		'from=2026-04-31T00:00:00Z',
		'from=2026-11-27T24:00'
	])('the audit log refuses an impossible date: %s', async (q) => {
		const r = await audit(q);
		expect(r.status).toBe(400);
		const body = await r.json();
		expect(body.field).toBe(q.split('=')[0]);
		expect(body.message).toMatch(/real ISO date/);
	});

	it('a parameter given twice is refused, not first-wins', async () => {
		const r = await audit('from=2026-01-01&from=2026-02-01');
		expect(r.status).toBe(400);
		expect(await r.json()).toMatchObject({
			field: 'from',
			message: 'from: given 2 times; send it once.'
		});
		const imp = (await importRoute.POST({
			params: { cid: 'c1' },
			url: new URL('http://localhost/api/plans/c1/import?crs=wgs84&crs=gcj02&version=none'),
			request: new Request('http://localhost/x', { method: 'POST', body: '{}' })
		} as never)) as Response;
		expect(imp.status).toBe(400);
		expect(await imp.json()).toMatchObject({ field: 'crs' });
	});
});
