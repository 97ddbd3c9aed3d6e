/** PostgreSQL + PostGIS through node-postgres, for deployments that set DATABASE_URL. */
import pg from 'pg';
import type { Db, Queryable } from './types';
import { isDatabaseUnavailable } from './unavailable';

const INT8 = 20;
const INT8_ARRAY = 1016;
const NUMERIC = 1700;
const FLOAT8_ARRAY = 1022;

/** pg-types is typed for its built-in ids only; array ids are valid too. */
const getParser = pg.types.getTypeParser as (oid: number, format?: 'text' | 'binary') => unknown;

/** Same value conventions as the PGlite adapter: int8 and numeric as numbers. */
const parsers = {
	getTypeParser(oid: number, format?: 'text' | 'binary') {
		if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v);
		// int8[] parsed as float8[] is: an array of numbers.
		if (oid === INT8_ARRAY) return getParser(FLOAT8_ARRAY);
		return getParser(oid, format);
	}
} as pg.CustomTypesConfig;

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
	return {
		async query<T>(sql: string, params: readonly unknown[] = []) {
			const result = await client.query(sql, params as unknown[]);
			return result.rows as T[];
		},
		async exec(sql: string) {
			await client.query(sql);
		}
	};
}

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
	try {
		const u = new URL(url);
		if (u.password) u.password = '***';
		return u.toString();
	} catch {
		return 'postgres://…';
	}
}

export async function openPostgres(url: string, poolSize = 10): Promise<Db> {
	const pool = new pg.Pool({
		connectionString: url,
		max: poolSize,
		types: parsers,
		// A server that does not answer (a failover in progress, a dropped route) fails a request
		// with a 503 after this long instead of holding it; refused connections fail at once.
		connectionTimeoutMillis: 10_000,
		keepAlive: true
	});
	// A connection that loses its server (restart, failover, `pg_ctl -m immediate`) emits
	// 'error'; without a listener that is an uncaught exception and the process exits. The pool
	// listens on idle clients only, so every client gets its own listener for its whole life —
	// also while checked out for a transaction. The query in flight rejects by itself (→ 503 in
	// http/errors.ts); the broken client is dropped on release and the pool opens a new one.
	pool.on('connect', (client) => {
		client.on('error', (err) => logConnectionError(err));
	});
	pool.on('error', (err) => logConnectionError(err));
	await pool.query('SELECT 1'); // fail at start-up, not on the first request
	const base = wrap(pool);
	return {
		kind: 'postgres',
		where: redactUrl(url),
		query: base.query,
		exec: base.exec,
		async transaction(fn) {
			const client = await pool.connect();
			let broken: Error | undefined;
			try {
				await client.query('BEGIN');
				const result = await fn(wrap(client));
				await client.query('COMMIT');
				return result;
			} catch (err) {
				if (isDatabaseUnavailable(err)) broken = err as Error;
				else await client.query('ROLLBACK').catch((e) => (broken = e));
				throw err;
			} finally {
				// With an error, the pool closes the client instead of handing it out again.
				client.release(broken);
			}
		},
		close: () => pool.end()
	};
}

let lastLogged = 0;
/** A lost connection, said once per 10 s (a restart under load drops every connection at once). */
function logConnectionError(err: Error): void {
	const now = Date.now();
	if (now - lastLogged < 10_000) return;
	lastLogged = now;
	console.error(`[db] PostgreSQL connection lost: ${err.message} (the pool reconnects on demand)`);
}
