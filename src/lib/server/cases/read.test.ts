import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { csvRecords, openCaseFile, sniffEncoding } from './read';

const dir = mkdtempSync(join(tmpdir(), 'onemap-cases-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function* chunks(parts: string[]) {
	for (const p of parts) yield p;
}
async function records(parts: string[]) {
	const out: string[][] = [];
	for await (const batch of csvRecords(chunks(parts))) out.push(...batch);
	return out;
}

describe('case files', () => {
	it('cuts CSV batches only between records, whatever the chunk boundaries', async () => {
		const text = 'a,b\r\n1,"x\r\ny ""q"", z"\r\n\r\n2,plain\r\n3,"end"\r\n';
		const whole = await records([text]);
		expect(whole).toEqual([['a', 'b'], ['1', 'x\r\ny "q", z'], [''], ['2', 'plain'], ['3', 'end']]);
		for (let cut = 1; cut < text.length; cut++)
			expect(await records([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
		expect(await records(text.split(''))).toEqual(whole);
	});

	it('detects GB18030 and UTF-8 (with BOM), reading rows with their spreadsheet row number', async () => {
		const csv = '工单编号,诉求内容\n A1 ,"两行\n内容"\n\n,\nA2,噪音\n';
		const gb = join(dir, 'gb.csv');
		const utf = join(dir, 'utf.csv');
		writeFileSync(gb, iconv.encode(csv, 'gb18030'));
		writeFileSync(utf, '\ufeff' + csv);
		expect(await sniffEncoding(gb)).toBe('gb18030');
		expect(await sniffEncoding(utf)).toBe('utf-8');
		for (const path of [gb, utf]) {
			const t = await openCaseFile(path);
			expect(t.columns).toEqual(['工单编号', '诉求内容']);
			const rows = [];
			for await (const r of t.rows) rows.push(r);
			expect(rows).toEqual([
				{ row: 2, values: { 工单编号: ' A1 ', 诉求内容: '两行\n内容' } },
				{ row: 5, values: { 工单编号: 'A2', 诉求内容: '噪音' } }
			]);
		}
		const forced = await openCaseFile(gb, { encoding: 'GBK' });
		expect(forced.encoding).toBe('gbk');
		forced.close();
	});

	it('refuses a header naming a column twice, and old .xls files', async () => {
		const path = join(dir, 'dup.csv');
		writeFileSync(path, '编号,编号\n1,2\n');
		await expect(openCaseFile(path)).rejects.toThrow(/twice/);
		const xls = join(dir, 'old.xls');
		writeFileSync(xls, 'x');
		await expect(openCaseFile(xls)).rejects.toThrow(/\.xls/);
	});
});
