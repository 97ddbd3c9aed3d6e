/**
 * DuckDB-WASM in Node (the blocking build), for unit tests and scripts: the same engine, SQL and
 * loading path as in the browser, without a browser.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as duckdb from '@duckdb/duckdb-wasm/blocking';
import type { IncidentColumns } from './columns';
import { SETUP_SQL, UPSERT_SQL, type SqlParam, type SqlRunner } from './queries';
import { snapshotIPC } from './snapshot';

export interface NodeDuckDB extends SqlRunner {
	/** Replaces the `incidents` table with these columns, as the browser engine loads them. */
	loadIncidents(columns: IncidentColumns): Promise<void>;
	/** Inserts or replaces (by id) these rows, as the browser engine does with live records. */
	upsertIncidents(columns: IncidentColumns): Promise<void>;
	close(): void;
}

export async function nodeDuckDB(): Promise<NodeDuckDB> {
	const dist = dirname(createRequire(import.meta.url).resolve('@duckdb/duckdb-wasm'));
	const bundle = (name: 'mvp' | 'eh') => ({
		mainModule: join(dist, `duckdb-${name}.wasm`),
		mainWorker: join(dist, `duckdb-node-${name}.worker.cjs`)
	});
	const db = await duckdb.createDuckDB(
		{ mvp: bundle('mvp'), eh: bundle('eh') },
		new duckdb.VoidLogger(),
		duckdb.NODE_RUNTIME
	);
	await db.instantiate(() => {});
	const conn = db.connect();
	const statements = new Map<string, ReturnType<typeof conn.prepare>>();
	const query = async (sql: string, params: SqlParam[] = []) => {
		if (params.length === 0) return conn.query(sql);
		let stmt = statements.get(sql);
		if (!stmt) statements.set(sql, (stmt = conn.prepare(sql)));
		return stmt.query(...params);
	};
	return {
		query,
		async loadIncidents(columns) {
			await query('DROP TABLE IF EXISTS incidents');
			conn.insertArrowFromIPCStream(snapshotIPC(columns), { name: 'incidents' });
			for (const sql of SETUP_SQL) await query(sql);
		},
		async upsertIncidents(columns) {
			await query('DROP TABLE IF EXISTS incoming');
			conn.insertArrowFromIPCStream(snapshotIPC(columns), { name: 'incoming' });
			for (const sql of UPSERT_SQL) await query(sql);
		},
		close() {
			for (const s of statements.values()) s.close();
			statements.clear();
			conn.close();
		}
	};
}
