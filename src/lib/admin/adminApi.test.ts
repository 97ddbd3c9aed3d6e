import { describe, expect, it } from 'vitest';
import { adminApi, auditQuery } from './adminApi';
import { AdminSession } from './adminSession.svelte';

function fakeFetch(answers: Record<string, { status?: number; body: unknown }>) {
	const calls: { url: string; init?: RequestInit }[] = [];
	const fn = (async (url: string, init?: RequestInit) => {
		calls.push({ url, init });
		const a = answers[`${init?.method ?? 'GET'} ${url.split('?')[0]}`];
		return Response.json(a?.body ?? {}, { status: a?.status ?? 200 });
	}) as typeof fetch;
	return { fn, calls };
}

describe('the admin client', () => {
	it('sends JSON with its content type, and reads the lists', async () => {
		const { fn, calls } = fakeFetch({
			'GET /api/admin/users': { body: { users: [{ id: 1, username: 'a' }] } },
			'PATCH /api/admin/users/1': { body: {} }
		});
		const api = adminApi(fn);
		expect(await api.users()).toEqual([{ id: 1, username: 'a' }]);
		await api.patchUser(1, { disabled: true });
		expect(calls[1].init).toMatchObject({
			method: 'PATCH',
			body: '{"disabled":true}',
			headers: { 'content-type': 'application/json' }
		});
	});

	it('builds the audit query from the filled-in fields and the page end', () => {
		const q = auditQuery({ actor: ' 张三 ', action: '', targetType: 'user', targetId: '' }, 77);
		expect(q).toBe(`limit=50&actor=${encodeURIComponent('张三')}&targetType=user&before=77`);
	});

	it("turns a refusal into the server's words on the session's error line", async () => {
		const { fn } = fakeFetch({
			'POST /api/admin/users': { status: 409, body: { message: 'username taken' } }
		});
		const session = new AdminSession((reason) => `失败：${reason}`, adminApi(fn));
		const ok = await session.run(
			() =>
				session.api.createUser({ username: 'a', displayName: 'A', role: 'officer', password: 'x' }),
			'saved'
		);
		expect(ok).toBe(false);
		expect(session.error).toBe('失败：username taken');
		expect(session.notice).toBe('');
		expect(await session.run(async () => {}, 'saved')).toBe(true);
		expect([session.error, session.notice]).toEqual(['', 'saved']);
	});
});
