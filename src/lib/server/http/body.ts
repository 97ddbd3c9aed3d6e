/** Reading a request body with a size limit, before anything is parsed. */
import { ApiError } from './errors';

/** How much more than the limit is read (and thrown away) so the client can get its 413. */
const DRAIN_FACTOR = 4;

function size(bytes: number): string {
	return bytes >= 1024 * 1024
		? `${+(bytes / 1024 / 1024).toFixed(1)} MiB`
		: `${Math.round(bytes / 1024)} KiB`;
}

function tooLarge(maxBytes: number, hint: string): ApiError {
	return new ApiError(
		413,
		`The body is larger than ${size(maxBytes)}, the limit of this endpoint; ${hint}.`
	);
}

/** A stream error of the HTTP layer (adapter-node's BODY_SIZE_LIMIT, a dropped upload) → 4xx. */
function streamError(err: unknown, maxBytes: number, hint: string): ApiError {
	const status = (err as { status?: unknown } | null)?.status;
	// adapter-node's own cap on every body, set below this route's limit.
	if (status === 413)
		return new ApiError(
			413,
			`The body is larger than this server accepts (its BODY_SIZE_LIMIT is below this endpoint's ${size(maxBytes)}); ${hint}.`
		);
	return new ApiError(400, 'The body could not be read to its end (was the upload cut off?).');
}

/**
 * The raw body, at most `maxBytes` (counted while reading: a chunked body has no Content-Length)
 * → 413 naming the limit. Past the limit the rest is still read and thrown away (up to
 * DRAIN_FACTOR × the limit), so the client, still sending, gets the 413 instead of a reset.
 */
export async function readBodyBytes(
	request: Request,
	maxBytes: number,
	hint = 'send less'
): Promise<Buffer> {
	const declared = Number(request.headers.get('content-length') ?? NaN);
	// Far over the limit: answered at once (the client may then see the connection reset). Just
	// over: read to the end like a chunked body, so the client gets to read its 413.
	if (declared > maxBytes * DRAIN_FACTOR) throw tooLarge(maxBytes, hint);
	if (!request.body) throw new ApiError(400, 'The request has no body.');
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		let step: ReadableStreamReadResult<Uint8Array>;
		try {
			step = await reader.read();
		} catch (err) {
			throw streamError(err, maxBytes, hint);
		}
		if (step.done) break;
		size += step.value.byteLength;
		if (size > maxBytes * DRAIN_FACTOR) {
			await reader.cancel().catch(() => {});
			throw tooLarge(maxBytes, hint);
		}
		if (size <= maxBytes) chunks.push(step.value);
	}
	if (size > maxBytes) throw tooLarge(maxBytes, hint);
	if (size === 0) throw new ApiError(400, 'The request has no body.');
	return Buffer.concat(chunks);
}

/** Where a text (value or key) of a parsed JSON value holds a NUL character ("" = the body). */
function nulAt(v: unknown, path: string): string | null {
	if (typeof v === 'string') return v.includes('\u0000') ? path : null;
	if (Array.isArray(v)) {
		for (let i = 0; i < v.length; i++) {
			const hit = nulAt(v[i], `${path}[${i}]`);
			if (hit !== null) return hit;
		}
		return null;
	}
	if (v && typeof v === 'object') {
		for (const [k, x] of Object.entries(v)) {
			const field = path ? `${path}.${k}` : k;
			if (k.includes('\u0000')) return field;
			const hit = nulAt(x, field);
			if (hit !== null) return hit;
		}
	}
	return null;
}

/**
 * A JSON body: Content-Type must be JSON (415), size as readBodyBytes (413), UTF-8 (a leading
 * BOM is dropped), valid JSON (400), and no NUL character in any text (400: the database cannot
 * store one, and no person types one).
 */
export async function readJsonBody(
	request: Request,
	maxBytes: number,
	hint = 'send less'
): Promise<unknown> {
	const type = request.headers.get('content-type') ?? '';
	if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
		throw new ApiError(
			415,
			`Send the body as JSON (Content-Type: application/json), not "${type || 'none'}".`
		);
	}
	const bytes = await readBodyBytes(request, maxBytes, hint);
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		throw new ApiError(400, 'The body is not valid UTF-8 text; send JSON encoded as UTF-8.');
	}
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (err) {
		throw new ApiError(400, `The body is not valid JSON: ${(err as Error).message.slice(0, 200)}`);
	}
	const nul = /\\u0000/i.test(text) ? nulAt(value, '') : null;
	if (nul !== null)
		throw new ApiError(
			400,
			`${nul || 'The body'}: holds a NUL character (\\u0000); remove it.`,
			nul || null
		);
	return value;
}
