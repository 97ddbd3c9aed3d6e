/**
 * `npm run db -- <command>`: backup and restore of the embedded database (src/lib/server/db/backup.ts).
 *
 *   npm run db -- backup <new file.tar.gz>       a copy of ONEMAP_DB_DIR (the server stopped;
 *                                                while it runs, use /admin → 备份 or
 *                                                GET /api/admin/backup)
 *   npm run db -- restore <backup> <new folder>   the backup into an absent or empty folder,
 *                                                opened, migrated and counted; then start the
 *                                                server with ONEMAP_DB_DIR=<folder>
 *
 * PostgreSQL (DATABASE_URL) is backed up with pg_dump -Fc and restored with pg_restore.
 * Exit codes: 0 done, 1 refused or failed, 2 usage.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { readConfig } from '../src/lib/server/config';
import { claimDbFolder, FolderInUseError } from '../src/lib/server/dataLock';
import { BackupError, restoreBackup, takeBackup, writeNewFile } from '../src/lib/server/db/backup';
import { openDatabase } from '../src/lib/server/db/open';

const USAGE = `usage:
  npm run db -- backup <new file.tar.gz>
  npm run db -- restore <backup.tar.gz> <new folder>`;

async function backup(file: string): Promise<number> {
	const config = readConfig();
	if (config.databaseUrl) {
		console.error(
			'✗ DATABASE_URL is set: back PostgreSQL up with pg_dump -Fc (README, "Backup and restore").'
		);
		return 1;
	}
	mkdirSync(config.dbDir, { recursive: true });
	try {
		await claimDbFolder(config.dbDir);
	} catch (err) {
		if (!(err instanceof FolderInUseError)) throw err;
		console.error(
			`✗ ${config.dbDir} is in use by a running server: download the backup from /admin (备份) or GET /api/admin/backup.`
		);
		return 1;
	}
	const db = await openDatabase(config);
	try {
		const copy = await takeBackup(db);
		await writeNewFile(file, new Uint8Array(await copy.arrayBuffer()));
		console.log(`✓ ${config.dbDir} → ${file} (${(copy.size / 1e6).toFixed(1)} MB)`);
		return 0;
	} finally {
		await db.close();
	}
}

async function restore(file: string, folder: string): Promise<number> {
	const r = await restoreBackup(file, folder);
	console.log(
		`✓ ${file} → ${r.folder}: ${r.incidents.toLocaleString('en')} incidents, ${r.grids} grids` +
			(r.migrated ? `, ${r.migrated} migrations applied` : '') +
			`\n  start the server on it with ONEMAP_DB_DIR=${r.folder}`
	);
	return 0;
}

async function main(): Promise<number> {
	const [command, a, b] = process.argv.slice(2);
	try {
		if (command === 'backup' && a) return await backup(resolve(a));
		if (command === 'restore' && a && b) return await restore(resolve(a), resolve(b));
	} catch (err) {
		if (err instanceof BackupError) {
			console.error(`✗ ${err.message}`);
			return 1;
		}
		throw err;
	}
	console.error(USAGE);
	return 2;
}

process.exit(await main());
