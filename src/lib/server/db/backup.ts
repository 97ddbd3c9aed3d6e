/**
 * Backup and restore of the embedded database (issue 16, "operating it"). A backup is the PGlite
 * data folder as a gzipped tarball, taken while the server runs (db/pglite.ts `backup`: after a
 * checkpoint, with no other statement running) — `GET /api/admin/backup` or, with the server
 * stopped, `npm run db -- backup <file>`. A restore writes it into a new, empty folder
 * (`npm run db -- restore <file> <folder>`), opens it, brings its schema up to date and counts
 * what is in it; the server then starts on that folder (ONEMAP_DB_DIR). PostgreSQL is backed up
 * with its own `pg_dump -Fc` / `pg_restore` (README, "Backup and restore").
 *
 * Nothing a user put somewhere is overwritten: a backup is only written to a new file, a restore
 * only into an absent or empty folder, and a failed restore removes only what it created.
 */
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { open as openFile, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CST_OFFSET_MS } from '$lib/domain/time';
import { ApiError } from '../http/errors';
import { migrate } from './migrate';
import { openPglite } from './pglite';
import type { Db } from './types';

/** Refusals a person acts on (the CLI prints them; the API answers them as 4xx). */
export class BackupError extends Error {}

/** `onemap-backup-20261203-1830.tar.gz`, in China time. */
export function backupFileName(at: number = Date.now()): string {
	const t = new Date(at + CST_OFFSET_MS).toISOString(); // 2026-12-03T18:30:…
	return `onemap-backup-${t.slice(0, 10).replaceAll('-', '')}-${t.slice(11, 16).replace(':', '')}.tar.gz`;
}

/** A consistent copy of the running embedded database; PostgreSQL → 409 naming pg_dump. */
export async function takeBackup(db: Db): Promise<Blob> {
	if (!db.backup)
		throw new ApiError(
			409,
			'This server runs on PostgreSQL (DATABASE_URL): back it up with pg_dump -Fc and restore with pg_restore (README, "Backup and restore").'
		);
	return db.backup();
}

/** Writes `data` to `path`, which must not exist yet (written beside it first, then linked). */
export async function writeNewFile(path: string, data: Uint8Array): Promise<void> {
	if (existsSync(path))
		throw new BackupError(`${path} already exists: choose a new file name (nothing was written).`);
	const partial = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
	const handle = await openFile(partial, 'wx');
	try {
		await handle.writeFile(data);
		await handle.sync();
	} finally {
		await handle.close();
	}
	try {
		linkSync(partial, path); // fails, rather than replaces, if the name was taken meanwhile
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code === 'EEXIST')
			throw new BackupError(`${path} already exists: choose a new file name.`);
		throw err;
	} finally {
		await unlink(partial).catch(() => {});
	}
}

export interface RestoreSummary {
	folder: string;
	incidents: number;
	grids: number;
	/** Migrations the backup lacked and the restore applied (a backup of an older version). */
	migrated: number;
}

const GZIP = [0x1f, 0x8b];

/** Restores `file` (a backup) into `folder`, which must be absent or empty. */
export async function restoreBackup(file: string, folder: string): Promise<RestoreSummary> {
	if (!existsSync(file)) throw new BackupError(`${file}: no such file.`);
	const bytes = readFileSync(file);
	if (bytes[0] !== GZIP[0] || bytes[1] !== GZIP[1])
		throw new BackupError(
			`${file} is not a OneMap backup (a .tar.gz from "npm run db -- backup" or /admin). A PostgreSQL dump is restored with pg_restore.`
		);
	const existed = existsSync(folder);
	if (existed && readdirSync(folder).length > 0)
		throw new BackupError(
			`${folder} is not empty: restore into a new folder (nothing there was changed), then start the server with ONEMAP_DB_DIR=<that folder>.`
		);
	mkdirSync(folder, { recursive: true });
	let db: Db | null = null;
	try {
		db = await openPglite(folder, new Blob([bytes]));
		const migrated = (await migrate(db)).length;
		const [counts] = await db.query<{ incidents: number; grids: number }>(
			`SELECT (SELECT count(*) FROM incident)::int8 AS incidents,
			        (SELECT count(*) FROM grid)::int8 AS grids`
		);
		return { folder, ...counts, migrated };
	} catch (err) {
		await db?.close().catch(() => {});
		db = null;
		// Only what this restore created goes: the folder's contents (it was empty or absent).
		for (const name of readdirSync(folder)) rmSync(join(folder, name), { recursive: true });
		if (!existed) rmSync(folder, { recursive: true, force: true });
		if (err instanceof BackupError) throw err;
		throw new BackupError(
			`${file} could not be restored (${(err as Error).message}); ${folder} was left as it was.`
		);
	} finally {
		await db?.close();
	}
}
