/**
 * Case files, read as a stream of rows so a million-row export never sits in memory whole:
 *
 * - CSV: iconv-lite's decoding stream, cut into batches of whole records for papaparse. UTF-8 (with or without BOM)
 *   unless the first 64 KiB are not valid UTF-8, then GB18030 (what 12345 platforms and Chinese
 *   Excel export) — the same rule as city packs (citypack/read/text.ts), or `encoding` when given.
 * - XLSX: exceljs's streaming WorkbookReader, the first sheet (or `sheet`, by name or 1-based
 *   number). Date cells become "YYYY-MM-DD HH:MM:SS" as the cell shows them (China time, which
 *   the mapping reads), not a UTC instant.
 *
 * The first row holds the column names; empty rows are skipped. `row` is the row number a person
 * sees in Excel: the header is row 1, the first case row 2.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { normaliseEncoding } from '../citypack/read/text';

export type CaseFileFormat = 'csv' | 'xlsx';

export interface SourceRow {
	/** 1-based row number as a spreadsheet shows it (the header is row 1). */
	row: number;
	/** Column name → cell value (string, number, boolean); empty cells are absent. */
	values: Record<string, unknown>;
}

export interface CaseTable {
	format: CaseFileFormat;
	/** The text encoding a CSV was read in ('utf-8', 'gb18030', …); null for XLSX. */
	encoding: string | null;
	/** Column names of the header row, trimmed, in file order. */
	columns: string[];
	rows: AsyncIterable<SourceRow>;
	/** Stops reading early (the rows are not all consumed). */
	close(): void;
}

export interface ReadCaseOptions {
	/** CSV text encoding, e.g. "GBK", "GB18030", "UTF-8"; detected when absent. */
	encoding?: string;
	/** XLSX sheet name or 1-based number; the first sheet when absent. */
	sheet?: string;
}

export class CaseFileError extends Error {}

const SNIFF_BYTES = 64 * 1024;

/** 'utf-8' when the file's first 64 KiB are valid UTF-8 (a character cut at the end is fine). */
export async function sniffEncoding(path: string): Promise<string> {
	const handle = await open(path, 'r');
	try {
		const buf = Buffer.alloc(SNIFF_BYTES);
		const { bytesRead } = await handle.read(buf, 0, SNIFF_BYTES, 0);
		try {
			new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, bytesRead), {
				stream: bytesRead === SNIFF_BYTES
			});
			return 'utf-8';
		} catch {
			return 'gb18030';
		}
	} finally {
		await handle.close();
	}
}

/** The format from the file name, else from its first bytes (XLSX is a zip: "PK"). */
async function formatOf(path: string): Promise<CaseFileFormat> {
	const ext = extname(path).toLowerCase();
	if (ext === '.xlsx') return 'xlsx';
	if (ext === '.csv' || ext === '.txt') return 'csv';
	if (ext === '.xls')
		throw new CaseFileError(
			`${path}: 不支持旧版 Excel（.xls），请另存为 .xlsx 或 CSV · old Excel (.xls) is not supported: save it as .xlsx or CSV`
		);
	const handle = await open(path, 'r');
	try {
		const head = Buffer.alloc(2);
		await handle.read(head, 0, 2, 0);
		return head[0] === 0x50 && head[1] === 0x4b ? 'xlsx' : 'csv';
	} finally {
		await handle.close();
	}
}

const clean = (s: string) => s.normalize('NFKC').trim();

/** Pulls the header from `rows` and returns it with the iterator positioned at the first case. */
async function withHeader(
	format: CaseFileFormat,
	encoding: string | null,
	cells: AsyncIterator<{ row: number; cells: unknown[] }>,
	close: () => void
): Promise<CaseTable> {
	const first = await cells.next();
	const header = first.done ? [] : first.value.cells.map((c) => clean(String(c ?? '')));
	const columns = header.filter(Boolean);
	const seen = new Set<string>();
	for (const c of columns) {
		if (seen.has(c)) {
			close();
			throw new CaseFileError(
				`表头中“${c}”出现了两次，无法确定取哪一列 · the header names "${c}" twice: rename one of the columns`
			);
		}
		seen.add(c);
	}
	async function* rows(): AsyncGenerator<SourceRow> {
		for (;;) {
			const next = await cells.next();
			if (next.done) return;
			const values: Record<string, unknown> = {};
			let any = false;
			next.value.cells.forEach((v, i) => {
				const key = header[i];
				if (!key || v === undefined || v === null) return;
				if (typeof v === 'string' && v.trim() === '') return;
				values[key] = v;
				any = true;
			});
			if (any) yield { row: next.value.row, values };
		}
	}
	return { format, encoding, columns, rows: rows(), close };
}

/**
 * Decoded text chunks → batches of CSV records. Each batch is cut at the last line break outside
 * quotes (an even number of `"` before it: RFC 4180 doubles quotes inside quoted fields) and
 * parsed by papaparse in one call, far cheaper than its per-record stream.
 */
export async function* csvRecords(chunks: AsyncIterable<string>): AsyncGenerator<string[][]> {
	let carry = '';
	let quotes = 0; // quotes in `carry`
	// Taken from the first line break, then kept: every batch splits lines the same way.
	let newline: '\r\n' | '\n' | '\r' | undefined;
	// Every record counts, empty lines too (they are rows in a spreadsheet); the caller skips
	// those without values. The line break ending a batch is not passed (no phantom record).
	const parse = (text: string): string[][] => {
		if (text === '') return [['']]; // an empty line, alone in its batch
		const out = Papa.parse<string[]>(text, { header: false, newline });
		const bad = out.errors.find((e) => e.type === 'Quotes');
		if (bad) throw new CaseFileError(`CSV 格式错误 · CSV error: ${bad.message}`);
		return out.data;
	};
	for await (const chunk of chunks) {
		let cut = -1;
		let q = quotes;
		for (let i = 0; i < chunk.length; i++) {
			const c = chunk.charCodeAt(i);
			if (c === 34) q++;
			else if (c === 10 && (q & 1) === 0) cut = i;
		}
		if (cut < 0) {
			carry += chunk;
			quotes = q;
			continue;
		}
		let text = carry + chunk.slice(0, cut);
		const crlf = text.endsWith('\r');
		newline ??= crlf ? '\r\n' : '\n';
		if (crlf) text = text.slice(0, -1);
		carry = chunk.slice(cut + 1);
		quotes = 0;
		for (let i = 0; i < carry.length; i++) if (carry.charCodeAt(i) === 34) quotes++;
		yield parse(text);
	}
	if (carry) yield parse(carry);
}

async function openCsv(path: string, opts: ReadCaseOptions): Promise<CaseTable> {
	let encoding = 'utf-8';
	if (opts.encoding) {
		const known = normaliseEncoding(opts.encoding);
		if (!known)
			throw new CaseFileError(
				`不认识的编码“${opts.encoding}” · unknown encoding "${opts.encoding}" (use UTF-8, GB18030 or GBK)`
			);
		encoding = known;
	} else encoding = await sniffEncoding(path);
	const text = pipeline(createReadStream(path), iconv.decodeStream(encoding), () => {
		// errors reach the iterator below through the last stream
	});
	async function* cells() {
		let row = 0;
		for await (const records of csvRecords(text as AsyncIterable<string>)) {
			for (const rec of records) yield { row: ++row, cells: rec };
		}
	}
	return withHeader('csv', encoding, cells(), () => (text as unknown as Readable).destroy());
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An XLSX cell as text or number; dates as the wall-clock time the cell shows. */
function cellValue(v: ExcelJS.CellValue): unknown {
	if (v === null || v === undefined) return undefined;
	if (v instanceof Date) {
		// exceljs reads a date cell's serial as if it were UTC: its UTC fields are the cell's.
		const d = v;
		return (
			`${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
			`${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
		);
	}
	if (typeof v === 'object') {
		if ('result' in v) return cellValue(v.result as ExcelJS.CellValue);
		if ('richText' in v) return v.richText.map((t) => t.text).join('');
		if ('text' in v) return String(v.text);
		if ('error' in v) return undefined;
	}
	return v;
}

async function openXlsx(path: string, opts: ReadCaseOptions): Promise<CaseTable> {
	const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
		worksheets: 'emit',
		sharedStrings: 'cache',
		styles: 'cache',
		hyperlinks: 'ignore',
		entries: 'ignore'
	});
	let stopped = false;
	const want = opts.sheet;
	async function* cells() {
		let index = 0;
		try {
			for await (const ws of reader) {
				index++;
				const name = (ws as unknown as { name?: string }).name;
				const match = want === undefined ? index === 1 : want === name || want === String(index);
				if (!match) continue;
				for await (const row of ws) {
					if (stopped) return;
					const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellValue);
					yield { row: row.number, cells: values };
				}
				return;
			}
		} catch (err) {
			throw new CaseFileError(
				`不是可读的 XLSX 文件 · not a readable XLSX file (${(err as Error).message})`
			);
		}
		if (want !== undefined)
			throw new CaseFileError(`找不到工作表“${want}” · no sheet "${want}" in ${path}`);
	}
	return withHeader('xlsx', null, cells(), () => {
		stopped = true;
	});
}

/** Opens a CSV or XLSX case file: its header now, its rows as they are read. */
export async function openCaseFile(path: string, opts: ReadCaseOptions = {}): Promise<CaseTable> {
	const format = await formatOf(path);
	return format === 'xlsx' ? openXlsx(path, opts) : openCsv(path, opts);
}
