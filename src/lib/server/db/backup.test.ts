/**
 * Backup and restore (issue 16, "operating it"): the embedded database copied while it takes
 * writes, restored into a new folder and opened there with every acknowledged incident; the
 * refusals that protect a user's files; and, against PostgreSQL, a pg_dump -Fc / pg_restore
 * round trip of a city.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCity } from '../city/load';
import { intake } from '../incidents/intake';
import { validateIntake } from '../incidents/validate';
import { TEST_BACKEND } from '../testing/db';
import { fixtureCity } from '../testing/fixtureCity';
import { BackupError, backupFileName, restoreBackup, takeBackup, writeNewFile } from './backup';
import { migrate } from './migrate';
import { openPglite } from './pglite';
import { openPostgres } from './postgres';
import type { Db } from './types';

const work = mkdtempSync(join(tmpdir(), 'onemap-backup-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let spot = 0;
function incidents(n: number) {
	return Array.from({ length: n }, () => {
		const i = spot++;
		return {
			type: 'dispute',
			lon: 117.6015 + (i % 10) * 0.0018,
			lat: 39.0115 + (Math.floor(i / 10) % 5) * 0.0014,
			description: `backup-${i}`
		};
	});
}
const count = async (db: Db) =>
	(await db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM incident'))[0].n;

describe('embedded database', () => {
	let db: Db;
	const folder = join(work, 'db');
	beforeAll(async () => {
		db = await openPglite(folder);
		await migrate(db);
		await db.transaction((tx) => loadCity(tx, fixtureCity()));
	}, 120_000);
	afterAll(() => db?.close());

	it('copies the running database while it takes writes; the copy opens elsewhere with every acknowledged incident', async () => {
		const first = validateIntake(incidents(20));
		await intake(db, first.incidents, first.batch, 'backup test');
		// Writes go on while the copy is taken: each either is in the copy or came after it.
		const during = Array.from({ length: 5 }, () => {
			const more = validateIntake(incidents(4));
			return intake(db, more.incidents, more.batch, 'backup test');
		});
		const [copy] = await Promise.all([takeBackup(db), ...during]);
		const acknowledgedBefore = 20;
		const file = join(work, backupFileName());
		await writeNewFile(file, new Uint8Array(await copy.arrayBuffer()));

		const restored = join(work, 'restored');
		const summary = await restoreBackup(file, restored);
		expect(summary.migrated).toBe(0);
		expect(summary.grids).toBeGreaterThan(0);
		expect(summary.incidents).toBeGreaterThanOrEqual(acknowledgedBefore);
		expect(summary.incidents).toBeLessThanOrEqual(await count(db));

		const reopened = await openPglite(restored);
		try {
			const rows = await reopened.query<{ d: string }>(
				`SELECT description AS d FROM incident WHERE description LIKE 'backup-%' ORDER BY id`
			);
			const described = new Set(rows.map((r) => r.d));
			for (let i = 0; i < acknowledgedBefore; i++) expect(described).toContain(`backup-${i}`);
			// The copy is a database of its own: a write there does not reach the original.
			await reopened.query(`UPDATE incident SET description = 'only in the copy' WHERE id = $1`, [
				(await reopened.query<{ id: number }>('SELECT min(id) AS id FROM incident'))[0].id
			]);
			const original = await db.query(
				`SELECT 1 FROM incident WHERE description = 'only in the copy'`
			);
			expect(original).toHaveLength(0);
		} finally {
			await reopened.close();
		}
	}, 120_000);

	it('never overwrites: an existing file, a non-empty folder, a file that is not a backup', async () => {
		const taken = join(work, 'taken.tar.gz');
		writeFileSync(taken, 'a user file');
		await expect(writeNewFile(taken, new Uint8Array([1, 2, 3]))).rejects.toThrow(BackupError);
		expect(readFileSync(taken, 'utf8')).toBe('a user file');
		expect(readdirSync(work).filter((n) => n.endsWith('.partial'))).toEqual([]);

		const occupied = join(work, 'occupied');
		mkdirSync(occupied);
		writeFileSync(join(occupied, 'notes.txt'), 'keep me');
		const backup = join(work, 'valid.tar.gz');
		await writeNewFile(backup, new Uint8Array(await (await takeBackup(db)).arrayBuffer()));
		await expect(restoreBackup(backup, occupied)).rejects.toThrow(/not empty/);
		expect(readdirSync(occupied)).toEqual(['notes.txt']);

		await expect(restoreBackup(taken, join(work, 'fresh'))).rejects.toThrow(/not a OneMap backup/);
		// A damaged backup: refused, and the folder it was to create is gone again.
		const damaged = join(work, 'damaged.tar.gz');
		writeFileSync(damaged, Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.alloc(100)]));
		const target = join(work, 'from-damaged');
		await expect(restoreBackup(damaged, target)).rejects.toThrow(BackupError);
		expect(readdirSync(work)).not.toContain('from-damaged');
	}, 60_000);

	it('names backups by China time', () => {
		expect(backupFileName(Date.UTC(2026, 11, 3, 18, 30))).toBe(
			'onemap-backup-20261204-0230.tar.gz'
		);
	});
});

const pgTools =
	TEST_BACKEND === 'postgres' &&
	spawnSync('pg_dump', ['--version']).status === 0 &&
	spawnSync('pg_restore', ['--version']).status === 0;

describe.runIf(pgTools)('PostgreSQL: pg_dump -Fc / pg_restore round trip', () => {
	const admin = process.env.DATABASE_URL!;
	const names = [`onemap_dump_src_${process.pid}`, `onemap_dump_dst_${process.pid}`];
	const urlOf = (name: string) => {
		const u = new URL(admin);
		u.pathname = `/${name}`;
		return u.toString();
	};
	async function sql(text: string) {
		const c = new pg.Client({ connectionString: admin });
		await c.connect();
		try {
			await c.query(text);
		} finally {
			await c.end();
		}
	}
	beforeAll(async () => {
		for (const n of names) await sql(`CREATE DATABASE ${n}`);
	});
	afterAll(async () => {
		for (const n of names) await sql(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
	});

	it('restores a city with every incident, and the app finds its schema complete', async () => {
		const source = await openPostgres(urlOf(names[0]), 2);
		let expected: number;
		try {
			await migrate(source);
			await source.transaction((tx) => loadCity(tx, fixtureCity()));
			const more = validateIntake(incidents(30));
			await intake(source, more.incidents, more.batch, 'backup test');
			expected = await count(source);
		} finally {
			await source.close();
		}
		const file = join(work, 'city.dump');
		execFileSync('pg_dump', ['-Fc', '-f', file, urlOf(names[0])]);
		execFileSync('pg_restore', ['--no-owner', '-d', urlOf(names[1]), file]);
		const target = await openPostgres(urlOf(names[1]), 2);
		try {
			expect(await migrate(target)).toEqual([]);
			expect(await count(target)).toBe(expected);
			// Sequences came along: the next intake does not collide with a restored id.
			const next = validateIntake(incidents(1));
			const r = await intake(target, next.incidents, next.batch, 'after restore');
			expect(r.records).toHaveLength(1);
		} finally {
			await target.close();
		}
	}, 120_000);
});
