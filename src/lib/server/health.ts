/**
 * GET /api/health for load balancers and operators: liveness (the process answers) and readiness
 * (the database answers, every bundled migration is applied, the live bus takes streams). Small,
 * public JSON: counts and states only — no names, no addresses, no incident data.
 */
import type { App } from './app';
import { MIGRATIONS } from './db/migrate';
import { isDatabaseUnavailable } from './db/unavailable';
import { admissionDepths } from './http/admission';

/** A database that takes longer than this to answer `SELECT` counts as unreachable. */
export const PROBE_TIMEOUT_MS = 3000;

export interface Health {
	/** ready: serve traffic; starting: still opening; unavailable: see the parts below. */
	status: 'ready' | 'starting' | 'unavailable';
	/** The process is up and answering (liveness): always true in an answer. */
	live: true;
	database?: {
		kind: 'pglite' | 'postgres';
		reachable: boolean;
		/** Round trip of the probe, in ms. */
		ms?: number;
		/** Why not, in words an operator can act on (no host names or credentials). */
		problem?: string;
		/** The error code (ECONNREFUSED, 57P03, …), when there is one. */
		code?: string;
	};
	migrations?: { expected: number; applied: number; pending: string[] };
	/**
	 * The live bus: `in-process` (embedded database), or `postgres` (LISTEN/NOTIFY across app
	 * servers, live/pgBus.ts) with whether its connection is up, how often it was lost, and why not.
	 */
	bus?: {
		kind: 'in-process' | 'postgres';
		open: boolean;
		streams: number;
		connected?: boolean;
		reconnects?: number;
		problem?: string;
		code?: string;
	};
	/**
	 * The jobs that run on one server only (simulator, plan scheduler): `leader` true where they
	 * run here (always, on the embedded database), false on a standby (live/leader.ts).
	 */
	jobs?: { leader: boolean; simulator: 'running' | 'standby' | 'off' };
	/** Each write route's admission queue: writes running and waiting (http/admission.ts). */
	writes?: Record<string, { active: number; queued: number }>;
}

function timeout(ms: number): Promise<never> {
	return new Promise((_, reject) => {
		const t = setTimeout(
			() => reject(Object.assign(new Error('no answer'), { code: 'ETIMEDOUT' })),
			ms
		);
		t.unref?.();
	});
}

function problemOf(err: unknown): { problem: string; code?: string } {
	const code = (err as { code?: unknown })?.code;
	const c = typeof code === 'string' ? code : undefined;
	if (c === 'ETIMEDOUT')
		return { problem: `database unreachable: no answer within ${PROBE_TIMEOUT_MS} ms`, code: c };
	if (c === '57P03')
		return { problem: 'database unreachable: it is starting up or recovering', code: c };
	if (isDatabaseUnavailable(err))
		return {
			problem: 'database unreachable: the connection was refused or lost (restart, failover?)',
			code: c
		};
	return { problem: 'database error: the probe query failed (see the server log)', code: c };
}

function busHealth(app: App): NonNullable<Health['bus']> {
	const local = { open: app.bus.open, streams: app.bus.size };
	if (!app.pgBus) return { kind: 'in-process', ...local };
	const { connected, reconnects, problem, code } = app.pgBus.status();
	return { kind: 'postgres', ...local, connected, reconnects, problem, code };
}

function jobsHealth(app: App): NonNullable<Health['jobs']> {
	const leader = app.leadership ? app.leadership.leader : true;
	const simulator = !app.simulator ? 'off' : app.simulator.active ? 'running' : 'standby';
	return { leader, simulator };
}

export async function checkHealth(app: App | null): Promise<Health> {
	if (!app) return { status: 'starting', live: true };
	const health: Health = {
		status: 'ready',
		live: true,
		database: { kind: app.db.kind, reachable: false },
		bus: busHealth(app),
		jobs: jobsHealth(app),
		writes: admissionDepths()
	};
	const t0 = performance.now();
	try {
		const rows = await Promise.race([
			app.db.query<{ version: string }>('SELECT version FROM schema_migrations'),
			timeout(PROBE_TIMEOUT_MS)
		]);
		health.database = {
			kind: app.db.kind,
			reachable: true,
			ms: Math.round(performance.now() - t0)
		};
		const applied = new Set(rows.map((r) => r.version));
		const pending = MIGRATIONS.map((m) => m.version).filter((v) => !applied.has(v));
		health.migrations = { expected: MIGRATIONS.length, applied: applied.size, pending };
	} catch (err) {
		if (!isDatabaseUnavailable(err)) console.error('[health] probe failed:', err);
		health.database = { kind: app.db.kind, reachable: false, ...problemOf(err) };
	}
	const ready =
		health.database!.reachable &&
		health.migrations!.pending.length === 0 &&
		health.bus!.open &&
		health.bus!.connected !== false;
	health.status = ready ? 'ready' : 'unavailable';
	return health;
}
