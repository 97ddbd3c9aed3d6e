import type { RequestHandler } from './$types';
import type { PackImportLine } from '$lib/domain/cityPack';
import { getApp } from '$lib/server/app';
import { auditActor } from '$lib/server/auth/request';
import { importIntoApp } from '$lib/server/citypack/service';
import { updateSummary } from '$lib/server/citypack/update';
import { readUploadedPack } from '$lib/server/citypack/upload';
import { answer } from '$lib/server/http/errors';

/**
 * POST /api/admin/city/import, body: a city pack .zip → 200 NDJSON (PackImportLine per line):
 * `{progress}` while it checks and imports, then `{done}`, `{refused}` (the check's report;
 * nothing written) or `{failed}` (rolled back; nothing written). 415 and 413 before it starts.
 */
export const POST: RequestHandler = (event) =>
	answer(async () => {
		const source = await readUploadedPack(event.request);
		const app = await getApp();
		const actor = auditActor(event);
		const encoder = new TextEncoder();
		const body = new ReadableStream<Uint8Array>({
			async start(controller) {
				const send = (line: PackImportLine) =>
					controller.enqueue(encoder.encode(JSON.stringify(line) + '\n'));
				try {
					const run = await importIntoApp(app, source, {
						actor,
						onProgress: (progress) => send({ progress })
					});
					if (run.result)
						send({
							done: {
								report: run.report,
								mode: run.result.mode,
								update: run.result.update && updateSummary(run.result.update),
								importId: run.result.importId,
								seconds: run.result.seconds
							}
						});
					else send({ refused: { report: run.report } });
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
