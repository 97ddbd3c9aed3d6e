import { describe, expect, it } from 'vitest';
import { mediaType, readBodyBytes, readJsonBody } from './body';

const post = (
	body: BodyInit | null,
	headers: Record<string, string> = { 'content-type': 'application/json' }
) =>
	new Request('http://x/api/x', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

function streamOf(parts: (string | Uint8Array)[], fail?: unknown): ReadableStream<Uint8Array> {
	return new ReadableStream({
		start(c) {
			for (const p of parts) c.enqueue(typeof p === 'string' ? new TextEncoder().encode(p) : p);
			if (fail) c.error(fail);
			else c.close();
		}
	});
}

describe('readJsonBody against hostile bodies', () => {
	it('drops a leading BOM but refuses bytes that are not UTF-8', async () => {
		const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"a":1}')]);
		expect(await readJsonBody(post(bom), 100)).toEqual({ a: 1 });
		const bad = new Uint8Array([...new TextEncoder().encode('{"a":"'), 0xff, 0xfe, 0x22, 0x7d]);
		await expect(readJsonBody(post(bad), 100)).rejects.toMatchObject({
			status: 400,
			message: expect.stringMatching(/UTF-8/)
		});
	});

	it('refuses a NUL character in any text, naming where it is', async () => {
		await expect(readJsonBody(post('{"a":[{"b":"x\\u0000"}]}'), 100)).rejects.toMatchObject({
			status: 400,
			field: 'a[0].b'
		});
		await expect(readJsonBody(post('{"\\u0000k":1}'), 100)).rejects.toMatchObject({
			status: 400
		});
		// An escaped backslash followed by "u0000" is just text.
		expect(await readJsonBody(post('{"a":"\\\\u0000"}'), 100)).toEqual({ a: '\\u0000' });
	});

	it.each([
		['ESC', '\\u001b[31m'],
		['BEL', 'ring\\u0007'],
		['RLO', 'case \\u202e12'],
		['LRI', '\\u2066x'],
		['C1 CSI', '\\u009b'],
		['DEL', '\\u007f']
	])('refuses %s in free text, naming the field', async (_, text) => {
		await expect(
			readJsonBody(post(`{"incident":{"description":"${text}"}}`), 200)
		).rejects.toMatchObject({
			status: 400,
			field: 'incident.description',
			message: expect.stringMatching(/^incident\.description: holds the control character U\+/)
		});
	});

	it('keeps tab and newline, and refuses a lone surrogate instead of replacing it', async () => {
		expect(await readJsonBody(post('{"description":"a\\tb\\nc\\r\\n"}'), 100)).toEqual({
			description: 'a\tb\nc\r\n'
		});
		expect(await readJsonBody(post('{"d":"\\ud83d\\ude00 路灯"}'), 100)).toEqual({ d: '😀 路灯' });
		for (const lone of ['\\ud800', 'x\\udfffy', '\\ude00\\ud83d'])
			await expect(readJsonBody(post(`{"d":"${lone}"}`), 100)).rejects.toMatchObject({
				status: 400,
				field: 'd',
				message: expect.stringMatching(/lone UTF-16 surrogate/)
			});
	});

	it('takes only a real JSON media type as JSON (415 otherwise)', async () => {
		for (const type of [
			'application/json X-Injected: 1',
			'application/json, text/plain',
			'application/jsonx',
			'application/json; charset=latin1',
			'text/plain',
			'application/json\u00a0'
		])
			await expect(
				readJsonBody(post('{}', { 'content-type': type }), 100),
				type
			).rejects.toMatchObject({ status: 415 });
		for (const type of [
			'application/json',
			'Application/JSON; charset=UTF-8',
			'application/geo+json'
		])
			expect(await readJsonBody(post('{}', { 'content-type': type }), 100)).toEqual({});
		expect(mediaType('application/zip; name="a b.zip"')).toBe('application/zip');
		expect(mediaType('application/zip junk')).toBeNull();
	});

	it('answers an empty body 400 and names the limit in a 413', async () => {
		await expect(readJsonBody(post(''), 100)).rejects.toMatchObject({ status: 400 });
		await expect(readJsonBody(post('x'.repeat(2000)), 1024, 'send fewer')).rejects.toMatchObject({
			status: 413,
			message: expect.stringMatching(/1 KiB.*send fewer/)
		});
	});

	it('reads a chunked body past the limit to its end, then answers 413 (no reset)', async () => {
		let pulled = 0;
		let cancelled = false;
		const chunks = (n: number) =>
			new ReadableStream<Uint8Array>({
				pull(c) {
					if (pulled++ < n) c.enqueue(new Uint8Array(50).fill(0x20));
					else c.close();
				},
				cancel() {
					cancelled = true;
				}
			});
		// 300 bytes against a limit of 100: read to the end, then 413.
		await expect(readBodyBytes(post(chunks(6)), 100)).rejects.toMatchObject({ status: 413 });
		expect([pulled, cancelled]).toEqual([7, false]);
		// An endless upload is cut off once it passes 4× the limit.
		pulled = 0;
		await expect(readBodyBytes(post(chunks(1e9)), 100)).rejects.toMatchObject({ status: 413 });
		expect([pulled, cancelled]).toEqual([9, true]);
	});

	it('turns a stream error of the HTTP layer into a 4xx, never a 500', async () => {
		const limit = Object.assign(new Error('BODY_SIZE_LIMIT'), { status: 413 });
		await expect(readJsonBody(post(streamOf(['{"a":'], limit)), 100)).rejects.toMatchObject({
			status: 413
		});
		await expect(
			readJsonBody(post(streamOf(['{"a":'], new Error('aborted'))), 100)
		).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/cut off/) });
	});
});
