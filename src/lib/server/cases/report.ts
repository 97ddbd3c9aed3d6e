/** A case import report as plain text for a terminal (`npm run cases -- import|check`). */
import { CASE_FIELDS, FIELD_LABELS, type VocabularyField } from './mapping';
import type { CaseImportReport } from './import';

const n = (x: number) => x.toLocaleString('en');

/** The report; `listed` refused rows are shown (the CSV holds them all). */
export function formatCaseReport(r: CaseImportReport, listed = 20): string {
	const lines: string[] = [];
	const kind = r.format === 'xlsx' ? 'XLSX' : `CSV, ${(r.encoding ?? '').toUpperCase()}`;
	lines.push(
		`${r.dryRun ? '• 检查 check' : '✓ 导入 import'} ${r.file} (${kind}) → 来源 source ${r.source}`
	);
	const cols = CASE_FIELDS.filter((f) => r.columns[f]).map(
		(f) => `${FIELD_LABELS[f]} ${f} ← ${r.columns[f]}`
	);
	lines.push(`  列 columns: ${cols.join(', ')}`);
	const unused = r.fileColumns.filter((c) => !Object.values(r.columns).includes(c));
	if (unused.length) lines.push(`  未用的列 unused columns: ${unused.join(', ')}`);
	const verbs = r.dryRun
		? `新增 new ${n(r.new)} · 已有 existing ${n(r.updated)}`
		: `新增 new ${n(r.new)} · 更新 updated ${n(r.updated)} · 未变 unchanged ${n(r.unchanged)}`;
	lines.push(`  行 rows ${n(r.rows)} · ${verbs} · 拒绝 refused ${n(r.refused)}`);
	for (const [field, values] of Object.entries(r.unmapped) as [
		VocabularyField,
		Record<string, number>
	][]) {
		const list = Object.entries(values)
			.sort((a, b) => b[1] - a[1])
			.map(([v, c]) => `${v} ×${n(c)}`);
		lines.push(
			`  未映射的${FIELD_LABELS[field]} unmapped ${field} values: ${list.join(', ')}` +
				`\n    (在映射文件的 values.${field} 中补充 · add them to the mapping file's values.${field})`
		);
	}
	if (r.refused) {
		lines.push(`  拒绝的行 refused rows:`);
		for (const row of r.refusedRows.slice(0, listed)) {
			for (const p of row.problems)
				lines.push(`    第 ${row.row} 行 row ${row.row} · ${p.column}: ${p.zh} · ${p.en}`);
		}
		const more = r.refused - Math.min(listed, r.refusedRows.length);
		if (more > 0)
			lines.push(
				`    … 另有 ${n(more)} 行 ${n(more)} more (--refused <new file.csv> 全部写出 writes all)`
			);
	}
	const s = r.ms / 1000;
	lines.push(`  ${s.toFixed(1)} s` + (s > 0 ? `, ${n(Math.round(r.rows / s))} 行/秒 rows/s` : ''));
	return lines.join('\n');
}
