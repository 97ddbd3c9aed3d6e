import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CITY_FILES, type CityFile } from '$lib/domain/city';
import { SNAPSHOT_REV_HEADER } from '$lib/domain/live';
import { getApp } from './app';
import { DB_FILES } from './city/files';
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

function contentType(name: string): string {
	return CONTENT_TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream';
}

/** `If-None-Match` may list several tags, or be weak (W/"…"): compare the opaque parts. */
export function matches(ifNoneMatch: string | null, etag: string): boolean {
	if (!ifNoneMatch) return false;
	const bare = (t: string) => t.trim().replace(/^W\//, '');
	return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((t) => bare(t) === bare(etag));
}

/** A body built in memory with its ETag; 304 when the client already has it. */
function fromMemory(
	name: string,
	body: string | Uint8Array,
	etag: string,
	ifNoneMatch: string | null,
	extra: Record<string, string> = {}
): Response {
	const headers = {
		'content-type': contentType(name),
		etag,
		'cache-control': 'no-cache',
		...extra
	};
	if (matches(ifNoneMatch, etag)) return new Response(null, { status: 304, headers });
	const bytes = typeof body === 'string' ? Buffer.from(body) : body;
	return new Response(bytes as BodyInit, {
		headers: { ...headers, 'content-length': String(bytes.byteLength) }
	});
}

/**
 * Serves one city file. Incidents, units, sites and routes come from the database (the source
 * of truth); the basemap files (land, sea, water, roads) from the generated data folder. Each
 * with an ETag, so a reload revalidates instead of downloading an unchanged file again. Only
 * names from CITY_FILES are served: the name never reaches the file system unless it is one.
 * `omit`: feature properties to leave out (the wall's masked variant, auth/mask.ts).
 */
export async function serveCityFile(
	name: string,
	ifNoneMatch: string | null,
	omit: readonly string[] = []
): Promise<Response> {
	if (!isCityFile(name)) {
		return Response.json({ message: `Unknown data file "${name}".` }, { status: 404 });
	}
	if (name === CITY_FILES.incidents) {
		const app = await getApp();
		const snap = await app.snapshot.get(app.db);
		// The rev lets the live feed resume exactly where this snapshot ends (/api/stream?since=).
		return fromMemory(name, snap.bytes, snap.etag, ifNoneMatch, {
			[SNAPSHOT_REV_HEADER]: String(snap.version.rev),
			'access-control-expose-headers': SNAPSHOT_REV_HEADER
		});
	}
	if (DB_FILES.has(name)) {
		const app = await getApp();
		const file = await app.cityFiles.get(app.db, name, omit);
		if (!file) {
			return Response.json(
				{ message: `The database holds no "${name}" yet (is the demo city loaded?).` },
				{ status: 503 }
			);
		}
		return fromMemory(name, file.body, file.etag, ifNoneMatch);
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
	const headers = { 'content-type': contentType(name), etag, 'cache-control': 'no-cache' };
	if (matches(ifNoneMatch, etag)) return new Response(null, { status: 304, headers });
	const body = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
	return new Response(body, { headers: { ...headers, 'content-length': String(info.size) } });
}
