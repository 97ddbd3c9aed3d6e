/**
 * First start: an empty database gets the demo city from the data folder the generator wrote.
 * Afterwards the database is the source of truth and the data folder is only read for the
 * basemap (land, sea, water, roads).
 */
import type { Manifest } from '$lib/domain/city';
import type { Db } from '../db/types';
import { hasCityData, readCityData, readManifest } from './cityData';
import { loadCity } from './load';

/** Any constant: two servers starting on one empty PostgreSQL load the city once. */
const SEED_LOCK = 4_206_118;

export interface SeedResult {
	loaded: boolean;
	incidents: number;
	seconds: number;
	/** Set when the data folder holds another demo city than the database. */
	note?: string;
}

async function cityCount(db: Pick<Db, 'query'>): Promise<number> {
	const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM street');
	return row.n;
}

export async function ensureDemoCity(db: Db, dataDir: string): Promise<SeedResult> {
	const t0 = performance.now();
	const seconds = () => Math.round(performance.now() - t0) / 1000;
	if ((await cityCount(db)) > 0) {
		return {
			loaded: false,
			incidents: 0,
			seconds: seconds(),
			note: await compareManifest(db, dataDir)
		};
	}
	if (!hasCityData(dataDir)) {
		throw new Error(
			`The database is empty and ${dataDir} holds no demo city: run "npm run data -- --out ${dataDir}" (npm start does it for you).`
		);
	}
	const city = readCityData(dataDir);
	const loaded = await db.transaction(async (tx) => {
		await tx.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK]);
		if ((await cityCount(tx)) > 0) return false; // another server was first
		await loadCity(tx, city);
		return true;
	});
	// Fresh statistics, so the planner uses the GiST indexes from the first query on.
	if (loaded) await db.exec('ANALYZE');
	return { loaded, incidents: loaded ? city.incidents.length : 0, seconds: seconds() };
}

async function compareManifest(db: Db, dataDir: string): Promise<string | undefined> {
	if (!hasCityData(dataDir)) return undefined;
	const [row] = await db.query<{ value: Manifest }>(
		`SELECT value FROM meta WHERE key = 'manifest'`
	);
	const mine = row?.value;
	let theirs: Manifest;
	try {
		theirs = readManifest(dataDir);
	} catch {
		return undefined;
	}
	if (mine && (mine.seed !== theirs.seed || mine.endDate !== theirs.endDate)) {
		return `the database holds the demo city of seed ${mine.seed} / ${mine.endDate}; ${dataDir} has seed ${theirs.seed} / ${theirs.endDate}. The database wins; delete the database folder to reload.`;
	}
	return undefined;
}
