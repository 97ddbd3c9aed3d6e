/**
 * The embedded folder's lock (issue 16, defect 8): held by one live process only, and free
 * again the moment that process dies — a stale pid file naming any live process does not
 * block a start.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderInUseError, claimDbFolder, lockFolder, lockName } from './dataLock';

const dirs: string[] = [];
function folder(): string {
	const d = mkdtempSync(join(tmpdir(), 'onemap-lock-'));
	dirs.push(d);
	return d;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Another process holding the lock of `dir` (listening on its socket name). */
function holder(dir: string, platform: NodeJS.Platform) {
	const name = lockName(dir, platform);
	const child = spawn(
		process.execPath,
		[
			'-e',
			`const n = Buffer.from(process.argv[1], 'hex').toString();
			 require('net').createServer().listen(n, () => console.log('ready'));`,
			Buffer.from(name).toString('hex')
		],
		{ stdio: ['ignore', 'pipe', 'inherit'] }
	);
	const ready = new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
	return { child, ready };
}

describe.each(['linux', 'darwin'] as const)('the folder lock (%s flavour)', (platform) => {
	it.skipIf(platform === 'linux' && process.platform !== 'linux')(
		'one holder at a time; free again when the holder is killed',
		async () => {
			const dir = folder();
			const release = await lockFolder(dir, platform);
			await expect(lockFolder(dir, platform)).rejects.toBeInstanceOf(FolderInUseError);
			await release();
			// Another process takes it, and is SIGKILLed: no clean-up of its own ran.
			const other = holder(dir, platform);
			await other.ready;
			await expect(lockFolder(dir, platform)).rejects.toThrow(/in use by another OneMap process/);
			other.child.kill('SIGKILL');
			await new Promise((r) => other.child.once('exit', r));
			const again = await lockFolder(dir, platform);
			await again();
		}
	);
});

describe('claimDbFolder', () => {
	it('starts although a stale pid file names a live process, and removes that file', async () => {
		const dir = folder();
		// The pid check this replaces refused this: pid 1 (or our parent) is always alive.
		writeFileSync(join(dir, '.onemap.pid'), String(process.ppid));
		const release = await claimDbFolder(dir);
		expect(existsSync(join(dir, '.onemap.pid'))).toBe(false);
		await expect(claimDbFolder(dir)).rejects.toBeInstanceOf(FolderInUseError);
		await release();
	});

	it('names one folder the same however its path is written', () => {
		const dir = folder();
		expect(lockName(`${dir}/.`)).toBe(lockName(dir));
		expect(lockName(folder())).not.toBe(lockName(dir));
	});
});
