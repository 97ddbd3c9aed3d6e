/**
 * /admin → 案件导入, the browser side: uploads a case file (CSV or XLSX) to
 * POST /api/admin/cases/import (check or import) and reads its NDJSON answer.
 */
import type { CaseImportCounts, CaseUploadLine, CaseUploadResult } from '$lib/domain/caseImport';
import { readNdjson } from './cityPack';

/** The default import source: the 12345 hotline platform. */
export const DEFAULT_CASE_SOURCE = '12345';

/** Checks (nothing written) or imports `file` as cases of `source`; the final report. */
export async function uploadCases(
	file: Blob & { name?: string },
	opts: { source: string; check: boolean },
	onProgress: (p: CaseImportCounts) => void,
	fetchFn: typeof fetch = fetch
): Promise<CaseUploadResult> {
	const query = new URLSearchParams({ source: opts.source || DEFAULT_CASE_SOURCE });
	if (opts.check) query.set('check', '1');
	const response = await fetchFn(`/api/admin/cases/import?${query}`, {
		method: 'POST',
		body: file,
		headers: {
			'content-type': 'application/octet-stream',
			...(file.name ? { 'x-file-name': encodeURIComponent(file.name) } : {})
		}
	});
	if (!response.ok || !response.body) {
		const body = (await response.json().catch(() => ({}))) as { message?: string };
		throw new Error(body.message ?? `${response.status} ${response.statusText}`);
	}
	let final: CaseUploadLine | null = null;
	await readNdjson<CaseUploadLine>(response.body, (line) => {
		if ('progress' in line) onProgress(line.progress);
		else final = line;
	});
	const last = final as CaseUploadLine | null;
	if (!last) throw new Error('The server ended the import without an answer. 服务器未给出结果。');
	if ('failed' in last) throw new Error(last.failed.message);
	if ('done' in last) return last.done;
	throw new Error('Unexpected answer. 服务器应答有误。');
}
