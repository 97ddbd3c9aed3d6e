import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CITY_FILES, type CityFile } from '$lib/domain/city';
import { dataDir } from './dataDir';

const CONTENT_TYPES: Record<string, string> = {
	'.json': 'application/json; charset=utf-8',
	'.geojson': 'application/geo+json; charset=utf-8',
	'.arrow': 'application/vnd.apache.arrow.file'
};

const SERVED = new Set<string>(Object.values(CITY_FILES));

export function isCityFile(name: string): name is CityFile {
	return SERVED.has(name);
}

/**
 * Serves one generated file with a weak ETag (size + mtime), so a reload revalidates
 * instead of downloading an unchanged file again. Only names from CITY_FILES are served:
 * the name never reaches the file system unless it is one of them.
 */
export async function serveCityFile(name: string, ifNoneMatch: string | null): Promise<Response> {
	if (!isCityFile(name)) {
		return Response.json({ message: `Unknown data file "${name}".` }, { status: 404 });
	}
	const path = join(dataDir(), name);
	let info;
	try {
		info = await stat(path);
	} catch {
		return Response.json(
			{
				message: `Demo data "${name}" is missing: run "npm run data" (or restart with npm start).`
			},
			{ status: 503 }
		);
	}
	const etag = `W/"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}"`;
	const headers = {
		'content-type': CONTENT_TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream',
		etag,
		'cache-control': 'no-cache'
	};
	if (ifNoneMatch === etag) return new Response(null, { status: 304, headers });
	const body = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
	return new Response(body, { headers: { ...headers, 'content-length': String(info.size) } });
}
