/**
 * Server configuration, read once from the environment. Everything has a default that runs the
 * demo with nothing installed; README.md lists the variables.
 */
import { resolve } from 'node:path';
import { DEFAULT_ADMISSION, type AdmissionLimits } from './http/admission';

export interface ServerConfig {
	/** PostgreSQL + PostGIS connection string; when unset, the embedded PGlite database is used. */
	databaseUrl: string | null;
	/** Folder of the embedded database (PGlite data dir). */
	dbDir: string;
	/**
	 * ONEMAP_DB_SYNC (embedded database only): `commit` (default) fdatasyncs the WAL before a
	 * write is acknowledged, so it survives a power cut; `off` leaves it to the OS (faster).
	 */
	dbSync: boolean;
	/** Folder of the generated demo city (the first start loads it into the database). */
	dataDir: string;
	/**
	 * ONEMAP_CITY_PACK: a city pack (folder or .zip) the first start loads into an empty database
	 * instead of the demo city. Null: the demo city.
	 */
	cityPack: string | null;
	/**
	 * The demo simulator (new incidents, status changes, patrol positions) writes synthetic
	 * incidents through the real intake: `auto` (default) runs it only while the loaded city is
	 * the synthetic demo; `on` also on a real city's data (someone asked for it); `off` never.
	 */
	simulator: SimulatorMode;
	/** Simulated incidents per minute (average). */
	simulatorRate: number;
	/**
	 * ONEMAP_ENV=production (or NODE_ENV=production): a real deployment. The server refuses to
	 * start while any account still has its documented demo password, or without ORIGIN.
	 */
	production: boolean;
	/** Failed sign-ins per address or user name in 15 minutes before 429 (default 5). */
	loginMaxFailures: number;
	/**
	 * Admission control of each write route (intake, transitions, dispatch): ONEMAP_WRITE_ACTIVE
	 * writes at once (default 4), ONEMAP_WRITE_QUEUE more waiting (default 32); beyond, 503.
	 */
	writeAdmission: AdmissionLimits;
	/**
	 * ONEMAP_LEADER_RETRY_MS (default 5000): with several app servers on one PostgreSQL, how often a
	 * standby server tries to take over the simulator and the plan scheduler (live/leader.ts).
	 */
	leaderRetryMs: number;
}

export type SimulatorMode = 'auto' | 'on' | 'off';

const OFF = new Set(['0', 'off', 'false', 'no']);
const ON = new Set(['1', 'on', 'true', 'yes']);

function simulatorMode(value: string | undefined): SimulatorMode {
	const v = (value ?? 'auto').trim().toLowerCase();
	return OFF.has(v) ? 'off' : ON.has(v) ? 'on' : 'auto';
}

/** Whether the simulator runs for a city (synthetic = the generated demo city). */
export function simulatorRuns(mode: SimulatorMode, citySynthetic: boolean): boolean {
	return mode === 'on' || (mode === 'auto' && citySynthetic);
}

function positiveInt(value: string | undefined, fallback: number, min = 1): number {
	const n = Number(value ?? NaN);
	return Number.isSafeInteger(n) && n >= min ? n : fallback;
}

export function readConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
	const rate = Number(env.ONEMAP_SIMULATOR_RATE ?? 20);
	const failures = Number(env.ONEMAP_LOGIN_MAX_FAILURES ?? 5);
	return {
		databaseUrl: env.DATABASE_URL?.trim() || null,
		dbDir: resolve(env.ONEMAP_DB_DIR ?? 'var/db'),
		dbSync: !OFF.has((env.ONEMAP_DB_SYNC ?? 'commit').trim().toLowerCase()),
		dataDir: resolve(env.ONEMAP_DATA_DIR ?? 'var/data'),
		cityPack: env.ONEMAP_CITY_PACK?.trim() ? resolve(env.ONEMAP_CITY_PACK.trim()) : null,
		simulator: simulatorMode(env.ONEMAP_SIMULATOR),
		simulatorRate: Number.isFinite(rate) && rate > 0 ? rate : 20,
		production: [env.ONEMAP_ENV, env.NODE_ENV].some(
			(v) => (v ?? '').trim().toLowerCase() === 'production'
		),
		loginMaxFailures: Number.isSafeInteger(failures) && failures >= 1 ? failures : 5,
		writeAdmission: {
			active: positiveInt(env.ONEMAP_WRITE_ACTIVE, DEFAULT_ADMISSION.active),
			queued: positiveInt(env.ONEMAP_WRITE_QUEUE, DEFAULT_ADMISSION.queued, 0),
			waitMs: DEFAULT_ADMISSION.waitMs
		},
		leaderRetryMs: positiveInt(env.ONEMAP_LEADER_RETRY_MS, 5000, 100)
	};
}
