/**
 * `npm run cases -- <command> <file>`: case history from another system (a 12345 hotline export,
 * CSV in UTF-8 or GB18030, or XLSX) into the configured database (src/lib/server/cases).
 *
 *   npm run cases -- import <file> [options]   map, place and store the cases; re-running the
 *                                              same file updates, never duplicates
 *   npm run cases -- check <file> [options]    the same reading and checks; writes nothing
 *   npm run cases -- mapping [--source 12345]  print the mapping in effect (JSON: a start for
 *                                              a mapping file)
 *
 * Options: --mapping <m.json> (merged over the source's saved mapping, else the default 12345
 * one; saved for the source after an import), --source <name> (default 12345),
 * --encoding <gbk|gb18030|utf-8>, --sheet <name or number>, --refused <new file.csv> (the
 * refused rows with their reasons, to fix and import again; never overwrites), --actor <name>,
 * --chunk <rows per transaction> (default 5000).
 *
 * On the embedded database stop the server first (one process per folder); open pages load the
 * new cases with their next snapshot. Exit codes: 0 done (refused rows are reported, the rest
 * stored), 1 refused or failed, 2 usage.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
	importCases,
	saveMapping,
	savedMapping,
	writeRefusedCsv
} from '../src/lib/server/cases/import';
import {
	DEFAULT_MAPPING,
	MappingError,
	mergeMapping,
	validSourceName,
	type CaseMapping
} from '../src/lib/server/cases/mapping';
import { CaseFileError } from '../src/lib/server/cases/read';
import { formatCaseReport } from '../src/lib/server/cases/report';
import { readConfig } from '../src/lib/server/config';
import { claimDbFolder, FolderInUseError } from '../src/lib/server/dataLock';
import { BackupError } from '../src/lib/server/db/backup';
import { openDatabase } from '../src/lib/server/db/open';

const USAGE = `usage:
  npm run cases -- import <file.csv|file.xlsx> [--mapping m.json] [--source 12345]
                  [--encoding gbk] [--sheet <name>] [--refused <new file.csv>] [--actor <name>]
  npm run cases -- check <file.csv|file.xlsx> [same options]
  npm run cases -- mapping [--source 12345]`;

const OPTIONS = [
	'--mapping',
	'--source',
	'--encoding',
	'--sheet',
	'--refused',
	'--actor',
	'--chunk'
];

function parseArgs(args: string[]): { positional: string[]; opts: Record<string, string> } | null {
	const positional: string[] = [];
	const opts: Record<string, string> = {};
	for (let i = 0; i < args.length; i++) {
		const a = args[i];
		if (a.startsWith('--')) {
			if (!OPTIONS.includes(a) || i + 1 >= args.length) return null;
			opts[a.slice(2)] = args[++i];
		} else positional.push(a);
	}
	return { positional, opts };
}

async function main(): Promise<number> {
	const parsed = parseArgs(process.argv.slice(2));
	const [command, path] = parsed?.positional ?? [];
	if (
		!parsed ||
		!['import', 'check', 'mapping'].includes(command) ||
		(command !== 'mapping' && !path)
	) {
		console.error(USAGE);
		return 2;
	}
	const { opts } = parsed;
	let file: unknown = {};
	if (opts.mapping) {
		try {
			file = JSON.parse(readFileSync(resolve(opts.mapping), 'utf8'));
		} catch (err) {
			console.error(`✗ ${opts.mapping}: ${(err as Error).message}`);
			return 1;
		}
	}
	const source =
		opts.source ??
		(typeof (file as { source?: unknown }).source === 'string'
			? (file as { source: string }).source
			: DEFAULT_MAPPING.source);
	if (!validSourceName(source)) {
		console.error(`✗ --source ${source}: letters, digits, _ . - (at most 40), e.g. 12345`);
		return 2;
	}
	const input = command === 'mapping' ? null : resolve(path);
	if (input && !existsSync(input)) {
		console.error(`✗ ${input}: 找不到该文件 no such file`);
		return 2;
	}
	if (opts.refused && existsSync(resolve(opts.refused))) {
		console.error(`✗ ${opts.refused} already exists: choose a new file name for the refused rows.`);
		return 2;
	}

	const config = readConfig();
	if (!config.databaseUrl) {
		mkdirSync(config.dbDir, { recursive: true });
		try {
			await claimDbFolder(config.dbDir);
		} catch (err) {
			if (!(err instanceof FolderInUseError)) throw err;
			console.error(`✗ ${config.dbDir} is in use by a running server: stop it first.`);
			return 1;
		}
	}
	const db = await openDatabase(config);
	try {
		const base = (await savedMapping(db, source)) ?? { ...DEFAULT_MAPPING, source };
		const mapping: CaseMapping = { ...mergeMapping(base, file), source };
		if (command === 'mapping') {
			console.log(JSON.stringify(mapping, null, '\t'));
			return 0;
		}
		const actor = opts.actor ?? 'cli';
		const chunkRows = opts.chunk ? Number(opts.chunk) : undefined;
		if (chunkRows !== undefined && !(Number.isInteger(chunkRows) && chunkRows > 0)) {
			console.error(`✗ --chunk ${opts.chunk}: a whole number of rows, e.g. 5000`);
			return 2;
		}
		const report = await importCases(db, input!, {
			actor,
			mapping,
			encoding: opts.encoding,
			sheet: opts.sheet,
			dryRun: command === 'check',
			chunkRows,
			onProgress: (p) => {
				const line = `  ${p.rows.toLocaleString('en')} 行 rows · ${p.new} new · ${p.updated} updated · ${p.refused} refused`;
				// One line per chunk (each one committed) when not a terminal: logs show how far it got.
				process.stderr.write(process.stderr.isTTY ? `\r\x1b[K${line}` : `${line}\n`);
			}
		});
		if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
		console.log(formatCaseReport(report) + `\n  → ${db.where}`);
		if (command === 'import' && opts.mapping) {
			await saveMapping(db, mapping, actor);
			console.log(`  映射已保存 mapping saved for source ${source}`);
		}
		if (opts.refused && report.refused) {
			await writeRefusedCsv(resolve(opts.refused), report);
			console.log(`  拒绝的行 refused rows → ${resolve(opts.refused)}`);
		}
		return 0;
	} catch (err) {
		if (err instanceof MappingError || err instanceof CaseFileError || err instanceof BackupError) {
			console.error(`✗ ${err.message}`);
			return 1;
		}
		throw err;
	} finally {
		await db.close();
	}
}

process.exit(await main());
