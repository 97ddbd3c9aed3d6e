/** Reading a JSON request body with a size limit, before anything is parsed. */
import { ApiError } from './errors';

export async function readJsonBody(
	request: Request,
	maxBytes: number,
	hint = 'send fewer incidents per request'
): Promise<unknown> {
	const type = request.headers.get('content-type') ?? '';
	if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
		throw new ApiError(
			415,
			`Send the body as JSON (Content-Type: application/json), not "${type || 'none'}".`
		);
	}
	const declared = Number(request.headers.get('content-length') ?? NaN);
	if (declared > maxBytes) throw tooLarge(maxBytes, hint);
	const text = (await readBodyBytes(request, maxBytes, hint)).toString('utf8');
	try {
		return JSON.parse(text);
	} catch (err) {
		throw new ApiError(400, `The body is not valid JSON: ${(err as Error).message}`);
	}
}

/** The raw body, at most `maxBytes` (413 beyond, counted while reading). */
export async function readBodyBytes(
	request: Request,
	maxBytes: number,
	hint: string
): Promise<Buffer> {
	const declared = Number(request.headers.get('content-length') ?? NaN);
	if (declared > maxBytes) throw tooLarge(maxBytes, hint);
	if (!request.body) throw new ApiError(400, 'The request has no body.');
	// Count while reading: a chunked body has no Content-Length to trust.
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > maxBytes) {
			await reader.cancel();
			throw tooLarge(maxBytes, hint);
		}
		chunks.push(value);
	}
	return Buffer.concat(chunks);
}

function tooLarge(maxBytes: number, hint: string): ApiError {
	return new ApiError(413, `The body is larger than ${Math.round(maxBytes / 1024)} KiB; ${hint}.`);
}
