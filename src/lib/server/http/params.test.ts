import { describe, expect, it } from 'vitest';
import { safeNext } from '$lib/auth/client';
import { clip, localPath, parseId } from './params';

describe('redirect targets from the client stay on this site', () => {
	const base = new URL('http://onemap.test/kiosk/abc');
	it.each([
		['/wall', '/wall'],
		['/plan?c=1#x', '/plan?c=1#x'],
		['//evil.example/', null],
		['/\\evil.example/', null],
		['/\t/evil.example', null],
		['/\\\\evil.example', null],
		['https://evil.example/', null],
		['wall', null],
		['', null]
	])('%j → %j', (next, expected) => {
		expect(localPath(base, next)).toBe(expected);
		expect(safeNext(next)).toBe(expected);
	});
});

describe('echoed values', () => {
	it('are cut to 80 characters in messages', () => {
		expect(clip('x'.repeat(200))).toHaveLength(81);
		expect(() => parseId('y'.repeat(5000))).toThrow(/^"y{80}…" is not an incident id/);
	});
});
