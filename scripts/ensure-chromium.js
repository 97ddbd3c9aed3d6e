#!/usr/bin/env node
// The e2e tests drive Debian's Chromium (Playwright's own browser download does not work offline).
// Installs it with apt when missing and running as root; otherwise says what to install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Mesa's llvmpipe renders WebGL faster than SwiftShader on machines without a GPU.
const PACKAGES = ['chromium', 'libegl-mesa0', 'libgl1-mesa-dri', 'fonts-dejavu-core'];

if (!existsSync(CHROMIUM)) {
	const root = process.getuid?.() === 0;
	const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
	if (!root || !hasApt) {
		console.error(
			`✗ Chromium not found at ${CHROMIUM}.\n` +
				`  Install it with: sudo apt-get install -y ${PACKAGES.join(' ')}\n` +
				`  or point CHROMIUM_PATH at a Chromium/Chrome binary.`
		);
		process.exit(1);
	}
	console.log(`• Installing ${PACKAGES.join(', ')} with apt-get…`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [
		['update', '-qq'],
		['install', '-y', '-qq', ...PACKAGES]
	]) {
		const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
		if (r.status !== 0) {
			console.error(`✗ apt-get ${args.join(' ')} failed (exit ${r.status}).`);
			process.exit(1);
		}
	}
}
console.log(`✓ Chromium: ${CHROMIUM}`);
