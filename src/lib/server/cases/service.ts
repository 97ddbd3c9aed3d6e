/**
 * /admin → 案件导入: an uploaded case file (the request body, CSV or XLSX) imported into the
 * running server's database, or checked only. The body is written to a temporary file (the
 * readers stream from a file), imported with the source's saved mapping (or the default 12345
 * one), and the open maps get one `reload` afterwards. Larger files: `npm run cases -- import`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { CaseUploadResult } from '$lib/domain/caseImport';
import type { App } from '../app';
import type { AuditActor } from '../audit/audit';
import { readBodyBytes } from '../http/body';
import { ApiError } from '../http/errors';
import {
	importCases,
	publishCaseImport,
	refusedCsv,
	savedMapping,
	type ImportProgress
} from './import';
import { DEFAULT_MAPPING, validSourceName } from './mapping';

/** The largest case file /admin accepts (a year of a city's 12345 cases is a few MB). */
export const CASE_UPLOAD_MAX_BYTES = 100 * 1024 * 1024;
/** Refused rows sent to the page (all of them are in the CSV). */
const LISTED = 200;

export type { CaseUploadLine, CaseUploadResult } from '$lib/domain/caseImport';

export interface CaseUpload {
	path: string;
	source: string;
	cleanup(): void;
}

/** The request body into a temporary file named like the upload (its extension says the format). */
export async function readCaseUpload(request: Request, url: URL): Promise<CaseUpload> {
	const source = url.searchParams.get('source')?.trim() || DEFAULT_MAPPING.source;
	if (!validSourceName(source))
		throw new ApiError(422, `source: letters, digits, _ . - (at most 40), e.g. 12345`, 'source');
	const name = decodeURIComponent(request.headers.get('x-file-name') ?? 'cases.csv');
	const ext = extname(name).toLowerCase();
	if (!['.csv', '.txt', '.xlsx'].includes(ext))
		throw new ApiError(
			415,
			`Send a CSV or XLSX file (got "${name}"). 请上传 CSV 或 XLSX 文件（.xls 请另存为 .xlsx）。`
		);
	const bytes = await readBodyBytes(
		request,
		CASE_UPLOAD_MAX_BYTES,
		'import a larger file with "npm run cases -- import <file>" on the server'
	);
	const dir = mkdtempSync(join(tmpdir(), 'onemap-case-upload-'));
	const path = join(dir, `upload${ext}`);
	writeFileSync(path, bytes);
	return { path, source, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Imports (or checks) an upload; one `reload` on the app's bus when cases changed. */
export async function importUpload(
	app: Pick<App, 'db' | 'bus'>,
	upload: CaseUpload,
	opts: {
		actor: AuditActor;
		dryRun: boolean;
		name?: string;
		onProgress?: (p: ImportProgress) => void;
	}
): Promise<CaseUploadResult> {
	try {
		const mapping = (await savedMapping(app.db, upload.source)) ?? {
			...DEFAULT_MAPPING,
			source: upload.source
		};
		const report = await importCases(app.db, upload.path, {
			actor: opts.actor,
			mapping,
			dryRun: opts.dryRun,
			onProgress: opts.onProgress
		});
		if (opts.name) report.file = opts.name;
		publishCaseImport(app.bus, report);
		return {
			report: {
				...report,
				refusedRows: report.refusedRows.slice(0, LISTED).map(({ row, problems }) => ({
					row,
					problems
				}))
			},
			refusedCsv: report.refused ? refusedCsv(report) : null
		};
	} finally {
		upload.cleanup();
	}
}
