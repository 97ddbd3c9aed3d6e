/**
 * Case history import (issue 15) as /admin → 案件导入 and POST /api/admin/cases/import see it: the
 * wire shape of the report, shared by the server (lib/server/cases) and the page.
 */
export interface CaseImportCounts {
	rows: number;
	new: number;
	updated: number;
	unchanged: number;
	refused: number;
}

/** Why one field of a row was refused: the file's column, a code and the reason in both languages. */
export interface CaseRowProblemView {
	field: string;
	column: string;
	code: string;
	value?: string;
	zh: string;
	en: string;
}

export interface CaseUploadReport extends CaseImportCounts {
	file: string;
	format: 'csv' | 'xlsx';
	encoding: string | null;
	source: string;
	fileColumns: string[];
	/** OneMap field → the file's column it was read from. */
	columns: Partial<Record<string, string>>;
	/** Values no vocabulary knows (type, status, priority, source) with their counts. */
	unmapped: Partial<Record<string, Record<string, number>>>;
	/** The first refused rows (all of them are in the CSV). */
	refusedRows: { row: number; problems: CaseRowProblemView[] }[];
	chunks: number;
	ms: number;
	/** A check: nothing written; `updated` counts cases that exist already. */
	dryRun: boolean;
}

export interface CaseUploadResult {
	report: CaseUploadReport;
	/** The refused rows as CSV (to fix and import again), or null when none. */
	refusedCsv: string | null;
}

export type CaseUploadLine =
	{ progress: CaseImportCounts } | { done: CaseUploadResult } | { failed: { message: string } };
