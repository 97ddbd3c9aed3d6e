/**
 * Starts the built app (`node build`) as a child process with its own port and database folder,
 * for tests that must stop or kill the server themselves. The e2e webServer has built `build/`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export interface ServerProcess {
	url: string;
	proc: ChildProcess;
	output(): string;
	/** Resolves with the exit code or signal once the process is gone. */
	exited: Promise<number | string | null>;
}

export async function startServer(opts: {
	port: number;
	dbDir: string;
	dataDir: string;
	env?: Record<string, string>;
	timeoutMs?: number;
}): Promise<ServerProcess> {
	const root = resolve(import.meta.dirname, '../..');
	const proc = spawn(process.execPath, ['build'], {
		cwd: root,
		env: {
			...process.env,
			PORT: String(opts.port),
			HOST: '127.0.0.1',
			ONEMAP_DB_DIR: opts.dbDir,
			ONEMAP_DATA_DIR: opts.dataDir,
			ONEMAP_SIMULATOR: 'off',
			// As `npm start` sets it: plan saves may exceed adapter-node's default 512K.
			BODY_SIZE_LIMIT: '300M',
			...opts.env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let log = '';
	proc.stdout!.on('data', (d) => (log += d));
	proc.stderr!.on('data', (d) => (log += d));
	const exited = new Promise<number | string | null>((done) =>
		proc.once('exit', (code, signal) => done(signal ?? code))
	);
	const url = `http://127.0.0.1:${opts.port}`;
	const deadline = Date.now() + (opts.timeoutMs ?? 240_000);
	let gone = false;
	void exited.then(() => (gone = true));
	for (;;) {
		if (gone) throw new Error(`the server exited during start-up:\n${log}`);
		try {
			// Up once it answers: signed out, that is a 401 (every route needs a sign-in).
			if ((await fetch(`${url}/api/session`)).ok) break;
		} catch {
			/* not listening yet */
		}
		if (Date.now() > deadline) {
			proc.kill('SIGKILL');
			throw new Error(`the server did not start within ${opts.timeoutMs ?? 240_000} ms:\n${log}`);
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	return { url, proc, output: () => log, exited };
}
