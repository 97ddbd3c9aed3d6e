import { describe, expect, it } from 'vitest';
import { safeNext } from '$lib/domain/auth';
import { clip, parseId, parseLonLat, parseVersion } from './params';

describe('redirect targets from the client stay on this site', () => {
	it.each([
		['/wall', '/wall'],
		['/plan?c=1#x', '/plan?c=1#x'],
		['//evil.example/', null],
		['/\\evil.example/', null],
		['/\t/evil.example', null],
		['/\\\\evil.example', null],
		['https://evil.example/', null],
		// Dot-segment removal must not leave a network-path reference (issue 16, defect 2).
		['/.//evil.example', null],
		['/%2e//evil.example', null],
		['/%2E//evil.example/x', null],
		['/..//evil.example', null],
		['/a/../..//evil.example', null],
		['/./\\evil.example', null],
		['/.\\/evil.example', null],
		['/%2e/%2e//evil.example', null],
		['/wall/./x', '/wall/x'],
		['wall', null],
		['', null]
	])('%j → %j', (next, expected) => {
		expect(safeNext(next)).toBe(expected);
	});
});

describe('echoed values', () => {
	it('are cut to 80 characters in messages', () => {
		expect(clip('x'.repeat(200))).toHaveLength(81);
		expect(() => parseId('y'.repeat(5000))).toThrow(/^"y{80}…" is not an incident id/);
	});
});

describe('?version=', () => {
	const at = (q: string) => new URL(`http://localhost/x${q}`);
	it('reads a positive 32-bit integer, and "none" (or nothing) only where allowed', () => {
		expect(parseVersion(at('?version=7'), 'the draft version')).toBe(7);
		expect(parseVersion(at('?version=none'), 'the draft version', true)).toBeNull();
		expect(parseVersion(at(''), 'the draft version', true)).toBeNull();
		for (const q of [
			'',
			'?version=none',
			'?version=0',
			'?version=-1',
			'?version=1.5',
			'?version=2147483648',
			"?version=1' OR 1=1"
		])
			expect(() => parseVersion(at(q), 'the draft version'), q).toThrow(
				/version: must be the draft version/
			);
	});
});

describe('?lon=&lat=', () => {
	const at = (q: string) => new URL(`http://localhost/x${q}`);
	it('reads a WGS84 place, and names the parameter that is wrong', () => {
		expect(parseLonLat(at('?lon=117.7&lat=39.01'))).toEqual([117.7, 39.01]);
		expect(parseLonLat(at('?lon=-180&lat=90'))).toEqual([-180, 90]);
		expect(() => parseLonLat(at('?lat=39'))).toThrow(/^lon: must be a number from -180 to 180/);
		expect(() => parseLonLat(at('?lon=117&lat='))).toThrow(/^lat: .*got ""/);
		for (const q of [
			'?lon=181&lat=39',
			'?lon=abc&lat=39',
			'?lon=Infinity&lat=39',
			'?lon=0x10&lat=1',
			'?lon=1e2&lat=1'
		])
			expect(() => parseLonLat(at(q)), q).toThrow(/^lon: /);
	});
});
