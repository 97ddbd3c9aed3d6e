/**
 * The one query interface both databases implement: the embedded PGlite (default) and
 * PostgreSQL through node-postgres (DATABASE_URL). Application code writes plain PostgreSQL +
 * PostGIS SQL with $1-style parameters against `Queryable` and never learns which one it has.
 *
 * Value conventions (both adapters are configured to agree): int8 → number (ids and counters
 * stay far below 2^53), timestamptz → Date, json/jsonb → parsed value, arrays → JS arrays.
 */
export type Row = Record<string, unknown>;

export interface Queryable {
	/** One statement with $1… parameters; returns its rows. */
	query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
	/** Several statements separated by semicolons, no parameters (migrations, DDL). */
	exec(sql: string): Promise<void>;
}

export type DbKind = 'pglite' | 'postgres';

export interface Db extends Queryable {
	readonly kind: DbKind;
	/** Human-readable location (data folder or URL without password), for logs. */
	readonly where: string;
	/**
	 * Runs `fn` inside BEGIN … COMMIT on one connection; any throw rolls back and rethrows.
	 * On PGlite other queries wait until it ends; on PostgreSQL it holds one pooled connection.
	 */
	transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
	close(): Promise<void>;
	/**
	 * The embedded database only: a consistent copy of its data folder, taken while it runs, as a
	 * gzipped tarball (db/backup.ts). PostgreSQL is backed up with its own pg_dump.
	 */
	backup?(): Promise<Blob>;
}
