import { afterEach, describe, expect, it } from 'vitest';
import { accessLogHandle } from './http/accessLog';
import { installJsonConsole, jsonLine, logFormat } from './log';

type Resolve = Parameters<ReturnType<typeof accessLogHandle>>[0]['resolve'];

function event(path: string, user: App.Locals['user'] = null, init: RequestInit = {}) {
	return {
		request: new Request(`http://localhost${path}`, init),
		route: { id: '/api/incidents/[id]' },
		locals: { user } as App.Locals
	};
}

describe('ONEMAP_LOG', () => {
	it('is text unless json is asked for', () => {
		expect(logFormat(undefined)).toBe('text');
		expect(logFormat('JSON ')).toBe('json');
		expect(logFormat('yes')).toBe('text');
	});

	it('writes one parseable line per request, without query, names or tokens', async () => {
		const lines: string[] = [];
		const handle = accessLogHandle('json', (l) => lines.push(l));
		const e = event(
			'/api/incidents/42?name=张三',
			{ id: 'u7', username: 'zhang', displayName: '张三', role: 'officer' },
			{ headers: { authorization: 'Bearer secret-token', cookie: 'onemap_session=abc' } }
		);
		const res = await handle({
			event: e as never,
			resolve: (async () => new Response('{}', { status: 404 })) as unknown as Resolve
		});
		expect(lines).toHaveLength(1);
		expect(lines[0].endsWith('\n')).toBe(true);
		const line = JSON.parse(lines[0]);
		expect(line).toMatchObject({
			level: 'info',
			msg: 'request',
			method: 'GET',
			route: '/api/incidents/[id]',
			status: 404,
			actor: 'u7'
		});
		expect(typeof line.ms).toBe('number');
		expect(res.headers.get('x-request-id')).toBe(line.id);
		for (const secret of ['张三', 'zhang', 'secret-token', 'abc', 'name='])
			expect(lines[0]).not.toContain(secret);
	});

	it('logs a request whose handler threw as a 500 error line', async () => {
		const lines: string[] = [];
		const handle = accessLogHandle('json', (l) => lines.push(l));
		await expect(
			handle({
				event: event('/api/incidents/1') as never,
				resolve: (async () => {
					throw new Error('boom');
				}) as unknown as Resolve
			})
		).rejects.toThrow('boom');
		expect(JSON.parse(lines[0])).toMatchObject({ level: 'error', status: 500, actor: null });
	});

	it('writes nothing per request in the default text format', async () => {
		const lines: string[] = [];
		const handle = accessLogHandle('text', (l) => lines.push(l));
		const res = await handle({
			event: event('/api/health') as never,
			resolve: (async () => new Response('ok')) as unknown as Resolve
		});
		expect(await res.text()).toBe('ok');
		expect(lines).toEqual([]);
	});

	describe('json console', () => {
		const saved = {
			log: console.log,
			warn: console.warn,
			error: console.error,
			info: console.info
		};
		afterEach(() => {
			Object.assign(console, saved);
			delete (globalThis as Record<symbol, unknown>)[Symbol.for('onemap.server.jsonConsole')];
		});

		it('turns every console line into one JSON object, stack included', () => {
			const lines: string[] = [];
			installJsonConsole((l) => lines.push(l));
			console.log('[onemap] listening on %d', 3000);
			console.error('[api]', new Error('bad\nthing'));
			Object.assign(console, saved);
			expect(lines).toHaveLength(2);
			const [a, b] = lines.map((l) => JSON.parse(l));
			expect(a).toMatchObject({ level: 'info', msg: '[onemap] listening on 3000' });
			expect(b.level).toBe('error');
			expect(b.msg).toContain('bad\nthing');
			expect(b.msg).toContain('log.test.ts'); // the stack
		});
	});

	it('formats a line with its time first', () => {
		const at = new Date(Date.UTC(2026, 11, 3, 10));
		expect(jsonLine('warn', 'x', { a: 1 }, at)).toBe(
			'{"t":"2026-12-03T10:00:00.000Z","level":"warn","msg":"x","a":1}'
		);
	});
});
