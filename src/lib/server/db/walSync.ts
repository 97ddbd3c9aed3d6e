/**
 * Durable commits for the embedded database. PGlite writes its files straight to the data folder
 * (Emscripten NODEFS → fs.writeSync), but PostgreSQL's fsync/fdatasync calls are no-ops in its
 * WASM build (`___syscall_fdatasync` returns 0 without syncing) and `relaxedDurability` only
 * decides whether PGlite awaits `syncToFs`, which NodeFS does not implement. So a commit reaches
 * the kernel's page cache and survives a process kill, not a power cut.
 *
 * This does what PostgreSQL's own commit would: after a statement or transaction returns, every
 * WAL segment written since the last sync is fdatasync'ed (a new segment also syncs pg_wal
 * itself), before the caller — and so the HTTP answer — sees the result. Concurrent callers
 * share one sync (group commit). Data files are not synced here: PostgreSQL recovers them from
 * the WAL; their checkpoint fsyncs stay no-ops (see README, ONEMAP_DB_SYNC).
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

const SEGMENT = /^[0-9A-F]{24}$/;

export class WalSync {
	private synced = new Map<string, bigint>();
	private running: Promise<void> | null = null;
	private queued: Promise<void> | null = null;
	/** fdatasync calls made (tests, the benchmark). */
	syncs = 0;

	constructor(private dataDir: string) {}

	/** Resolves once every WAL write made before this call is on disk. */
	flush(): Promise<void> {
		if (!this.running) {
			this.running = this.run().finally(() => (this.running = null));
			return this.running;
		}
		// A sync in flight may have started before our write: one more after it, shared by all
		// who arrive meanwhile.
		this.queued ??= this.running.then(() => {
			this.queued = null;
			return this.flush();
		});
		return this.queued;
	}

	private async run(): Promise<void> {
		const dir = join(this.dataDir, 'pg_wal');
		const names = (await readdir(dir)).filter((n) => SEGMENT.test(n));
		let created = false;
		// The kernel stamps mtime with a coarse clock (a few ms): a write right after the last
		// sync may leave mtime unchanged. So a segment written in the last seconds is synced
		// again whatever its mtime says (fdatasync of a clean file costs microseconds).
		const recent = BigInt(Date.now() - 2000) * 1_000_000n;
		for (const name of names) {
			const path = join(dir, name);
			try {
				const { mtimeNs } = await stat(path, { bigint: true });
				const last = this.synced.get(name);
				if (last === mtimeNs && mtimeNs < recent) continue;
				if (last === undefined && this.synced.size > 0) created = true;
				const fh = await open(path, 'r+');
				try {
					await fh.datasync();
					this.syncs++;
				} finally {
					await fh.close();
				}
				this.synced.set(name, mtimeNs);
			} catch (err) {
				// A checkpoint removed or recycled the segment after it was listed: nothing of
				// it is still needed, so there is nothing to sync.
				if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
				this.synced.delete(name);
			}
		}
		for (const name of this.synced.keys()) if (!names.includes(name)) this.synced.delete(name);
		if (created) {
			const fh = await open(dir, 'r');
			try {
				await fh.sync();
			} finally {
				await fh.close();
			}
		}
	}
}
