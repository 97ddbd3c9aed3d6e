/**
 * The embedded database: PGlite (PostgreSQL compiled to WASM, in this process) with PostGIS,
 * persisted in a data folder. Both packages must stay in `dependencies` so adapter-node leaves
 * them unbundled and they find their .wasm/.data/.tar.gz files (see the team guide).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import type { Db, Queryable, Row } from './types';
import { WalSync } from './walSync';

const PARSERS = {
	[types.INT8]: (v: string) => Number(v),
	[types.NUMERIC]: (v: string) => Number(v)
};

function wrap(q: PGlite | Transaction): Queryable {
	return {
		async query<T>(sql: string, params: readonly unknown[] = []) {
			return (await q.query<T>(sql, params as unknown[])).rows;
		},
		async exec(sql: string) {
			await q.exec(sql);
		}
	};
}

/**
 * PGlite's WASM PostgreSQL has no postmaster lock of its own: a second process on the same
 * folder would corrupt it. A pid file refuses that, and is taken over when its process is gone
 * (e.g. after a crash or SIGKILL).
 */
function takeLock(dir: string): () => void {
	const lock = join(dir, '.onemap.pid');
	try {
		const pid = Number(readFileSync(lock, 'utf8'));
		if (pid && pid !== process.pid && isAlive(pid)) {
			throw new Error(
				`The database folder ${dir} is in use by process ${pid}. Stop it, or set ONEMAP_DB_DIR to another folder.`
			);
		}
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
	}
	writeFileSync(lock, String(process.pid));
	return () => rmSync(lock, { force: true });
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return (err as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * A plain read outside a transaction writes no WAL worth syncing: skipped, so reads cost no
 * syscalls. Anything that might write (or is not plainly a SELECT) is synced.
 */
const READ = /^\s*(SELECT|SHOW|EXPLAIN)\b/i;
const WRITE = /\b(INSERT|UPDATE|DELETE|MERGE|nextval|setval)\b/i;
const readOnly = (sql: string) => READ.test(sql) && !WRITE.test(sql);

/**
 * Opens (creating on first use) the PGlite database in `dir`; `null` → in memory (tests).
 * `from`: start from a dumped data dir (tests: a migrated template opens in ~2 s instead of ~9).
 * `sync` (default on, ONEMAP_DB_SYNC): every statement and transaction returns only once its WAL
 * is on disk (walSync.ts) — PGlite itself never fsyncs.
 */
export async function openPglite(
	dir: string | null,
	from?: Blob,
	opts: { sync?: boolean } = {}
): Promise<Db & { dump(): Promise<Blob>; wal: WalSync | null }> {
	let release = () => {};
	if (dir) {
		mkdirSync(dir, { recursive: true });
		release = takeLock(dir);
	}
	let pg: PGlite;
	try {
		pg = await PGlite.create({
			...(dir ? { dataDir: dir } : {}),
			...(from ? { loadDataDir: from } : {}),
			extensions: { postgis },
			parsers: PARSERS
		});
	} catch (err) {
		release();
		throw err;
	}
	const base = wrap(pg);
	const wal = dir && opts.sync !== false ? new WalSync(dir) : null;
	const durable = async <T>(result: T): Promise<T> => {
		if (wal) await wal.flush();
		return result;
	};
	return {
		kind: 'pglite',
		where: dir ?? 'memory',
		wal,
		query: async <T = Row>(sql: string, params?: readonly unknown[]) => {
			const rows = await base.query<T>(sql, params);
			return readOnly(sql) ? rows : durable(rows);
		},
		exec: async (sql) => durable(await base.exec(sql)),
		transaction: async (fn) => durable(await pg.transaction((tx) => fn(wrap(tx)))),
		async close() {
			if (!pg.closed) await pg.close();
			release();
		},
		dump: () => pg.dumpDataDir('none'),
		async backup() {
			// A checkpoint first, so the copy needs little WAL replay when it is opened; then the
			// data folder as a tarball while no other statement runs (inside a transaction, which
			// PGlite runs exclusively): a consistent copy, like the state after a crash.
			await pg.exec('CHECKPOINT');
			return durable(await pg.transaction(() => pg.dumpDataDir('gzip')));
		}
	};
}
