/**
 * The embedded database's commits reach the disk (issue 16 #7): PGlite never fsyncs (its WASM
 * fdatasync is a no-op), so the adapter fdatasyncs the WAL before a write is acknowledged.
 * ONEMAP_MEASURE_SYNC=1 also measures acknowledged intakes per second with and without.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfig } from '../config';
import { loadCity } from '../city/load';
import { intakeIncidents } from '../incidents/intake';
import { validateIntake } from '../incidents/validate';
import { fixtureCity } from '../testing/fixtureCity';
import { migrate } from './migrate';
import { openPglite } from './pglite';

const dir = mkdtempSync(join(tmpdir(), 'onemap-walsync-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('durable commits on the embedded database', () => {
	it('is on by default; ONEMAP_DB_SYNC=off turns it off', () => {
		expect(readConfig({}).dbSync).toBe(true);
		expect(readConfig({ ONEMAP_DB_SYNC: 'commit' }).dbSync).toBe(true);
		expect(readConfig({ ONEMAP_DB_SYNC: 'off' }).dbSync).toBe(false);
	});

	it('fdatasyncs the WAL before a statement or transaction returns', async () => {
		const db = await openPglite(join(dir, 'a'));
		try {
			expect(db.wal).not.toBeNull();
			await db.exec('CREATE TABLE t (n int)');
			for (let i = 0; i < 3; i++) {
				const before = db.wal!.syncs;
				// Back to back: the second write lands within the kernel's mtime granularity.
				await db.transaction((tx) => tx.query('INSERT INTO t VALUES ($1)', [i]));
				expect(db.wal!.syncs).toBeGreaterThan(before);
			}
			const before = db.wal!.syncs;
			await db.query('INSERT INTO t VALUES (9)');
			expect(db.wal!.syncs).toBeGreaterThan(before);
			// A plain read costs no sync.
			const read = db.wal!.syncs;
			await db.query('SELECT count(*) FROM t');
			expect(db.wal!.syncs).toBe(read);
			// Concurrent commits share syncs (group commit), and all are covered.
			await Promise.all(
				Array.from({ length: 20 }, (_, i) => db.query('INSERT INTO t VALUES ($1)', [i]))
			);
			expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM t'))[0].n).toBe(24);
		} finally {
			await db.close();
		}
	}, 120_000);

	it.runIf(process.env.ONEMAP_MEASURE_SYNC)(
		'measures acknowledged intakes per second, with and without',
		async () => {
			const path = join(dir, 'bench');
			for (const sync of [false, true, false, true]) {
				const db = await openPglite(path, undefined, { sync });
				await migrate(db);
				if (!(await db.query('SELECT 1 FROM grid LIMIT 1')).length)
					await db.transaction((tx) => loadCity(tx, fixtureCity()));
				const one = async () => {
					const { incidents, batch } = validateIntake({
						type: 'dispute',
						lon: 117.61,
						lat: 39.005
					});
					await intakeIncidents(db, incidents, batch, 'bench');
				};
				const n = 200;
				let t0 = performance.now();
				for (let i = 0; i < n; i++) await one();
				const serial = (n / (performance.now() - t0)) * 1000;
				t0 = performance.now();
				await Promise.all(
					Array.from({ length: 8 }, async () => {
						for (let i = 0; i < n / 8; i++) await one();
					})
				);
				const parallel = (n / (performance.now() - t0)) * 1000;
				t0 = performance.now();
				for (let i = 0; i < 2000; i++) await db.query('SELECT count(*) FROM grid');
				const reads = (2000 / (performance.now() - t0)) * 1000;
				console.log(
					`ONEMAP_DB_SYNC=${sync ? 'commit' : 'off'}: ${serial.toFixed(0)} intakes/s one at a time, ${parallel.toFixed(0)} intakes/s from 8 clients, ${reads.toFixed(0)} reads/s`
				);
				await db.close();
			}
		},
		600_000
	);
});
