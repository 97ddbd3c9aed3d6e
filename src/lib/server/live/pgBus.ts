/**
 * One live bus across several app servers on one PostgreSQL: PostgreSQL LISTEN/NOTIFY on the
 * channel `onemap_live`, on one dedicated connection per process (not from the pool).
 *
 * What goes over the wire is small — the event's kind and the ids it names (incidents, alerts),
 * or the moment of a patrol report and which units respond — never the rows themselves, so a
 * payload stays far below NOTIFY's 8000-byte limit (a large batch is split into several). Each
 * receiving process reads the rows it needs (or rebuilds the positions from the same tracks) and
 * delivers the event to its own streams. Every payload names the process that sent it, and a
 * process skips its own: it delivered those at once when they were published (LiveBus.publish),
 * so each stream gets each event exactly once. Resuming by `rev` (GET /api/stream?since=) is
 * untouched: it reads the table.
 *
 * The dedicated connection reconnects with backoff when it drops; meanwhile /api/health says so
 * (bus.connected false) and events are sent through the pool. Once it is back, this process ends
 * its streams, so their clients reconnect and catch up by `rev` on what they may have missed —
 * and a revocation sent while it was away cannot leave a stream open.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { LiveEvent, PatrolPosition, VehiclePosition, WallState } from '$lib/domain/live';
import type { Queryable } from '../db/types';
import { ALERT_COLUMNS, type Alert } from '../alerts/alerts';
import { CASE_COLUMNS, type CaseRecord } from '../incidents/records';
import type { BusRelay, CloseTarget, LiveBus } from './bus';
import { wallState } from './wall';

export const LIVE_CHANNEL = 'onemap_live';
/** Bytes per NOTIFY payload at most (PostgreSQL refuses 8000 and more). */
export const MAX_PAYLOAD = 7000;

/** What one NOTIFY carries; `o` is the sending process. */
export type Wire =
	| { o: string; k: 'incidents'; c: 'new' | 'status' | 'replay'; ids: number[] }
	| { o: string; k: 'alerts'; c: 'new' | 'ack'; ids: number[] }
	/** Patrol positions at `t`; `r`: the units shown responding (null: too many to name). */
	| { o: string; k: 'patrols'; t: number; r: string[] | null }
	| { o: string; k: 'vehicles'; t: number }
	| { o: string; k: 'wall' }
	/** A small event sent as it is (plan published, city loaded, reload). */
	| { o: string; k: 'event'; e: LiveEvent }
	| ({ o: string; k: 'close' } & CloseTarget);

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** Ids split into runs whose payloads each fit MAX_PAYLOAD. */
function chunkIds(base: Record<string, unknown>, ids: number[]): string[] {
	const empty = bytes(JSON.stringify({ ...base, ids: [] }));
	const out: string[] = [];
	let run: number[] = [];
	let size = empty;
	for (const id of ids) {
		const add = String(id).length + 1;
		if (run.length && size + add > MAX_PAYLOAD) {
			out.push(JSON.stringify({ ...base, ids: run }));
			run = [];
			size = empty;
		}
		run.push(id);
		size += add;
	}
	if (run.length) out.push(JSON.stringify({ ...base, ids: run }));
	return out;
}

/** The NOTIFY payloads that tell the other processes about `event` (pure; tested). */
export function encodeEvent(origin: string, event: LiveEvent): string[] {
	switch (event.type) {
		case 'incidents':
			return chunkIds(
				{ o: origin, k: 'incidents', c: event.change },
				event.incidents.map((i) => i.id)
			);
		case 'alerts':
			return chunkIds(
				{ o: origin, k: 'alerts', c: event.change },
				event.alerts.map((a) => a.id)
			);
		case 'patrols': {
			const r = event.units.filter((u) => u.status === 'responding').map((u) => u.id);
			const text = JSON.stringify({ o: origin, k: 'patrols', t: event.t, r });
			return [
				bytes(text) <= MAX_PAYLOAD
					? text
					: JSON.stringify({ o: origin, k: 'patrols', t: event.t, r: null })
			];
		}
		case 'vehicles':
			return [JSON.stringify({ o: origin, k: 'vehicles', t: event.t })];
		case 'wall':
			return [JSON.stringify({ o: origin, k: 'wall' })];
		case 'hello':
			return []; // per connection, never on the bus
		default: {
			const text = JSON.stringify({ o: origin, k: 'event', e: event });
			if (bytes(text) <= MAX_PAYLOAD) return [text];
			const e: LiveEvent = { type: 'reload', reason: `a ${event.type} event on another server` };
			return [JSON.stringify({ o: origin, k: 'event', e })];
		}
	}
}

export function encodeClose(origin: string, target: CloseTarget): string {
	return JSON.stringify({ o: origin, k: 'close', ...target });
}

/** A payload from the channel, or null when it is not one of ours. */
export function decodeWire(payload: string | undefined): Wire | null {
	if (!payload) return null;
	try {
		const w = JSON.parse(payload) as Wire;
		return w && typeof w.o === 'string' && typeof w.k === 'string' ? w : null;
	} catch {
		return null;
	}
}

/** Patrol and vehicle positions at a moment, from the same tracks as the simulator's. */
export interface PositionModel {
	/** The units at `at`, those in `responding` shown responding (a report from the leader). */
	patrolsReported(at: number, responding: readonly string[] | null): PatrolPosition[];
	vehicles(at: number): VehiclePosition[];
}

export interface RebuildContext {
	db: Queryable;
	positions: PositionModel | null;
}

/** The event a payload from another process stands for, read from the database; null: none. */
export async function rebuildEvent(wire: Wire, ctx: RebuildContext): Promise<LiveEvent | null> {
	switch (wire.k) {
		case 'incidents': {
			const incidents = await ctx.db.query<CaseRecord>(
				`SELECT ${CASE_COLUMNS} FROM incident i WHERE i.id = ANY($1::int8[]) ORDER BY i.id`,
				[wire.ids]
			);
			return incidents.length ? { type: 'incidents', change: wire.c, incidents } : null;
		}
		case 'alerts': {
			const alerts = await ctx.db.query<Alert>(
				`SELECT ${ALERT_COLUMNS} FROM alert a WHERE a.id = ANY($1::int8[]) ORDER BY a.id`,
				[wire.ids]
			);
			return alerts.length ? { type: 'alerts', change: wire.c, alerts } : null;
		}
		case 'patrols':
			return ctx.positions
				? { type: 'patrols', t: wire.t, units: ctx.positions.patrolsReported(wire.t, wire.r) }
				: null;
		case 'vehicles': {
			const vehicles = ctx.positions?.vehicles(wire.t) ?? [];
			return vehicles.length ? { type: 'vehicles', t: wire.t, vehicles } : null;
		}
		case 'wall': {
			const state: WallState = await wallState(ctx.db);
			return { type: 'wall', ...state };
		}
		case 'event':
			return wire.e;
		default:
			return null;
	}
}

export interface PgBusOptions {
	url: string;
	/** Reads rows for events from other processes; sends while the dedicated connection is down. */
	db: Queryable;
	bus: LiveBus;
	/** The simulator's position model, where one is loaded. */
	positions?: () => PositionModel | null;
	/** After an event from another process was delivered (caches, the simulator's grids). */
	onRemote?: (event: LiveEvent) => void | Promise<void>;
	/** Reconnect delays: doubling from minMs up to maxMs. */
	backoff?: { minMs: number; maxMs: number };
	log?: (message: string) => void;
}

export interface PgBusStatus {
	connected: boolean;
	/** Times the connection was lost and reopened since start-up. */
	reconnects: number;
	/** Epoch ms of the last change of `connected`. */
	since: number;
	/** Why not connected, for an operator (no host names or credentials). */
	problem?: string;
	code?: string;
	/** Payloads that could not be sent (the database away). */
	dropped: number;
}

const MAX_QUEUE = 10_000;
const BATCH = 32;

export class PgBus implements BusRelay {
	/** This process on the channel. */
	readonly origin = randomBytes(6).toString('hex');
	private client: pg.Client | null = null;
	private queue: string[] = [];
	private flushing = false;
	private inbox: Wire[] = [];
	private draining = false;
	/** Changes from other servers were dropped or unreadable: end the streams once drained. */
	private behind = false;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private attempt = 0;
	private everConnected = false;
	private stopped = false;
	private lastLog = 0;
	private state: PgBusStatus = { connected: false, reconnects: 0, since: Date.now(), dropped: 0 };

	constructor(private opts: PgBusOptions) {}

	get applicationName(): string {
		return `onemap-live-${this.origin}`;
	}

	status(): PgBusStatus {
		return { ...this.state };
	}

	/** Opens the connection (a failure is retried in the background, never thrown). */
	async start(): Promise<void> {
		this.opts.bus.connect(this);
		await this.connect();
	}

	publish(event: LiveEvent): void {
		this.send(encodeEvent(this.origin, event));
	}

	close(target: CloseTarget): void {
		this.send([encodeClose(this.origin, target)]);
	}

	/** Waits until everything queued was sent and everything received was delivered. */
	async settled(): Promise<void> {
		while (this.flushing || this.queue.length || this.draining || this.inbox.length)
			await new Promise((r) => setTimeout(r, 5));
	}

	async stop(): Promise<void> {
		this.stopped = true;
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		this.opts.bus.connect(null);
		const client = this.client;
		this.client = null;
		await client?.end().catch(() => {});
		this.inbox = [];
		while (this.draining) await new Promise((r) => setTimeout(r, 5));
	}

	private send(payloads: string[]): void {
		if (this.stopped || payloads.length === 0) return;
		this.queue.push(...payloads);
		if (this.queue.length > MAX_QUEUE) {
			const over = this.queue.length - MAX_QUEUE;
			this.queue.splice(0, over);
			this.state.dropped += over;
		}
		void this.flush();
	}

	/** One round trip per batch, in order: a process's events reach the others as published. */
	private async flush(): Promise<void> {
		if (this.flushing) return;
		this.flushing = true;
		try {
			while (this.queue.length) {
				const batch = this.queue.splice(0, BATCH);
				const sql = 'SELECT ' + batch.map((_, i) => `pg_notify($1, $${i + 2})`).join(', ');
				const params = [LIVE_CHANNEL, ...batch];
				try {
					const client = this.client;
					// The dedicated connection failing under it: once more through the pool.
					if (client) await client.query(sql, params).catch(() => this.opts.db.query(sql, params));
					else await this.opts.db.query(sql, params);
				} catch (err) {
					this.state.dropped += batch.length;
					this.say(
						`live bus: ${batch.length} events not sent to the other servers (${codeOf(err) ?? 'error'})`
					);
				}
			}
		} finally {
			this.flushing = false;
		}
	}

	private received(msg: pg.Notification): void {
		if (msg.channel !== LIVE_CHANNEL) return;
		const wire = decodeWire(msg.payload);
		if (!wire || wire.o === this.origin) return; // our own: delivered when published
		if (this.inbox.length >= MAX_QUEUE) {
			// Too far behind (the database slow to answer): drop, and let the clients catch up.
			this.inbox = [];
			this.behind = true;
		}
		this.inbox.push(wire);
		void this.drain();
	}

	/** Handles what arrived, in order; runs of incident or alert ids are read in one query. */
	private async drain(): Promise<void> {
		if (this.draining) return;
		this.draining = true;
		try {
			while (this.inbox.length) {
				for (const wire of coalesce(this.inbox.splice(0))) {
					try {
						await this.handle(wire);
					} catch (err) {
						// Its rows could not be read: the streams here missed a change; they catch up.
						if (wire.k === 'incidents' || wire.k === 'alerts') this.behind = true;
						this.say(`live bus: an event from another server failed: ${messageOf(err)}`);
					}
				}
			}
			if (this.behind) {
				this.behind = false;
				const n = this.opts.bus.resetStreams();
				this.log(
					`live bus: missed changes of other servers; ${n} streams ended to catch up by rev`
				);
			}
		} finally {
			this.draining = false;
		}
	}

	private async handle(wire: Wire): Promise<void> {
		const { bus } = this.opts;
		if (wire.k === 'close') {
			bus.closeLocal('owner' in wire ? { owner: wire.owner } : { identity: wire.identity });
			return;
		}
		if (wire.k === 'event') {
			bus.deliver(wire.e);
			await this.opts.onRemote?.(wire.e);
			return;
		}
		if (bus.size === 0) return; // nobody here to tell: no rows to read
		const event = await rebuildEvent(wire, {
			db: this.opts.db,
			positions: this.opts.positions?.() ?? null
		});
		if (event) bus.deliver(event);
	}

	private async connect(): Promise<void> {
		if (this.stopped) return;
		const client = new pg.Client({
			connectionString: this.opts.url,
			keepAlive: true,
			connectionTimeoutMillis: 10_000,
			application_name: this.applicationName
		});
		client.on('notification', (msg) => this.received(msg));
		client.on('error', (err) => this.lost(client, err));
		client.on('end', () => this.lost(client, null));
		try {
			await client.connect();
			await client.query(`LISTEN ${LIVE_CHANNEL}`);
		} catch (err) {
			client.end().catch(() => {});
			this.down(err, 'could not connect');
			return;
		}
		if (this.stopped) {
			await client.end().catch(() => {});
			return;
		}
		this.client = client;
		this.attempt = 0;
		this.state = { ...this.state, connected: true, since: Date.now() };
		delete this.state.problem;
		delete this.state.code;
		if (this.everConnected) {
			const n = this.opts.bus.resetStreams();
			this.log(`live bus: reconnected to PostgreSQL; ${n} streams ended to catch up by rev`);
			this.state.reconnects++;
		}
		this.everConnected = true;
	}

	private lost(client: pg.Client, err: Error | null): void {
		if (client !== this.client) return; // an earlier or failed connection
		this.client = null;
		client.end().catch(() => {});
		if (this.stopped) return;
		this.down(err, 'connection lost');
	}

	private down(err: unknown, what: string): void {
		const code = codeOf(err);
		this.state = {
			...this.state,
			connected: false,
			since: this.state.connected ? Date.now() : this.state.since,
			problem: `live bus: ${what} to PostgreSQL (LISTEN/NOTIFY); reconnecting — events from other servers are not received meanwhile`,
			...(code ? { code } : {})
		};
		this.say(`${this.state.problem} (${code ?? messageOf(err)})`);
		this.retry();
	}

	private retry(): void {
		if (this.stopped || this.timer) return;
		const { minMs, maxMs } = this.opts.backoff ?? { minMs: 250, maxMs: 10_000 };
		const delay = Math.min(maxMs, minMs * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
		this.attempt++;
		this.timer = setTimeout(() => {
			this.timer = null;
			void this.connect();
		}, delay);
		this.timer.unref?.();
	}

	private log(message: string): void {
		(this.opts.log ?? ((m) => console.warn(`[onemap] ${m}`)))(message);
	}

	/** Logged at most once per 10 s (a database restart fails everything at once). */
	private say(message: string): void {
		const now = Date.now();
		if (now - this.lastLog < 10_000) return;
		this.lastLog = now;
		this.log(message);
	}
}

/**
 * Consecutive payloads naming incidents (or alerts) with the same change merged into one, so a
 * burst from another server costs one read, not one per payload (pure; tested).
 */
export function coalesce(wires: Wire[]): Wire[] {
	const out: Wire[] = [];
	for (const w of wires) {
		const last = out[out.length - 1];
		if (
			last &&
			(w.k === 'incidents' || w.k === 'alerts') &&
			last.k === w.k &&
			last.c === w.c &&
			last.ids.length + w.ids.length <= 5000
		) {
			out[out.length - 1] = { ...last, ids: [...last.ids, ...w.ids] } as Wire;
		} else out.push(w);
	}
	return out;
}

function codeOf(err: unknown): string | undefined {
	const code = (err as { code?: unknown } | null)?.code;
	return typeof code === 'string' ? code : undefined;
}

function messageOf(err: unknown): string {
	return err instanceof Error ? err.message : String(err ?? 'closed');
}
