/** PostgreSQL + PostGIS through node-postgres, for deployments that set DATABASE_URL. */
import pg from 'pg';
import type { Db, Queryable } from './types';

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
	const pool = new pg.Pool({ connectionString: url, max: poolSize, types: parsers });
	// An idle client that loses its server must not crash the process; the next query reconnects.
	pool.on('error', (err) => console.error('[db] idle PostgreSQL connection failed:', err.message));
	await pool.query('SELECT 1'); // fail at start-up, not on the first request
	const base = wrap(pool);
	return {
		kind: 'postgres',
		where: redactUrl(url),
		query: base.query,
		exec: base.exec,
		async transaction(fn) {
			const client = await pool.connect();
			try {
				await client.query('BEGIN');
				const result = await fn(wrap(client));
				await client.query('COMMIT');
				return result;
			} catch (err) {
				await client.query('ROLLBACK').catch(() => {});
				throw err;
			} finally {
				client.release();
			}
		},
		close: () => pool.end()
	};
}
