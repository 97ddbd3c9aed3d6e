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

/**
 * A Content-Type header as `type/subtype` in lower case, or null when it is not one: exactly a
 * media type and `; name=value` parameters (`application/json X-Injected: 1` is none).
 */
export function mediaType(header: string | null): string | null {
	const m =
		/^[ \t]*([\w!#$&^.+-]+\/[\w!#$&^.+-]+)[ \t]*((?:;[ \t]*[\w!#$&^.+-]+=(?:[\w!#$&^.+-]+|"[^"\\]*")[ \t]*)*)$/.exec(
			header ?? ''
		);
	if (!m) return null;
	const charset = /;[ \t]*charset=("?)([\w.-]+)\1/i.exec(m[2]);
	// A body in another charset would be read wrongly as UTF-8.
	if (charset && !/^utf-?8$/i.test(charset[2])) return null;
	return m[1].toLowerCase();
}

/**
 * Characters no free text may hold: NUL (the database cannot store it), other C0 controls but
 * tab, newline and carriage return (ESC, BEL: terminal tricks), DEL, C1 controls, and the bidi
 * embeddings, overrides and isolates (U+202A–202E, U+2066–2069: an RLO can make a case read
 * differently on an officer's screen). A lone surrogate is no text at all.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** The first character of `s` no free text may hold, as `U+202E`, and whether it is a bidi one. */
export function controlCharacter(s: string): { code: string; bidi: boolean } | null {
	const m = FORBIDDEN.exec(s);
	if (!m) return null;
	const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
	return { code: `U+${code}`, bidi: /^20/.test(code) };
}

/**
 * Why `s` is no text a person meant (a FORBIDDEN character, a lone surrogate), or null. The one
 * check for every text from outside: JSON bodies here, plan files, city packs.
 */
export function textProblem(s: string): string | null {
	const c = controlCharacter(s);
	if (c)
		return c.code === 'U+0000'
			? 'holds a NUL character (\\u0000); remove it'
			: `holds the control character ${c.code} (${c.bidi ? 'a bidi control' : 'not printable'}); remove it`;
	if (!s.isWellFormed())
		return 'holds a lone UTF-16 surrogate (half of a character); send whole characters';
	return null;
}

/** `s` fit to quote in a message: FORBIDDEN characters as `\\u202E`, lone surrogates as U+FFFD. */
export function showControls(s: string): string {
	return s
		.toWellFormed()
		.replace(
			new RegExp(FORBIDDEN.source, 'g'),
			(c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`
		);
}

/** The first text (value or key) of a parsed JSON value that no person could have meant. */
function badTextAt(v: unknown, path: string): { field: string; problem: string } | null {
	if (typeof v === 'string') {
		const problem = textProblem(v);
		return problem ? { field: path, problem } : null;
	}
	if (Array.isArray(v)) {
		for (let i = 0; i < v.length; i++) {
			const hit = badTextAt(v[i], `${path}[${i}]`);
			if (hit !== null) return hit;
		}
		return null;
	}
	if (v && typeof v === 'object') {
		for (const [k, x] of Object.entries(v)) {
			const field = path ? `${path}.${k}` : k;
			const problem = textProblem(k);
			if (problem) return { field, problem: `its name ${problem}` };
			const hit = badTextAt(x, field);
			if (hit !== null) return hit;
		}
	}
	return null;
}

/**
 * A JSON body: Content-Type must be JSON (415), size as readBodyBytes (413), UTF-8 (a leading
 * BOM is dropped), valid JSON (400), and no text holding a control or bidi-override character
 * or a lone surrogate (400 naming the field; tab and newline are fine).
 */
export async function readJsonBody(
	request: Request,
	maxBytes: number,
	hint = 'send less'
): Promise<unknown> {
	const header = request.headers.get('content-type');
	const type = mediaType(header);
	if (!type || !/^application\/(?:[\w.+-]+\+)?json$/.test(type)) {
		throw new ApiError(
			415,
			`Send the body as JSON (Content-Type: application/json), not "${(header ?? '').slice(0, 100) || 'none'}".`
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
	const bad = badTextAt(value, '');
	if (bad !== null)
		throw new ApiError(400, `${bad.field || 'The body'}: ${bad.problem}.`, bad.field || null);
	return value;
}
