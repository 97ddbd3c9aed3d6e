/** Opens the configured database and brings its schema up to date. */
import type { ServerConfig } from '../config';
import { migrate } from './migrate';
import { openPglite } from './pglite';
import { openPostgres } from './postgres';
import type { Db } from './types';

export async function openDatabase(
	config: Pick<ServerConfig, 'databaseUrl' | 'dbDir'> & Partial<Pick<ServerConfig, 'dbSync'>>
): Promise<Db> {
	const db = config.databaseUrl
		? await openPostgres(config.databaseUrl)
		: await openPglite(config.dbDir, undefined, { sync: config.dbSync !== false });
	try {
		await migrate(db);
	} catch (err) {
		await db.close();
		throw err;
	}
	return db;
}
