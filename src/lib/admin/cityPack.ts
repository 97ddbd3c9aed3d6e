/**
 * /admin's 城市数据: checking and importing a city pack from the browser. The import answers
 * NDJSON (domain/cityPack.ts PackImportLine): progress lines, then one final line.
 */
import type { LoadedCity, PackImportLine, PackProgress, PackReport } from '$lib/domain/cityPack';

export type { LoadedCity, PackImportEntry } from '$lib/domain/cityPack';

type Final = Exclude<PackImportLine, { progress: PackProgress }>;

async function failure(response: Response): Promise<Error> {
	const body = (await response.json().catch(() => ({}))) as { message?: string };
	return new Error(body.message ?? `${response.status} ${response.statusText}`);
}

function upload(url: string, file: Blob & { name?: string }): Promise<Response> {
	return fetch(url, {
		method: 'POST',
		body: file,
		headers: {
			'content-type': 'application/zip',
			...(file.name ? { 'x-file-name': encodeURIComponent(file.name) } : {})
		}
	});
}

export async function loadCity(fetchFn: typeof fetch = fetch): Promise<LoadedCity> {
	const response = await fetchFn('/api/admin/city');
	if (!response.ok) throw await failure(response);
	return (await response.json()) as LoadedCity;
}

/** Checks a pack; writes nothing. */
export async function checkPackFile(file: Blob & { name?: string }): Promise<PackReport> {
	const response = await upload('/api/admin/city/check', file);
	if (!response.ok) throw await failure(response);
	return ((await response.json()) as { report: PackReport }).report;
}

/** Splits a byte stream into JSON lines; calls `onLine` for each complete one. */
export async function readNdjson<T>(
	stream: ReadableStream<Uint8Array>,
	onLine: (line: T) => void
): Promise<void> {
	const reader = stream.getReader();
	const decoder = new TextDecoder();
	let rest = '';
	for (;;) {
		const { done, value } = await reader.read();
		rest += decoder.decode(value ?? new Uint8Array(), { stream: !done });
		let at: number;
		while ((at = rest.indexOf('\n')) >= 0) {
			const line = rest.slice(0, at).trim();
			rest = rest.slice(at + 1);
			if (line) onLine(JSON.parse(line) as T);
		}
		if (done) break;
	}
	if (rest.trim()) onLine(JSON.parse(rest) as T);
}

/** Imports a pack, reporting progress; resolves with the final line (done, refused or failed). */
export async function importPackFile(
	file: Blob & { name?: string },
	onProgress: (p: PackProgress) => void
): Promise<Final> {
	const response = await upload('/api/admin/city/import', file);
	if (!response.ok || !response.body) throw await failure(response);
	let final: Final | null = null;
	await readNdjson<PackImportLine>(response.body, (line) => {
		if ('progress' in line) onProgress(line.progress);
		else final = line;
	});
	if (!final)
		throw new Error(
			'The server ended the import without an answer; nothing is known to have changed. 服务器未给出结果。'
		);
	return final;
}
