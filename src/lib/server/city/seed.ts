/**
 * First start: an empty database gets its city through the city pack path
 * (citypack/index.ts) — the operator's own pack when ONEMAP_CITY_PACK names one, else the demo
 * city the generator wrote as a pack into the data folder. Afterwards the database is the
 * source of truth; the folder is not read again.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACK_MANIFEST } from '$lib/domain/cityPack';
import type { Db } from '../db/types';
import { importCityPack } from '../citypack';
import { formatReport } from '../citypack/report';

export interface SeedResult {
	loaded: boolean;
	/** The pack loaded (folder or zip), when loaded. */
	source?: string;
	incidents: number;
	seconds: number;
	/** Set when the configured pack differs from the city in the database. */
	note?: string;
}

/** Thrown when the first start's pack is refused: the report says why, nothing was written. */
export class SeedRefusedError extends Error {
	constructor(
		readonly source: string,
		readonly report: string
	) {
		super(
			`The city pack ${source} was refused; nothing was written. 城市数据包被拒绝，未写入任何数据。\n${report}`
		);
		this.name = 'SeedRefusedError';
	}
}

async function cityCount(db: Pick<Db, 'query'>): Promise<number> {
	const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM street');
	return row.n;
}

export async function ensureCity(
	db: Db,
	where: { dataDir: string; cityPack: string | null }
): Promise<SeedResult> {
	const t0 = performance.now();
	const seconds = () => Math.round(performance.now() - t0) / 1000;
	if ((await cityCount(db)) > 0) return { loaded: false, incidents: 0, seconds: seconds() };
	const source = where.cityPack ?? where.dataDir;
	if (!where.cityPack && !existsSync(join(source, PACK_MANIFEST))) {
		throw new Error(
			`The database is empty and ${source} holds no city pack (${PACK_MANIFEST}): run "npm run data -- --out ${source}" (npm start does it for you), or set ONEMAP_CITY_PACK to your city's pack.`
		);
	}
	const run = await importCityPack(db, source, { actor: 'system (first start)' });
	if (!run.result) throw new SeedRefusedError(source, formatReport(run.report));
	return { loaded: true, source, incidents: run.result.counts.incidents, seconds: seconds() };
}
