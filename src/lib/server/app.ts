/**
 * The server's long-lived parts — database, live bus, caches, simulator — opened once at start-up
 * (hooks.server.ts `init`, before the first request is served) and kept on globalThis, so Vite's
 * dev-mode module reloads reuse them instead of opening a second PGlite on the same folder.
 */
import { accountsWithDemoPasswords, ensureDemoUsers } from './auth/users';
import { ensureCity } from './city/seed';
import { CityFileCache } from './city/files';
import { CityIdentityCache } from './city/identity';
import { mkdirSync } from 'node:fs';
import { readConfig, simulatorRuns, type ServerConfig } from './config';
import { claimDbFolder } from './dataLock';
import { openDatabase } from './db/open';
import type { Db } from './db/types';
import type { LiveEvent } from '$lib/domain/live';
import { ApiError } from './http/errors';
import { SnapshotCache } from './incidents/snapshot';
import { LiveBus } from './live/bus';
import { Leadership } from './live/leader';
import { PgBus } from './live/pgBus';
import { Simulator } from './live/simulator';
import { forgetWallState } from './live/wall';
import { PlanScheduler } from './plans/schedule';

/** A production start (ONEMAP_ENV=production) with accounts that still have demo passwords. */
export class DemoPasswordError extends Error {
	constructor(readonly accounts: string[]) {
		super(
			`ONEMAP_ENV=production: refusing to start while these accounts still have their demo passwords: ${accounts.join(', ')}.\n` +
				`Stop here and give each a new password (at least 10 characters), e.g.:\n` +
				accounts.map((a) => `  npm run user -- set-password ${a}`).join('\n') +
				`\n(or sign in as admin without ONEMAP_ENV=production and change them on /admin), then start again.`
		);
		this.name = 'DemoPasswordError';
	}
}

export interface App {
	config: ServerConfig;
	db: Db;
	bus: LiveBus;
	snapshot: SnapshotCache;
	cityFiles: CityFileCache;
	/** The loaded city's identity (names, basemap), for the pages' CSP. */
	cityIdentity: CityIdentityCache;
	simulator: Simulator | null;
	/** Publishes scheduled grid plans on their day (checks at start-up, then every minute). */
	planScheduler: PlanScheduler;
	/** PostgreSQL: the live bus across app servers (LISTEN/NOTIFY); null on the embedded database. */
	pgBus: PgBus | null;
	/**
	 * PostgreSQL: whether this server runs the simulator and the plan scheduler (one server does,
	 * by an advisory lock); null on the embedded database (its one process runs them).
	 */
	leadership: Leadership | null;
	stop(): Promise<void>;
}

const KEY = Symbol.for('onemap.server.app');
type Holder = { [KEY]?: Promise<App>; [k: symbol]: unknown };
const holder = globalThis as unknown as Holder;

/** True while the loaded city is the generated demo (its manifest says so). */
async function citySynthetic(db: Db): Promise<boolean> {
	const [row] = await db.query<{ synthetic: boolean | null }>(
		`SELECT (value ->> 'synthetic')::boolean AS synthetic FROM meta WHERE key = 'manifest'`
	);
	return row?.synthetic === true;
}

/**
 * PGlite's WASM PostgreSQL never fsyncs (its fdatasync is a no-op): say what protects a commit.
 * The cost figures are from bench/pglite-sync.ts (README, ONEMAP_DB_SYNC).
 */
function durabilityNote(sync: boolean): string {
	return sync
		? "durability: each commit is fdatasync'ed by the app (PGlite itself never fsyncs); ONEMAP_DB_SYNC=off trades power-cut safety for speed"
		: 'durability: ONEMAP_DB_SYNC=off — acknowledged writes survive a process crash but NOT a power cut or OS crash (PGlite never fsyncs)';
}

function log(message: string): void {
	console.log(`[onemap] ${message}`);
}

async function open(config: ServerConfig): Promise<App> {
	const t0 = performance.now();
	// The embedded folder: one process at a time, by a lock the kernel releases (dataLock.ts).
	let unlock = async () => {};
	if (!config.databaseUrl) {
		mkdirSync(config.dbDir, { recursive: true });
		unlock = await claimDbFolder(config.dbDir);
	}
	let db: Db;
	try {
		db = await openDatabase(config);
	} catch (err) {
		await unlock();
		throw err;
	}
	log(
		`database: ${db.kind} (${db.where}) ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`
	);
	if (db.kind === 'pglite') log(durabilityNote(config.dbSync));
	try {
		const seed = await ensureCity(db, config);
		if (seed.loaded) {
			log(`loaded the city pack ${seed.source}: ${seed.incidents} incidents in ${seed.seconds} s`);
		}
		if (seed.note) log(`note: ${seed.note}`);
		const created = await ensureDemoUsers(db);
		if (created.length)
			log(`created the demo accounts ${created.join(', ')} (passwords in README.md)`);
		if (config.production) {
			const demo = await accountsWithDemoPasswords(db);
			if (demo.length) throw new DemoPasswordError(demo);
		}
		const snapshot = new SnapshotCache();
		const t1 = performance.now();
		const snap = await snapshot.get(db); // warm: the first page load does not wait for it
		log(
			`incident snapshot: ${snap.rows} rows in ${((performance.now() - t1) / 1000).toFixed(1)} s`
		);
		const bus = new LiveBus();
		// Several app servers may share a PostgreSQL: one live bus across them, and the jobs that
		// must run once (simulator, plan scheduler) on the server holding the leader lock.
		const shared = db.kind === 'postgres' && !!config.databaseUrl;
		let simulator: Simulator | null = null;
		const synthetic = await citySynthetic(db);
		if (simulatorRuns(config.simulator, synthetic)) {
			simulator = new Simulator(db, bus, { ratePerMinute: config.simulatorRate, shared });
			if (shared) await simulator.load();
			else await simulator.start();
			log(
				`simulator on (${config.simulatorRate} incidents/min; ONEMAP_SIMULATOR=off turns it off)${shared ? ' — on the leading server' : ''}`
			);
		} else if (config.simulator === 'auto' && !synthetic) {
			log(
				'simulator off: this is a real city (ONEMAP_SIMULATOR=on would write synthetic incidents into it)'
			);
		}
		const planScheduler = new PlanScheduler(db, bus, simulator);
		let pgBus: PgBus | null = null;
		let leadership: Leadership | null = null;
		// The app, once built below: the bus's and the leader's callbacks run later.
		const ref: { app?: App } = {};
		if (shared) {
			pgBus = new PgBus({
				url: config.databaseUrl!,
				db,
				bus,
				positions: () => ref.app?.simulator ?? null,
				onRemote: (event) => remoteEvent(ref.app, event)
			});
			await pgBus.start();
			log(
				`live bus: PostgreSQL LISTEN/NOTIFY (${pgBus.status().connected ? 'connected' : 'connecting'})`
			);
			leadership = new Leadership({
				url: config.databaseUrl!,
				retryMs: config.leaderRetryMs,
				onLead: async () => {
					await ref.app?.simulator?.start();
					planScheduler.start();
				},
				onLose: async () => {
					ref.app?.simulator?.stop();
					await planScheduler.stop();
				}
			});
		} else {
			await forgetWallState(db);
			planScheduler.start();
		}
		let stopping: Promise<void> | null = null;
		const app: App = {
			config,
			db,
			bus,
			snapshot,
			cityFiles: new CityFileCache(),
			cityIdentity: new CityIdentityCache(),
			simulator,
			planScheduler,
			pgBus,
			leadership,
			stop() {
				stopping ??= (async () => {
					await leadership?.stop();
					app.simulator?.stop();
					await planScheduler.stop();
					bus.close();
					await pgBus?.stop();
					await db.close();
					await unlock();
				})();
				return stopping;
			}
		};
		ref.app = app;
		await leadership?.start();
		if (leadership && !leadership.leader)
			log('leader: another server runs the simulator and the plan scheduler; this one stands by');
		return app;
	} catch (err) {
		await db.close();
		await unlock();
		throw err;
	}
}

/**
 * An event another app server published (pgBus.ts), after it went to this server's streams:
 * what this server keeps in memory follows — a new city (its identity; the simulator's model,
 * stopped for a real city), a published plan (the simulator's grids).
 */
async function remoteEvent(app: App | undefined, event: LiveEvent): Promise<void> {
	if (!app) return;
	if (event.type === 'city') {
		app.cityIdentity.forget();
		if (app.simulator && !simulatorRuns(app.config.simulator, await citySynthetic(app.db))) {
			app.simulator.stop();
			app.simulator = null;
		} else await app.simulator?.load();
	} else if (event.type === 'plan') await app.simulator?.reloadGrids();
}

/** Opens everything once per process; later calls get the same instance. */
export function startApp(config: ServerConfig = readConfig()): Promise<App> {
	holder[KEY] ??= open(config).catch((err) => {
		delete holder[KEY];
		throw err;
	});
	return holder[KEY];
}

/** The running app, for request handlers. */
export async function getApp(): Promise<App> {
	const app = holder[KEY];
	if (!app) throw new ApiError(503, 'The server is starting; try again in a few seconds.');
	return app;
}

export async function stopApp(): Promise<void> {
	const app = holder[KEY];
	if (!app) return;
	delete holder[KEY];
	await (await app).stop();
}
