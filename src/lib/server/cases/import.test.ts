import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCity } from '../city/load';
import type { Db } from '../db/types';
import { BackupError } from '../db/backup';
import { LiveBus } from '../live/bus';
import { openTestDb, TEST_BACKEND } from '../testing/db';
import { fixtureCity, GRID_A1_01, GRID_B2_01, STREET_B } from '../testing/fixtureCity';
import {
	importCases,
	publishCaseImport,
	refusedCsv,
	saveMapping,
	savedMapping,
	writeRefusedCsv
} from './import';
import { DEFAULT_MAPPING, MappingError, mergeMapping } from './mapping';
import { importUpload, readCaseUpload } from './service';
import { namedActor } from '../audit/audit';
import { ApiError } from '../http/errors';

let db: Db;
let dir: string;
beforeAll(async () => {
	db = await openTestDb();
	await db.transaction((tx) => loadCity(tx, fixtureCity()));
	dir = mkdtempSync(join(tmpdir(), 'onemap-cases-'));
}, 120_000);
afterAll(async () => {
	await db?.close();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

const HEADER = [
	'工单编号',
	'诉求类型',
	'来电时间',
	'办结时间',
	'处理状态',
	'诉求内容',
	'地址',
	'经度',
	'纬度'
];
type Row = (string | number)[];
/** A 12345 export: `n` cases on a line through grid A1-01, every third one closed. */
function cases(prefix: string, n: number, type = '邻里纠纷'): Row[] {
	return Array.from({ length: n }, (_, i) => [
		`${prefix}${String(i + 1).padStart(4, '0')}`,
		type,
		`2026-01-${String(1 + (i % 28)).padStart(2, '0')} 10:00:00`,
		i % 3 === 0 ? `2026-01-${String(1 + (i % 28)).padStart(2, '0')} 18:30:00` : '',
		i % 3 === 0 ? '已办结' : '办理中',
		`第${i + 1}件诉求`,
		`新港路${i + 1}号`,
		117.601 + (i % 100) * 0.00015,
		39.001 + (i % 50) * 0.00015
	]);
}
const csvText = (rows: Row[], header = HEADER) => Papa.unparse([header, ...rows]) + '\n';
function file(name: string, data: string | Uint8Array): string {
	const path = join(dir, name);
	writeFileSync(path, data);
	return path;
}
async function xlsx(name: string, rows: Row[], header = HEADER): Promise<string> {
	const wb = new ExcelJS.Workbook();
	const ws = wb.addWorksheet('工单');
	ws.addRow(header);
	for (const r of rows) ws.addRow(r);
	const path = join(dir, name);
	await wb.xlsx.writeFile(path);
	return path;
}
const count = async (sql: string, params: unknown[] = []) =>
	(await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n;

describe(`case history import (${TEST_BACKEND})`, () => {
	it('imports a UTF-8 12345 export, keeping status, times and placement', async () => {
		const path = file('utf8.csv', '\ufeff' + csvText(cases('U', 30)));
		const report = await importCases(db, path, { actor: 'test', chunkRows: 7 });
		expect(report).toMatchObject({
			format: 'csv',
			encoding: 'utf-8',
			source: '12345',
			rows: 30,
			new: 30,
			updated: 0,
			unchanged: 0,
			refused: 0,
			chunks: 5
		});
		expect(report.columns).toMatchObject({ externalId: '工单编号', lon: '经度', lat: '纬度' });
		const [first] = await db.query<Record<string, unknown>>(
			`SELECT status, priority, grid_id, type, source, address, description, reported_crs,
			   (extract(epoch FROM ts) * 1000)::float8 AS ts,
			   (extract(epoch FROM closed_ts) * 1000)::float8 AS closed
			 FROM incident WHERE import_source = '12345' AND external_id = 'U0001'`
		);
		expect(first).toMatchObject({
			status: 'closed',
			priority: 4,
			grid_id: GRID_A1_01,
			type: 'dispute',
			source: 'hotline_12345',
			address: '新港路1号',
			description: '第1件诉求',
			reported_crs: 'cgcs2000',
			ts: Date.UTC(2026, 0, 1, 2),
			closed: Date.UTC(2026, 0, 1, 10, 30)
		});
		expect(await count(`incident WHERE external_id LIKE 'U%' AND status = 'handling'`)).toBe(20);
	});

	it('reads a GB18030 export (what 12345 platforms write) without being told', async () => {
		const path = file('gb.csv', iconv.encode(csvText(cases('G', 5, '噪音扰民')), 'gb18030'));
		const report = await importCases(db, path, { actor: 'test' });
		expect(report).toMatchObject({ encoding: 'gb18030', new: 5, refused: 0 });
		const rows = await db.query<{ type: string; address: string }>(
			`SELECT type, address FROM incident WHERE external_id = 'G0002'`
		);
		expect(rows).toEqual([{ type: 'pollution', address: '新港路2号' }]);
	});

	it('reads XLSX, date cells as China time', async () => {
		const rows = cases('X', 4);
		rows[1][2] = new Date(Date.UTC(2026, 0, 5, 10)) as unknown as string; // a date cell 10:00
		const path = await xlsx('cases.xlsx', rows);
		const report = await importCases(db, path, { actor: 'test' });
		expect(report).toMatchObject({ format: 'xlsx', encoding: null, new: 4, refused: 0 });
		const [r] = await db.query<{ ts: number }>(
			`SELECT (extract(epoch FROM ts) * 1000)::float8 AS ts FROM incident WHERE external_id = 'X0002'`
		);
		expect(r.ts).toBe(Date.UTC(2026, 0, 5, 2));
	});

	it('is idempotent: the same file again changes nothing; an edited one updates, never duplicates', async () => {
		const rows = cases('R', 12);
		const path = file('again.csv', csvText(rows));
		expect(await importCases(db, path, { actor: 'test', chunkRows: 5 })).toMatchObject({
			new: 12,
			updated: 0,
			unchanged: 0
		});
		const revBefore = await db.query<{ rev: number }>(`SELECT max(rev)::int8 AS rev FROM incident`);
		expect(await importCases(db, path, { actor: 'test', chunkRows: 5 })).toMatchObject({
			new: 0,
			updated: 0,
			unchanged: 12
		});
		expect(await db.query(`SELECT max(rev)::int8 AS rev FROM incident`)).toEqual(revBefore);
		rows[1][4] = '已办结';
		rows[1][3] = '2026-01-02 12:00:00';
		rows[2][8] = 39.0155; // moved north, into grid A1-02
		rows.push(...cases('S', 2));
		const edited = file('edited.csv', csvText(rows));
		expect(await importCases(db, edited, { actor: 'test' })).toMatchObject({
			rows: 14,
			new: 2,
			updated: 2,
			unchanged: 10
		});
		expect(await count(`incident WHERE external_id LIKE 'R%'`)).toBe(12);
		const [r2] = await db.query<{ status: string; version: number }>(
			`SELECT status, version FROM incident WHERE external_id = 'R0002'`
		);
		expect(r2).toEqual({ status: 'closed', version: 2 });
		const [r3] = await db.query<{ grid_id: string }>(
			`SELECT grid_id FROM incident WHERE external_id = 'R0003'`
		);
		expect(r3.grid_id).not.toBe(GRID_A1_01);
		// The same case number from another source is another case.
		expect(await importCases(db, path, { actor: 'test', source: 'grid-app' })).toMatchObject({
			new: 12
		});
	});

	it('refuses bad rows with row number, column and reason, imports the rest, and writes them out', async () => {
		const rows = cases('F', 8);
		rows[1][1] = '咨询'; // row 3: unknown type
		rows[2][7] = ''; // row 4: no coordinates
		rows[2][8] = '';
		rows[3][7] = 118.5; // row 5: outside the jurisdiction
		rows[4][2] = '2026-02-30 10:00'; // row 6: no such day
		rows[5][0] = 'F0001'; // row 7: the same number as row 2 (the later wins)
		rows[6][1] = '咨询'; // row 8: unknown type again
		const path = file('refused.csv', csvText(rows));
		const report = await importCases(db, path, { actor: 'test' });
		expect(report).toMatchObject({ rows: 8, new: 2, refused: 6 });
		expect(report.unmapped).toEqual({ type: { 咨询: 2 } });
		const listed = report.refusedRows.map((r) => [
			r.row,
			r.problems.map((p) => `${p.column}:${p.code}`).join(' ')
		]);
		expect(listed).toEqual([
			[2, '工单编号:duplicate'],
			[3, '诉求类型:unmapped'],
			[4, '经度, 纬度:no-coordinates'],
			[5, '经度, 纬度:outside'],
			[6, '来电时间:bad-time'],
			[8, '诉求类型:unmapped']
		]);
		expect(report.refusedRows[2].problems[0].en).toBe(
			'no coordinates (address geocoding not yet available)'
		);
		// The CSV: reason columns first, then the row as it was, ready to fix and re-import.
		const out = join(dir, 'refused-rows.csv');
		await writeRefusedCsv(out, report);
		const text = readFileSync(out, 'utf8');
		expect(text.startsWith('\ufeff行号,列,原因,reason,工单编号')).toBe(true);
		const parsed = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true }).data;
		expect(parsed).toHaveLength(1 + report.refused);
		expect(parsed[2].slice(0, 2)).toEqual(['3', '诉求类型']);
		expect(parsed[2][4]).toBe('F0002');
		await expect(writeRefusedCsv(out, report)).rejects.toThrow(BackupError);
		expect(refusedCsv(report)).toBe(text);
	});

	it('refuses a file without the required columns before writing anything', async () => {
		const path = file('nocols.csv', csvText([['A', 'B']], ['编号x', '内容']));
		await expect(importCases(db, path, { actor: 'test' })).rejects.toThrow(MappingError);
		await expect(importCases(db, path, { actor: 'test' })).rejects.toThrow(/工单编号/);
	});

	it('reads a file with its own columns and codes through a mapping, saved per source', async () => {
		const header = ['CASE_NO', 'KIND', 'TIME', 'X', 'Y'];
		const path = file(
			'own.csv',
			csvText([['K1', '0301', '2026-03-01 08:00', 117.61, 39.005]], header)
		);
		const mapping = mergeMapping(DEFAULT_MAPPING, {
			source: 'city-app',
			incidentSource: 'resident_app',
			columns: { externalId: 'CASE_NO', type: 'KIND', reportedAt: 'TIME', lon: 'X', lat: 'Y' },
			values: { type: { '0301': 'city_appearance' } }
		});
		const report = await importCases(db, path, { actor: 'test', mapping });
		expect(report).toMatchObject({ source: 'city-app', new: 1, refused: 0 });
		const [r] = await db.query<{ type: string; source: string; status: string }>(
			`SELECT type, source, status FROM incident WHERE import_source = 'city-app'`
		);
		expect(r).toEqual({ type: 'city_appearance', source: 'resident_app', status: 'reported' });
		await saveMapping(db, mapping, 'test');
		expect(await savedMapping(db, 'city-app')).toEqual(mapping);
		expect(await savedMapping(db, 'nobody')).toBeNull();
	});

	it('history is history: no escalation, no alerts, no repeat links, one reload event', async () => {
		const alerts = await count('alert');
		const audit = await count(`audit_log WHERE action = 'incident.import'`);
		// Five complaints of one type within metres and hours, inside hazmat site HZ001's radius.
		const rows: Row[] = Array.from({ length: 5 }, (_, i) => [
			`H${i}`,
			'危化品',
			`2026-11-0${i + 1} 0${i}:00:00`,
			'',
			'待受理',
			'异味',
			'南港',
			117.635 + i * 0.0001,
			39.0051
		]);
		const bus = new LiveBus();
		const frames: string[] = [];
		bus.subscribe({ send: (f) => frames.push(new TextDecoder().decode(f)), close() {} });
		const report = await importCases(db, file('hazmat.csv', csvText(rows)), {
			actor: 'test',
			now: Date.UTC(2026, 11, 1)
		});
		publishCaseImport(bus, report);
		expect(report.new).toBe(5);
		const stored = await db.query<Record<string, unknown>>(
			`SELECT priority, status, hazmat_site_id, repeat_group, street_id FROM incident
			 WHERE external_id LIKE 'H%' AND import_source = '12345' ORDER BY external_id`
		);
		expect(stored).toEqual(
			rows.map(() => ({
				priority: 2, // the type's default, not 特急 for lying in the risk radius
				status: 'reported',
				hazmat_site_id: null,
				repeat_group: null,
				street_id: STREET_B
			}))
		);
		expect(await count('alert')).toBe(alerts);
		expect(await count(`incident WHERE grid_id = $1 AND external_id LIKE 'H%'`, [GRID_B2_01])).toBe(
			5
		);
		expect(frames).toHaveLength(1);
		expect(frames[0]).toMatch(/^event: reload\n/);
		// One audit entry for the import, none per case.
		expect(await count(`audit_log WHERE action = 'incident.import'`)).toBe(audit + 1);
		// Nothing changed: no event at all.
		const again = await importCases(db, file('hazmat2.csv', csvText(rows)), {
			actor: 'test',
			now: Date.UTC(2026, 11, 1)
		});
		publishCaseImport(bus, again);
		expect(again.unchanged).toBe(5);
		expect(frames).toHaveLength(1);
	});

	it('a check (dry run) counts what an import would do and writes nothing', async () => {
		const before = await count('incident');
		const rows = [...cases('R', 3), ...cases('D', 2)];
		const report = await importCases(db, file('dry.csv', csvText(rows)), {
			actor: 'test',
			dryRun: true
		});
		expect(report).toMatchObject({ dryRun: true, rows: 5, new: 2, updated: 3, refused: 0 });
		expect(await count('incident')).toBe(before);
	});

	it('/admin upload: checks, imports with one reload, sends the refused rows as CSV', async () => {
		const rows = cases('W', 6);
		rows[2][1] = '咨询';
		const body = new Uint8Array(iconv.encode(csvText(rows), 'gb18030'));
		const request = (query: string, name = '12345 导出.csv') =>
			readCaseUpload(
				new Request(`http://x/api/admin/cases/import?${query}`, {
					method: 'POST',
					body,
					headers: { 'x-file-name': encodeURIComponent(name) }
				}),
				new URL(`http://x/api/admin/cases/import?${query}`)
			);
		const bus = new LiveBus();
		const frames: string[] = [];
		bus.subscribe({ send: (f) => frames.push(new TextDecoder().decode(f)), close() {} });
		const app = { db, bus };
		const actor = namedActor('admin');
		const checked = await importUpload(app, await request('source=12345&check=1'), {
			actor,
			dryRun: true,
			name: '12345 导出.csv'
		});
		expect(checked.report).toMatchObject({
			dryRun: true,
			new: 5,
			refused: 1,
			file: '12345 导出.csv'
		});
		expect(frames).toHaveLength(0);
		const progress: number[] = [];
		const done = await importUpload(app, await request('source=12345'), {
			actor,
			dryRun: false,
			onProgress: (p) => progress.push(p.rows)
		});
		expect(done.report).toMatchObject({ new: 5, refused: 1, encoding: 'gb18030' });
		expect(done.report.refusedRows).toEqual([
			{ row: 4, problems: [expect.objectContaining({ column: '诉求类型', code: 'unmapped' })] }
		]);
		expect(done.refusedCsv).toContain('W0003');
		expect(progress).toEqual([6]);
		expect(frames).toHaveLength(1);
		await expect(request('source=bad source')).rejects.toThrow(ApiError);
		await expect(request('', 'cases.xls')).rejects.toThrow(/XLSX/);
	});
});
