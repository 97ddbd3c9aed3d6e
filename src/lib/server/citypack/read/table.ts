/**
 * Tables: CSV (papaparse; UTF-8 with or without BOM, GB18030 when not valid UTF-8 — noted —
 * or the layer's `encoding`) and XLSX (exceljs; `sheet`, default the first). The first row
 * holds the column names; empty rows are skipped. Row indexes in messages count data rows.
 */
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { ReadError, message } from './messages';
import type { RawLayer, ReadOptions } from './layer';
import { decodeText } from './text';

export function readCsv(bytes: Uint8Array, opts: ReadOptions): RawLayer {
	const { text, notes } = decodeText(bytes, opts.file, opts.encoding);
	const parsed = Papa.parse<Record<string, string>>(text, {
		header: true,
		skipEmptyLines: 'greedy',
		transformHeader: (h) => h.trim()
	});
	const bad = parsed.errors.find((e) => e.type !== 'FieldMismatch' || e.code === 'TooManyFields');
	if (bad)
		throw new ReadError([
			message(
				'file-unreadable',
				{ reason: { zh: `CSV 格式错误：${bad.message}`, en: `CSV error: ${bad.message}` } },
				{ source: { file: opts.file, index: bad.row }, rows: true }
			)
		]);
	return {
		table: true,
		features: parsed.data.map((r) => ({ geometry: null, properties: r })),
		columns: parsed.meta.fields ?? [],
		notes
	};
}

/** An XLSX cell's value as plain text / number (formulas: their result; rich text: its text). */
function cellValue(v: ExcelJS.CellValue): unknown {
	if (v === null || v === undefined) return undefined;
	if (v instanceof Date) return v.toISOString();
	if (typeof v === 'object') {
		if ('result' in v) return cellValue(v.result as ExcelJS.CellValue);
		if ('richText' in v) return v.richText.map((t) => t.text).join('');
		if ('text' in v) return String(v.text);
		if ('error' in v) return undefined;
	}
	return v;
}

export async function readXlsx(bytes: Uint8Array, opts: ReadOptions): Promise<RawLayer> {
	const wb = new ExcelJS.Workbook();
	const source = { file: opts.file };
	try {
		await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as never);
	} catch (err) {
		throw new ReadError([
			message(
				'file-unreadable',
				{
					reason: {
						zh: `不是可读的 XLSX 文件（${(err as Error).message}）`,
						en: `not a readable XLSX file (${(err as Error).message})`
					}
				},
				{ source }
			)
		]);
	}
	const sheets = wb.worksheets.map((s) => s.name);
	const ws = opts.sheet ? wb.getWorksheet(opts.sheet) : wb.worksheets[0];
	if (!ws)
		throw new ReadError([
			message(
				'layer-missing',
				{ layer: opts.sheet ?? '—', layers: sheets.join(', ') || '—' },
				{ source }
			)
		]);
	const header: string[] = [];
	ws.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => {
		header[col] = String(cellValue(cell.value) ?? '').trim();
	});
	const features: RawLayer['features'] = [];
	for (let r = 2; r <= ws.rowCount; r++) {
		const row = ws.getRow(r);
		const props: Record<string, unknown> = {};
		let any = false;
		row.eachCell({ includeEmpty: false }, (cell, col) => {
			const key = header[col];
			const v = cellValue(cell.value);
			if (key && v !== undefined && v !== '') {
				props[key] = v;
				any = true;
			}
		});
		if (any) features.push({ geometry: null, properties: props });
	}
	return { table: true, layer: ws.name, features, columns: header.filter(Boolean), notes: [] };
}
