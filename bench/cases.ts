/**
 * Case history import throughput (issue 15), run by `npm run bench:server` when
 * BENCH_CASE_IMPORT=<rows> is set (then only this runs): a GB18030 12345 export of that many
 * rows at points of the demo city is imported into a fresh database (the city loaded first), then
 * imported again (every row unchanged). Goal: ≥ 20,000 rows/s on PGlite. Memory: the largest
 * resident set seen while importing (streamed: it should not grow with the file).
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { importCases, type CaseImportReport } from '../src/lib/server/cases/import';
import { ensureCity } from '../src/lib/server/city/seed';
import { openDatabase } from '../src/lib/server/db/open';
import type { Db } from '../src/lib/server/db/types';

const TYPES = ['邻里纠纷', '噪音扰民', '市容环境', '占道经营', '违章停车', '供暖', '消防安全'];
const STATUSES = ['已办结', '已办结', '已办结', '办理中', '待回访'];
const pad = (n: number) => String(n).padStart(2, '0');

/** Writes `rows` cases at (jittered) points of the city's own incidents, in GB18030. */
async function writeExport(db: Db, path: string, rows: number): Promise<void> {
	const pts = await db.query<{ lon: number; lat: number }>(
		'SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM incident ORDER BY id LIMIT 2000'
	);
	const out = createWriteStream(path);
	const write = (line: string) =>
		new Promise<void>((ok) => {
			if (out.write(iconv.encode(line, 'gb18030'))) ok();
			else out.once('drain', () => ok());
		});
	await write('工单编号,诉求类型,来电时间,办结时间,处理状态,诉求内容,地址,经度,纬度\r\n');
	const t0 = Date.UTC(2025, 0, 1) + 8 * 3_600_000;
	let buf = '';
	for (let i = 0; i < rows; i++) {
		const p = pts[i % pts.length];
		const t = new Date(t0 + i * 60_000);
		const day = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
		const status = STATUSES[i % STATUSES.length];
		const closed = status === '已办结' ? `${day} 23:59:00` : '';
		buf +=
			`GD${2025_000_000 + i},${TYPES[i % TYPES.length]},${day} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:00,` +
			`${closed},${status},市民反映第${i}件问题,某某路${i % 500}号,` +
			`${(p.lon + ((i % 7) - 3) * 1e-6).toFixed(6)},${(p.lat + ((i % 5) - 2) * 1e-6).toFixed(6)}\r\n`;
		if (buf.length > 1 << 16) {
			await write(buf);
			buf = '';
		}
	}
	await write(buf);
	await new Promise<void>((ok) => out.end(ok));
}

async function timed(db: Db, path: string) {
	const before = process.memoryUsage().rss;
	let rss = before;
	const timer = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss)), 50);
	let report: CaseImportReport;
	try {
		report = await importCases(db, path, {
			actor: 'bench',
			onProgress: () => (rss = Math.max(rss, process.memoryUsage().rss))
		});
	} finally {
		clearInterval(timer);
	}
	const s = report.ms / 1000;
	return {
		rows: report.rows,
		new: report.new,
		updated: report.updated,
		unchanged: report.unchanged,
		refused: report.refused,
		seconds: Math.round(s * 10) / 10,
		rowsPerSecond: Math.round(report.rows / s),
		/** The process before the import (PGlite's WASM heap included) and its peak during it. */
		rssBeforeMb: Math.round(before / 1e6),
		peakRssMb: Math.round(rss / 1e6)
	};
}

/** Import, then import the same file again, into `config`'s database (the city loaded first). */
export async function caseImportBench(
	config: { databaseUrl: string | null; dbDir: string },
	dataDir: string,
	rows: number
) {
	const db = await openDatabase(config);
	const tmp = mkdtempSync(join(tmpdir(), 'onemap-bench-cases-'));
	try {
		await ensureCity(db, { dataDir, cityPack: null });
		const file = join(tmp, '12345.csv');
		await writeExport(db, file, rows);
		const first = await timed(db, file);
		const again = await timed(db, file);
		return { first, again, goal: '≥ 20,000 rows/s on PGlite' };
	} finally {
		await db.close();
		rmSync(tmp, { recursive: true, force: true });
	}
}
