/**
 * Which app server runs the jobs that must run once — the demo simulator and the plan scheduler —
 * when several share one PostgreSQL: the one holding a session-level advisory lock, taken on a
 * dedicated connection (not from the pool). The others try again every `retryMs`; when the
 * leader dies its connection closes, PostgreSQL releases the lock and the next try of another
 * server takes it. A leader that notices its own connection is gone (an error, or the periodic
 * check failing) stops its jobs at once, before another can take over. The embedded database
 * has one process by construction and does not use this.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** pg_try_advisory_lock(LOCK_CLASS, LOCK_ID): "OM", 1. */
export const LOCK_CLASS = 0x4f4d;
export const LOCK_ID = 1;

export interface LeadershipOptions {
	url: string;
	/** This server now leads: start the jobs. */
	onLead: () => void | Promise<void>;
	/** This server no longer leads (its connection is gone, or it stops): stop the jobs. */
	onLose: () => void | Promise<void>;
	/** How often a standby tries to take the lock, and a leader checks its connection. */
	retryMs?: number;
	log?: (message: string) => void;
}

export class Leadership {
	readonly id = randomBytes(6).toString('hex');
	private client: pg.Client | null = null;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private leading = false;
	private stopped = false;
	private busy: Promise<void> = Promise.resolve();

	constructor(private opts: LeadershipOptions) {}

	get leader(): boolean {
		return this.leading;
	}

	get applicationName(): string {
		return `onemap-leader-${this.id}`;
	}

	/** The first try, awaited (never throws: a failure is tried again later). */
	async start(): Promise<void> {
		await this.run(() => this.tick());
	}

	/** Stops the jobs (when leading) and closes the connection, which releases the lock. */
	async stop(): Promise<void> {
		this.stopped = true;
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		await this.busy;
		await this.run(async () => {
			await this.lose(null);
			const client = this.client;
			this.client = null;
			await client?.end().catch(() => {});
		});
	}

	/** One step at a time: a tick and a lost connection never interleave. */
	private run(step: () => Promise<void>): Promise<void> {
		this.busy = this.busy.then(step).catch((err) => this.log(`leader: ${messageOf(err)}`));
		return this.busy;
	}

	private schedule(): void {
		if (this.stopped || this.timer) return;
		this.timer = setTimeout(() => {
			this.timer = null;
			void this.run(() => this.tick());
		}, this.opts.retryMs ?? 5000);
		this.timer.unref?.();
	}

	private async tick(): Promise<void> {
		if (this.stopped) return;
		try {
			const client = await this.connection();
			if (this.leading) {
				await client.query('SELECT 1'); // still there: the lock is still ours
			} else {
				const [row] = (
					await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [
						LOCK_CLASS,
						LOCK_ID
					])
				).rows;
				if (row?.ok && !this.stopped) {
					this.leading = true;
					this.log('leader: this server runs the simulator and the plan scheduler');
					await this.opts.onLead();
				}
			}
		} catch (err) {
			await this.drop(err);
		}
		this.schedule();
	}

	private async connection(): Promise<pg.Client> {
		if (this.client) return this.client;
		const client = new pg.Client({
			connectionString: this.opts.url,
			keepAlive: true,
			connectionTimeoutMillis: 10_000,
			application_name: this.applicationName
		});
		const gone = (err: unknown) => {
			if (client !== this.client) return;
			void this.run(() => this.drop(err));
		};
		client.on('error', gone);
		client.on('end', () => gone(null));
		try {
			await client.connect();
		} catch (err) {
			client.end().catch(() => {});
			throw err;
		}
		this.client = client;
		return client;
	}

	/** The connection is gone (so is the lock, if it was held): stop leading, reconnect later. */
	private async drop(err: unknown): Promise<void> {
		const client = this.client;
		this.client = null;
		client?.end().catch(() => {});
		await this.lose(err);
		this.schedule();
	}

	private async lose(err: unknown): Promise<void> {
		if (!this.leading) return;
		this.leading = false;
		this.log(
			err === null && this.stopped
				? 'leader: stepping down (shutting down)'
				: `leader: lost the lock's connection (${messageOf(err)}); jobs stopped, another server takes over`
		);
		await this.opts.onLose();
	}

	private log(message: string): void {
		(this.opts.log ?? ((m) => console.log(`[onemap] ${m}`)))(message);
	}
}

function messageOf(err: unknown): string {
	const code = (err as { code?: unknown } | null)?.code;
	if (typeof code === 'string') return code;
	return err instanceof Error ? err.message : 'closed';
}
