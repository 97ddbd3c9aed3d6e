/**
 * `npm run city -- <command> <pack>`: a city pack (folder or .zip, docs/city-pack.md) from the
 * console.
 *
 *   npm run city -- check <pack>    read and check everything; print every problem and repair;
 *                                   exit 1 when refused; writes nothing
 *   npm run city -- import <pack>   the same checks, then one transaction into the configured
 *                                   database (ONEMAP_DB_DIR or DATABASE_URL); stop the server
 *                                   first on the embedded database (one process per folder)
 *
 * Exit codes: 0 done, 1 refused or failed, 2 usage.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PackProgress } from '../src/lib/domain/cityPack';
import { checkCityPack, importCityPack } from '../src/lib/server/citypack';
import { formatImport, formatReport } from '../src/lib/server/citypack/report';
import { updateSummary } from '../src/lib/server/citypack/update';
import { readConfig } from '../src/lib/server/config';
import { claimDbFolder } from '../src/lib/server/dataLock';
import { openDatabase } from '../src/lib/server/db/open';

const USAGE = `usage:
  npm run city -- check <pack folder or .zip>
  npm run city -- import <pack folder or .zip> [--actor <name>]`;

/** One line per step, redrawn in place on a terminal. */
function progress(): (p: PackProgress) => void {
	let last = '';
	return (p) => {
		const line = `  ${Math.round(p.fraction * 100)
			.toString()
			.padStart(3)}%  ${p.message.zh} · ${p.message.en}`;
		if (line === last) return;
		last = line;
		if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${line}`);
		else process.stderr.write(line + '\n');
	};
}

async function main(): Promise<number> {
	const args = process.argv.slice(2);
	const [command, path] = args;
	const actorAt = args.indexOf('--actor');
	const actor = actorAt >= 0 ? args[actorAt + 1] : 'cli';
	if (!command || !['check', 'import'].includes(command) || !path || !actor) {
		console.error(USAGE);
		return 2;
	}
	const source = resolve(path);
	if (!existsSync(source)) {
		console.error(`✗ ${source}: 找不到该文件夹或压缩包 no such folder or .zip`);
		return 2;
	}
	const onProgress = progress();
	if (command === 'check') {
		const { report } = await checkCityPack(source, { onProgress });
		if (process.stderr.isTTY) process.stderr.write('\n');
		console.log(formatReport(report));
		return report.ok ? 0 : 1;
	}
	const config = readConfig();
	if (!config.databaseUrl) {
		mkdirSync(config.dbDir, { recursive: true });
		// One process per embedded folder; released by the kernel when this command ends.
		await claimDbFolder(config.dbDir);
	}
	const db = await openDatabase(config);
	try {
		const run = await importCityPack(db, source, { actor, onProgress });
		if (process.stderr.isTTY) process.stderr.write('\n');
		console.log(formatReport(run.report));
		if (!run.result) return 1;
		const r = run.result;
		console.log(
			formatImport({ ...r, update: r.update && updateSummary(r.update) }) + `\n  → ${db.where}`
		);
		return 0;
	} catch (err) {
		console.error(`✗ ${(err as Error).message}`);
		return 1;
	} finally {
		await db.close();
	}
}

process.exit(await main());
