/**
 * A file a city pack shipped for its basemap (table city_asset), served under
 * /data/basemap/<name>: ETag from its sha256 (304 on If-None-Match), and single-range HTTP Range
 * requests (206 / 416), which is how MapLibre's pmtiles protocol reads a PMTiles file — only the
 * asked bytes leave the database.
 */
import type { Queryable } from '../db/types';
import { matches } from '../cityFiles';

/** What the answer needs of a stored asset; `read` gets bytes [start, start + length). */
export interface AssetStore {
	meta(name: string): Promise<{ sha256: string; contentType: string; size: number } | null>;
	read(name: string, start: number, length: number): Promise<Uint8Array>;
}

/** The city_asset table as an AssetStore. */
export function dbAssets(db: Queryable): AssetStore {
	return {
		async meta(name) {
			const [row] = await db.query<{ sha256: string; content_type: string; size: number }>(
				'SELECT sha256, content_type, octet_length(bytes)::int AS size FROM city_asset WHERE name = $1',
				[name]
			);
			return row ? { sha256: row.sha256, contentType: row.content_type, size: row.size } : null;
		},
		async read(name, start, length) {
			// substring() of bytea is 1-based.
			const [row] = await db.query<{ part: Uint8Array }>(
				'SELECT substring(bytes FROM $2::int FOR $3::int) AS part FROM city_asset WHERE name = $1',
				[name, start + 1, length]
			);
			return new Uint8Array(row?.part ?? new Uint8Array(0));
		}
	};
}

export type ByteRange = { start: number; end: number };

/**
 * One range of a `Range` header (`bytes=a-b`, `bytes=a-`, `bytes=-n`), clamped to the file;
 * null: no header, or one this server ignores (another unit, several ranges: RFC 9110 lets a
 * server answer those with the whole file); 'unsatisfiable': a range wholly outside the file.
 */
export function parseRange(
	header: string | null,
	size: number
): ByteRange | 'unsatisfiable' | null {
	if (!header) return null;
	const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
	if (!m || (m[1] === '' && m[2] === '')) return null;
	if (m[1] === '') {
		const n = Number(m[2]);
		if (n === 0 || size === 0) return 'unsatisfiable';
		return { start: Math.max(0, size - n), end: size - 1 };
	}
	const start = Number(m[1]);
	const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
	if (m[2] !== '' && Number(m[2]) < start) return null; // invalid: ignored (RFC 9110 14.1.1)
	if (start >= size) return 'unsatisfiable';
	return { start, end };
}

/** A name a pack's basemap file may have: one path segment, at most 200 characters. */
export function validAssetName(name: string): boolean {
	return (
		name.length > 0 &&
		name.length <= 200 &&
		!/[/\\]/.test(name) &&
		name !== '.' &&
		name !== '..' &&
		// eslint-disable-next-line no-control-regex
		!/[\u0000-\u001f]/.test(name)
	);
}

export async function serveAsset(
	store: AssetStore,
	name: string,
	request: { ifNoneMatch: string | null; range: string | null }
): Promise<Response> {
	if (!validAssetName(name))
		return Response.json(
			{
				message: `"${name.slice(0, 80)}" is not a basemap file name (one segment, ≤ 200 characters).`,
				field: 'name'
			},
			{ status: 400 }
		);
	const meta = await store.meta(name);
	if (!meta)
		return Response.json(
			{
				message: `The loaded city pack has no basemap file "${name}" (its city.json names the basemap; see /admin → 城市数据).`,
				field: 'name'
			},
			{ status: 404 }
		);
	const etag = `"${meta.sha256}"`;
	const headers: Record<string, string> = {
		'content-type': meta.contentType,
		etag,
		'cache-control': 'no-cache',
		'accept-ranges': 'bytes'
	};
	const range = parseRange(request.range, meta.size);
	if (range === 'unsatisfiable')
		return new Response(null, {
			status: 416,
			headers: { ...headers, 'content-range': `bytes */${meta.size}` }
		});
	if (!range && matches(request.ifNoneMatch, etag))
		return new Response(null, { status: 304, headers });
	const start = range ? range.start : 0;
	const length = range ? range.end - range.start + 1 : meta.size;
	const body = await store.read(name, start, length);
	headers['content-length'] = String(body.byteLength);
	if (!range) return new Response(body as BodyInit, { headers });
	return new Response(body as BodyInit, {
		status: 206,
		headers: { ...headers, 'content-range': `bytes ${range.start}-${range.end}/${meta.size}` }
	});
}
