import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { auditActor } from '$lib/server/auth/request';
import { importUpload, readCaseUpload, type CaseUploadLine } from '$lib/server/cases/service';
import { answer } from '$lib/server/http/errors';

/**
 * POST /api/admin/cases/import?source=12345[&check=1], body: a case file (CSV in UTF-8 or
 * GB18030, or XLSX; its name in `x-file-name`) → 200 NDJSON (CaseUploadLine per line):
 * `{progress}` per chunk, then `{done}` (the report and the refused-rows CSV) or `{failed}`.
 * `check=1` reads, maps and places only; nothing is written. 415, 413 and 422 before it starts.
 */
export const POST: RequestHandler = (event) =>
	answer(async () => {
		const upload = await readCaseUpload(event.request, event.url);
		const app = await getApp();
		const actor = auditActor(event);
		const name = decodeURIComponent(event.request.headers.get('x-file-name') ?? '') || undefined;
		const dryRun = event.url.searchParams.get('check') === '1';
		const encoder = new TextEncoder();
		const body = new ReadableStream<Uint8Array>({
			async start(controller) {
				const send = (line: CaseUploadLine) =>
					controller.enqueue(encoder.encode(JSON.stringify(line) + '\n'));
				try {
					const done = await importUpload(app, upload, {
						actor,
						dryRun,
						name,
						onProgress: (progress) => send({ progress })
					});
					send({ done });
				} catch (err) {
					send({ failed: { message: (err as Error).message } });
				}
				controller.close();
			}
		});
		return new Response(body, {
			headers: {
				'content-type': 'application/x-ndjson; charset=utf-8',
				'cache-control': 'no-store'
			}
		});
	});
