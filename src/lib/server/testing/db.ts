/**
 * A fresh, migrated database for one test file. PGlite in memory by default; with DATABASE_URL
 * set, a throwaway database created on that server (and dropped afterwards), so the very same
 * test files run against real PostgreSQL + PostGIS in CI.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { MIGRATIONS, migrate } from '../db/migrate';
import { openPglite } from '../db/pglite';
import { openPostgres } from '../db/postgres';
import type { Db } from '../db/types';

export const TEST_BACKEND: 'pglite' | 'postgres' = process.env.DATABASE_URL ? 'postgres' : 'pglite';

/** `url`: on PostgreSQL, where the throwaway database is (for tests that open own connections). */
export async function openTestDb(): Promise<Db & { url?: string }> {
	const url = process.env.DATABASE_URL;
	if (!url) return openPgliteFromTemplate();
	const name = `onemap_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
	const admin = new pg.Client({ connectionString: url });
	await admin.connect();
	try {
		await admin.query(`CREATE DATABASE ${name}`);
	} finally {
		await admin.end();
	}
	const testUrl = new URL(url);
	testUrl.pathname = '/' + name;
	const db = await openPostgres(testUrl.toString(), 4);
	await migrate(db);
	return {
		...db,
		url: testUrl.toString(),
		async close() {
			await db.close();
			const drop = new pg.Client({ connectionString: url });
			await drop.connect();
			try {
				await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			} finally {
				await drop.end();
			}
		}
	};
}

/**
 * Creating PGlite + PostGIS costs ~9 s, loading a dumped data dir ~2 s: the first test file to
 * need a database dumps a migrated one to the temp folder (named by the migrations' hash, so a
 * schema change makes a new one), and the others start from that.
 */
async function openPgliteFromTemplate(): Promise<Db> {
	const hash = createHash('sha256');
	for (const m of MIGRATIONS) hash.update(m.version).update(m.sql);
	const path = join(tmpdir(), `onemap-pglite-template-${hash.digest('hex').slice(0, 16)}.tar`);
	if (existsSync(path)) {
		const db = await openPglite(null, new Blob([readFileSync(path)]));
		await migrate(db); // a no-op, unless the template is stale
		return db;
	}
	const db = await openPglite(null);
	await migrate(db);
	const blob = await db.dump();
	const tmp = `${path}.${process.pid}`;
	writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
	renameSync(tmp, path); // atomic: a parallel test file never reads half a template
	return db;
}
