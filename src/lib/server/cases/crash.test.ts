/**
 * A crash mid-import leaves whole chunks only, and running the same file again finishes the job:
 * `npm run cases -- import` is killed (SIGKILL, no shutdown code runs) after its first committed
 * chunks, on an embedded database folder. (PGlite only: the folder is the database.)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCity } from '../city/load';
import { openDatabase } from '../db/open';
import { openPglite } from '../db/pglite';
import type { Db } from '../db/types';
import { openTestDb, TEST_BACKEND } from '../testing/db';
import { fixtureCity } from '../testing/fixtureCity';
import { importCases } from './import';

const root = resolve(import.meta.dirname, '../../../..');
const dir = mkdtempSync(join(tmpdir(), 'onemap-cases-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CHUNK_ROWS = 500;
const ROWS = 12 * CHUNK_ROWS;

describe.skipIf(TEST_BACKEND === 'postgres')('case import crash (pglite folder)', () => {
	it('SIGKILL mid-import keeps whole chunks; the same file again completes it', async () => {
		const dbDir = join(dir, 'db');
		// The migrated template (testing/db.ts) with the fixture city, written into a folder.
		const seed = (await openTestDb()) as Db & { dump(): Promise<Blob> };
		await seed.transaction((tx) => loadCity(tx, fixtureCity()));
		const dump = await seed.dump();
		await seed.close();
		let db: Db = await openPglite(dbDir, dump);
		await db.close();

		let csv = '工单编号,诉求类型,来电时间,处理状态,经度,纬度\n';
		for (let i = 0; i < ROWS; i++)
			csv += `K${i},邻里纠纷,2026-01-05 10:00:00,已受理,${117.601 + (i % 97) * 0.0001},${39.001 + (i % 89) * 0.0001}\n`;
		const file = join(dir, 'big.csv');
		writeFileSync(file, csv);

		const child = spawn(
			process.execPath,
			['--import', 'tsx', 'scripts/cases.ts', 'import', file, '--chunk', String(CHUNK_ROWS)],
			{
				cwd: root,
				env: { ...process.env, ONEMAP_DB_DIR: dbDir, DATABASE_URL: '' },
				stdio: ['ignore', 'pipe', 'pipe']
			}
		);
		let log = '';
		const exited = new Promise<string | number | null>((ok) =>
			child.on('exit', (code, signal) => ok(signal ?? code))
		);
		await new Promise<void>((ok) => {
			child.stderr.on('data', (d: Buffer) => {
				log += d.toString();
				// Two chunks committed: kill it while it writes the next ones.
				if ((log.match(/ new /g) ?? []).length >= 2) ok();
			});
			void exited.then(() => ok());
		});
		child.kill('SIGKILL');
		expect(await exited, log).toBe('SIGKILL');

		db = await openDatabase({ databaseUrl: null, dbDir, dbSync: true });
		try {
			const [{ n }] = await db.query<{ n: number }>(
				`SELECT count(*)::int AS n FROM incident WHERE import_source = '12345'`
			);
			expect(n).toBeGreaterThanOrEqual(2 * CHUNK_ROWS);
			expect(n).toBeLessThan(ROWS);
			expect(n % CHUNK_ROWS).toBe(0); // whole chunks only
			const again = await importCases(db, file, { actor: 'test' });
			expect(again).toMatchObject({ rows: ROWS, new: ROWS - n, unchanged: n, refused: 0 });
		} finally {
			await db.close();
		}
	}, 240_000);
});
