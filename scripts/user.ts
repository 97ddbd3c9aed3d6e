/**
 * `npm run user -- <command>`: accounts from the console, with the server stopped (the embedded
 * database allows one process per folder; on PostgreSQL it may run). Uses the same
 * ONEMAP_DB_DIR / DATABASE_URL as the server, which must have started once (schema and demo
 * accounts).
 *
 *   npm run user -- list
 *   npm run user -- set-password <username> [password]   (prompts when the password is left out)
 */
import { mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { readConfig } from '../src/lib/server/config';
import { claimDbFolder } from '../src/lib/server/dataLock';
import { openPglite } from '../src/lib/server/db/pglite';
import { openPostgres } from '../src/lib/server/db/postgres';
import type { Db } from '../src/lib/server/db/types';
import { ApiError } from '../src/lib/server/http/errors';
import { accountsWithDemoPasswords, listUsers, setPassword } from '../src/lib/server/auth/users';

const USAGE = `usage:
  npm run user -- list
  npm run user -- set-password <username> [password]`;

async function ask(question: string): Promise<string> {
	const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
	try {
		return await rl.question(question);
	} finally {
		rl.close();
	}
}

async function main(): Promise<number> {
	const [command, username, given] = process.argv.slice(2);
	if (!command || !['list', 'set-password'].includes(command)) {
		console.error(USAGE);
		return 2;
	}
	const config = readConfig();
	let db: Db;
	try {
		if (!config.databaseUrl) {
			mkdirSync(config.dbDir, { recursive: true });
			// Released by the kernel when this command ends (dataLock.ts).
			await claimDbFolder(config.dbDir);
		}
		db = config.databaseUrl
			? await openPostgres(config.databaseUrl, 1)
			: await openPglite(config.dbDir);
	} catch (err) {
		console.error(
			`Cannot open the database (${config.databaseUrl ? 'DATABASE_URL' : config.dbDir}): ${(err as Error).message}\nIs the server still running on it? Stop it first.`
		);
		return 1;
	}
	try {
		const [{ ok }] = await db.query<{ ok: boolean }>(
			`SELECT to_regclass('app_user') IS NOT NULL AS ok`
		);
		if (!ok) {
			console.error(
				'This database has no accounts yet: start the server once (npm start), then stop it.'
			);
			return 1;
		}
		if (command === 'list') {
			const demo = new Set(await accountsWithDemoPasswords(db));
			for (const u of await listUsers(db))
				console.log(
					`${u.username.padEnd(16)} ${u.role.padEnd(8)} ${u.disabled ? 'disabled' : 'active  '} ${u.displayName}${demo.has(u.username) ? '  ← still the demo password' : ''}`
				);
			return 0;
		}
		if (!username) {
			console.error(USAGE);
			return 2;
		}
		const password =
			given ?? (await ask(`New password for ${username} (at least 10 characters): `));
		await setPassword(db, username, password);
		console.log(`✓ ${username}: password changed (their sessions were ended).`);
		return 0;
	} catch (err) {
		if (err instanceof ApiError) {
			console.error(`✗ ${err.message}`);
			return 1;
		}
		throw err;
	} finally {
		await db.close();
	}
}

process.exit(await main());
