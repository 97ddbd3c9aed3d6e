/**
 * The benchmarks' demo city: generated once per size into var/bench-data-<N> and reused.
 */
import { spawnSync, type StdioOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..');

export function benchDataDir(incidents: number): string {
	return join(root, 'var', `bench-data-${incidents}`);
}

/** Generates the city of `incidents` incidents unless it is there already; returns its folder. */
export function ensureBenchCity(incidents: number, stdio: StdioOptions = 'inherit'): string {
	const dataDir = benchDataDir(incidents);
	if (existsSync(join(dataDir, 'manifest.json'))) return dataDir;
	process.stderr.write(
		`• generating the ${incidents.toLocaleString('en')}-incident city in ${dataDir}\n`
	);
	const args = ['--import', 'tsx', 'data/generator/cli.ts', '--out', dataDir];
	const r = spawnSync(process.execPath, [...args, '--incidents', String(incidents)], {
		cwd: root,
		stdio
	});
	if (r.status !== 0) throw new Error(`the generator failed (exit ${r.status})`);
	return dataDir;
}
