/**
 * Schema migrations: plain SQL files in ./migrations, named NNN_what.sql, applied in name order,
 * each once, each in its own transaction, recorded in schema_migrations. They are bundled into
 * the server build (import.meta.glob), so a deployment cannot run code and schema out of step.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Db } from './types';

/** The migration files: bundled by Vite; read from disk when run without it (tsx scripts). */
function migrationFiles(): Record<string, string> {
	try {
		return import.meta.glob('./migrations/*.sql', {
			query: '?raw',
			import: 'default',
			eager: true
		}) as Record<string, string>;
	} catch {
		// `npm run city|db|cases` run under tsx, which has no import.meta.glob.
		const dir = new URL('./migrations/', import.meta.url);
		return Object.fromEntries(
			readdirSync(dir)
				.filter((f) => f.endsWith('.sql'))
				.map((f) => [`./migrations/${f}`, readFileSync(new URL(f, dir), 'utf8')])
		);
	}
}

const FILES = migrationFiles();

export interface Migration {
	version: string;
	sql: string;
}

export const MIGRATIONS: Migration[] = Object.entries(FILES)
	.map(([path, sql]) => ({ version: path.slice(path.lastIndexOf('/') + 1, -4), sql }))
	.sort((a, b) => a.version.localeCompare(b.version));

/** Any constant: several servers starting at once on one PostgreSQL take turns. */
const MIGRATION_LOCK = 4_206_117;

/** Applies the migrations not yet applied; returns the versions it applied. */
export async function migrate(db: Db, migrations: Migration[] = MIGRATIONS): Promise<string[]> {
	const applied: string[] = [];
	for (const m of migrations) {
		const done = await db.transaction(async (tx) => {
			await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
			await tx.exec(
				'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())'
			);
			const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [
				m.version
			]);
			if (seen.length > 0) return false;
			await tx.exec(m.sql);
			await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [m.version]);
			return true;
		});
		if (done) applied.push(m.version);
	}
	return applied;
}
