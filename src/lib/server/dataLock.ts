/**
 * One process per embedded data folder, with a lock the kernel releases when the process dies.
 *
 * PGlite has no postmaster lock of its own, and a pid file cannot tell a live server from a
 * stale file naming any other live process (or an unreaped, killed server). Node has no flock()
 * and no package for one is installed, so the lock is a listening Unix socket named after the
 * folder (its device and inode, so symlinks and other spellings of the path name the same
 * folder): only one process can listen on a name, and the kernel closes the socket — freeing
 * the name — the moment the process exits, however it exits (SIGKILL, a crash, a zombie not yet
 * reaped). On Linux the socket is in the abstract namespace (no file is left behind; it is per
 * network namespace, so containers sharing one volume must also share the network namespace or
 * run one server). Elsewhere it is a socket file in the temp folder; a file left by a dead
 * process refuses connections and is replaced.
 */
import { createHash } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class FolderInUseError extends Error {
	constructor(dir: string) {
		super(
			`The database folder ${dir} is in use by another OneMap process. Stop it, or set ONEMAP_DB_DIR to another folder.`
		);
	}
}

/** The socket name of a folder (same folder → same name, however the path is written). */
export function lockName(dir: string, platform = process.platform): string {
	const st = statSync(dir);
	const key = createHash('sha256').update(`${st.dev}:${st.ino}`).digest('hex').slice(0, 32);
	return platform === 'linux' ? `\0onemap-db-${key}` : join(tmpdir(), `onemap-db-${key}.sock`);
}

function listen(name: string): Promise<Server> {
	return new Promise((resolve, reject) => {
		const server = createServer((socket) => socket.destroy());
		server.once('error', reject);
		server.listen(name, () => {
			server.off('error', reject);
			// The lock must not keep the process alive by itself.
			server.unref();
			resolve(server);
		});
	});
}

/** Whether a process listens on a socket file (false: a file left by a dead process). */
function answers(path: string): Promise<boolean> {
	return new Promise((resolve) => {
		const s = connect(path);
		s.once('connect', () => {
			s.destroy();
			resolve(true);
		});
		s.once('error', () => resolve(false));
	});
}

/**
 * Takes the folder's lock, or throws FolderInUseError while another live process holds it.
 * Returns the release (also done by the kernel when this process ends).
 */
export async function lockFolder(
	dir: string,
	platform = process.platform
): Promise<() => Promise<void>> {
	const name = lockName(dir, platform);
	let server: Server;
	try {
		server = await listen(name);
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
		if (name.startsWith('\0') || (await answers(name))) throw new FolderInUseError(dir);
		rmSync(name, { force: true });
		try {
			server = await listen(name);
		} catch (again) {
			if ((again as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new FolderInUseError(dir);
			throw again;
		}
	}
	return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * Claims an embedded database folder before it is opened: the kernel-released lock above, and
 * then any pid file an earlier version (or a killed process) left is known to be stale — the
 * lock proves no other OneMap process has the folder — so it is removed, and db/pglite.ts's own
 * pid check cannot refuse the start because of it.
 */
export async function claimDbFolder(dir: string): Promise<() => Promise<void>> {
	const release = await lockFolder(dir);
	rmSync(join(dir, '.onemap.pid'), { force: true });
	return release;
}
