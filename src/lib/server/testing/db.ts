/**
 * A fresh, migrated database for one test file. PGlite in memory by default; with DATABASE_URL
 * set, a throwaway database created on that server (and dropped afterwards), so the very same
 * test files run against real PostgreSQL + PostGIS in CI.
 */
import pg from 'pg';
import { migrate } from '../db/migrate';
import { openPglite } from '../db/pglite';
import { openPostgres } from '../db/postgres';
import type { Db } from '../db/types';

export const TEST_BACKEND: 'pglite' | 'postgres' = process.env.DATABASE_URL ? 'postgres' : 'pglite';

export async function openTestDb(): Promise<Db> {
	const url = process.env.DATABASE_URL;
	if (!url) {
		const db = await openPglite(null);
		await migrate(db);
		return db;
	}
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
