/**
 * DuckDB-WASM in the browser, from bundles the app serves itself (no CDN): the "eh" build
 * (WebAssembly exceptions, single-threaded — the multithreaded build needs cross-origin
 * isolation and was not faster on 2 cores, see docs/architecture.md).
 */
import * as duckdb from '@duckdb/duckdb-wasm';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import { SETUP_SQL, UPSERT_SQL, type SqlParam, type SqlRunner } from './queries';

export interface BrowserDuckDB extends SqlRunner {
	/** Replaces the `incidents` table with an Arrow IPC stream (transferred to DuckDB's worker). */
	loadIncidents(ipc: Uint8Array): Promise<void>;
	/** Inserts or replaces (by id) the rows of an Arrow IPC stream. */
	upsertIncidents(ipc: Uint8Array): Promise<void>;
	close(): Promise<void>;
}

export async function browserDuckDB(): Promise<BrowserDuckDB> {
	const worker = new Worker(ehWorker);
	const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
	await db.instantiate(ehWasm);
	const conn = await db.connect();
	const statements = new Map<string, Promise<duckdb.AsyncPreparedStatement>>();
	const query = async (sql: string, params: SqlParam[] = []) => {
		if (params.length === 0) return conn.query(sql);
		let stmt = statements.get(sql);
		if (!stmt) statements.set(sql, (stmt = conn.prepare(sql)));
		return (await stmt).query(...params);
	};
	return {
		query,
		async loadIncidents(ipc) {
			await conn.query('DROP TABLE IF EXISTS incidents');
			await conn.insertArrowFromIPCStream(ipc, { name: 'incidents' });
			for (const sql of SETUP_SQL) await conn.query(sql);
		},
		async upsertIncidents(ipc) {
			await conn.query('DROP TABLE IF EXISTS incoming');
			await conn.insertArrowFromIPCStream(ipc, { name: 'incoming' });
			for (const sql of UPSERT_SQL) await conn.query(sql);
		},
		async close() {
			for (const s of statements.values()) await (await s).close();
			await conn.close();
			await db.terminate();
		}
	};
}
