import { describe, expect, it } from 'vitest';
import { parseRange, serveAsset, validAssetName, type AssetStore } from './assets';

const BYTES = Uint8Array.from({ length: 100 }, (_, i) => i);

function store(files: Record<string, Uint8Array> = { 'city.pmtiles': BYTES }): AssetStore & {
	reads: [number, number][];
} {
	const reads: [number, number][] = [];
	return {
		reads,
		async meta(name) {
			const b = files[name];
			return b ? { sha256: 'ab12', contentType: 'application/vnd.pmtiles', size: b.length } : null;
		},
		async read(name, start, length) {
			reads.push([start, length]);
			return files[name].slice(start, start + length);
		}
	};
}

const get = (
	s: AssetStore,
	name: string,
	range: string | null = null,
	ifNoneMatch: string | null = null
) => serveAsset(s, name, { range, ifNoneMatch });

describe('parseRange', () => {
	it('reads a-b, a- and -n, clamped to the file', () => {
		expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
		expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
		expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
		expect(parseRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
		expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
	});
	it('is unsatisfiable past the end or for an empty suffix', () => {
		expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
		expect(parseRange('bytes=100-200', 100)).toBe('unsatisfiable');
		expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
	});
	it('ignores what it does not serve: no header, other units, several ranges, b < a', () => {
		expect(parseRange(null, 100)).toBeNull();
		expect(parseRange('items=0-9', 100)).toBeNull();
		expect(parseRange('bytes=0-9,20-29', 100)).toBeNull();
		expect(parseRange('bytes=9-0', 100)).toBeNull();
		expect(parseRange('bytes=-', 100)).toBeNull();
	});
});

describe('validAssetName', () => {
	it('takes one segment of at most 200 characters', () => {
		expect(validAssetName('city.pmtiles')).toBe(true);
		expect(validAssetName('a'.repeat(200))).toBe(true);
		expect(validAssetName('a'.repeat(201))).toBe(false);
		expect(validAssetName('../x')).toBe(false);
		expect(validAssetName('a\\b')).toBe(false);
		expect(validAssetName('..')).toBe(false);
		expect(validAssetName('')).toBe(false);
	});
});

describe('serveAsset', () => {
	it('answers the whole file with its ETag and Accept-Ranges', async () => {
		const res = await get(store(), 'city.pmtiles');
		expect(res.status).toBe(200);
		expect(res.headers.get('etag')).toBe('"ab12"');
		expect(res.headers.get('accept-ranges')).toBe('bytes');
		expect(res.headers.get('content-length')).toBe('100');
		expect(res.headers.get('content-type')).toBe('application/vnd.pmtiles');
		expect(new Uint8Array(await res.arrayBuffer())).toEqual(BYTES);
	});
	it('answers 304 when the client has it', async () => {
		const res = await get(store(), 'city.pmtiles', null, 'W/"ab12"');
		expect(res.status).toBe(304);
		expect(res.headers.get('etag')).toBe('"ab12"');
	});
	it('answers a range with 206, Content-Range and only those bytes read', async () => {
		const s = store();
		const res = await get(s, 'city.pmtiles', 'bytes=10-19');
		expect(res.status).toBe(206);
		expect(res.headers.get('content-range')).toBe('bytes 10-19/100');
		expect(res.headers.get('content-length')).toBe('10');
		expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([
			10, 11, 12, 13, 14, 15, 16, 17, 18, 19
		]);
		expect(s.reads).toEqual([[10, 10]]);
		const suffix = await get(s, 'city.pmtiles', 'bytes=-3');
		expect(suffix.headers.get('content-range')).toBe('bytes 97-99/100');
		const open = await get(s, 'city.pmtiles', 'bytes=95-');
		expect(open.headers.get('content-range')).toBe('bytes 95-99/100');
		expect((await open.arrayBuffer()).byteLength).toBe(5);
	});
	it('a range is answered even when the ETag matches (If-None-Match is for whole files)', async () => {
		const res = await get(store(), 'city.pmtiles', 'bytes=0-1', '"ab12"');
		expect(res.status).toBe(206);
	});
	it('answers 416 with the size for a range past the end', async () => {
		const res = await get(store(), 'city.pmtiles', 'bytes=100-');
		expect(res.status).toBe(416);
		expect(res.headers.get('content-range')).toBe('bytes */100');
	});
	it('answers 404 with a message for an unknown name, 400 for a bad one', async () => {
		const res = await get(store(), 'other.pmtiles');
		expect(res.status).toBe(404);
		expect((await res.json()).message).toContain('other.pmtiles');
		const bad = await get(store(), 'a'.repeat(201));
		expect(bad.status).toBe(400);
	});
});
