/**
 * A plain HTTP/1.1 client for the hostile-input suite, for what Playwright's APIRequestContext
 * cannot send: a request path exactly as written (no `..` folding, no re-encoding), a body
 * without a Content-Type, a chunked body without Content-Length, and a streamed answer (SSE)
 * that is cut off once its status is known.
 */
import http from 'node:http';

export interface RawAnswer {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
}

export interface RawRequest {
	method: string;
	/** Sent verbatim as the request target. */
	path: string;
	headers?: Record<string, string>;
	/** Sent with its Content-Length. */
	body?: Buffer;
	/** Sent with Transfer-Encoding: chunked, one write per chunk. */
	chunks?: Buffer[];
	/** Resolve as soon as the status line and headers arrive, then drop the connection. */
	headersOnly?: boolean;
	timeoutMs: number;
}

export function rawRequest(baseURL: string, req: RawRequest): Promise<RawAnswer> {
	const base = new URL(baseURL);
	return new Promise((resolve, reject) => {
		let settled = false;
		const headers: Record<string, string> = { connection: 'close', ...req.headers };
		if (req.body) headers['content-length'] = String(req.body.byteLength);
		if (req.chunks) headers['transfer-encoding'] = 'chunked';
		const r = http.request({
			host: base.hostname,
			port: base.port,
			method: req.method,
			path: req.path,
			headers,
			agent: false
		});
		const timer = setTimeout(() => {
			if (settled) return;
			settled = true;
			r.destroy();
			reject(new Error(`no answer within ${req.timeoutMs} ms`));
		}, req.timeoutMs);
		r.on('response', (res) => {
			if (req.headersOnly) {
				settled = true;
				clearTimeout(timer);
				resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.alloc(0) });
				res.destroy();
				r.destroy();
				return;
			}
			const parts: Buffer[] = [];
			res.on('data', (c: Buffer) => parts.push(c));
			res.on('end', () => {
				if (settled) return;
				settled = true;
				clearTimeout(timer);
				resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) });
			});
			res.on('error', () => {});
		});
		// The server may answer (413) and close before the whole body is written: that is fine.
		r.on('error', (err) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			reject(err);
		});
		if (req.chunks) {
			const writeAll = async () => {
				for (const c of req.chunks!) {
					if (r.destroyed) return;
					if (!r.write(c)) await new Promise((ok) => r.once('drain', ok));
				}
				r.end();
			};
			void writeAll().catch(() => {});
		} else {
			r.end(req.body);
		}
	});
}
