#!/usr/bin/env node
// `npm start`: generate the demo city if it is missing, build the app if the build is missing or
// older than the sources, then serve it on PORT (default 3000).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const dataDir = resolve(root, process.env.ONEMAP_DATA_DIR ?? 'var/data');
const buildEntry = join(root, 'build', 'index.js');

function run(command, args) {
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
	if (result.status !== 0) {
		console.error(`\n✗ ${command} ${args.join(' ')} failed (exit ${result.status}).`);
		process.exit(result.status ?? 1);
	}
}

/** Newest modification time under the given paths (files or folders). */
function newest(paths) {
	let max = 0;
	const visit = (p) => {
		if (!existsSync(p)) return;
		const info = statSync(p);
		if (info.isDirectory()) for (const name of readdirSync(p)) visit(join(p, name));
		else max = Math.max(max, info.mtimeMs);
	};
	paths.forEach((p) => visit(join(root, p)));
	return max;
}

// A city's own pack (ONEMAP_CITY_PACK) needs no demo city; the server loads the pack itself.
if (!process.env.ONEMAP_CITY_PACK && !existsSync(join(dataDir, 'city.json'))) {
	console.log(`• Demo data not found in ${dataDir}: generating it (once)…`);
	const size = process.env.ONEMAP_DEMO_INCIDENTS;
	const extra = size ? ['--incidents', size] : [];
	run(process.execPath, ['--import', 'tsx', 'data/generator/cli.ts', '--out', dataDir, ...extra]);
}

const sources = ['src', 'static', 'package.json', 'svelte.config.js', 'vite.config.ts'];
if (!existsSync(buildEntry) || statSync(buildEntry).mtimeMs < newest(sources)) {
	console.log('• Building the app…');
	run(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build']);
}

process.env.ONEMAP_DATA_DIR = dataDir;
// adapter-node's cap on every request body (its default, 512K, is below the grid-plan routes'
// 5 and 10 MiB, and the city pack upload's 256 MiB); each route enforces its own limit with a
// clear 413.
process.env.BODY_SIZE_LIMIT ??= '300M';
process.env.PORT ??= '3000';
const host = process.env.HOST ?? '0.0.0.0';
process.env.HOST = host;
await import(pathToFileURL(buildEntry).href);
const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
console.log(`\n✓ OneMap is running at http://${shown}:${process.env.PORT}/  (Ctrl+C to stop)`);
