/**
 * A city pack from folder or zip to database: read (citypack/read) → check and repair
 * (citypack/check) → import (citypack/import). The CLI (`npm run city`), /admin's 城市数据 tab and
 * start-up's demo city all come through here: one code path for every city.
 */
import type { CleanPack, OnProgress, PackReport } from '$lib/domain/cityPack';
import type { AuditActor } from '../audit/audit';
import type { Db } from '../db/types';
import { checkPack } from './check';
import { importPack, type ImportResult } from './import';
import { readPack, type PackSource, type ReadResult } from './read';

export type { PackSource };

export interface CheckRun {
	report: PackReport;
	/** The checked pack, ready to import; null when refused. */
	clean: CleanPack | null;
}

/** The report of a pack that could not even be read (no manifest, malformed files…). */
function unreadReport(read: ReadResult, seconds: number): PackReport {
	const m = read.pack?.manifest;
	return {
		ok: false,
		pack: {
			name: m?.city.name.zh ?? '',
			code: m?.city.code ?? '',
			version: m?.version ?? '',
			hash: read.pack?.hash ?? '',
			synthetic: m?.city.synthetic ?? false
		},
		counts: {
			district: 0,
			street: 0,
			community: 0,
			grid: 0,
			hazmatSites: 0,
			hazmatLanes: 0,
			patrolRoutes: 0,
			patrolUnits: 0,
			incidents: 0
		},
		errors: read.errors,
		repairs: [],
		notes: read.notes,
		seconds
	};
}

/**
 * The database the checker may do its geometry work in (temporary tables only): the app's own
 * PGlite (PostGIS 3.6); on PostgreSQL (PostGIS may lack the coverage functions) the checker opens
 * its own in-memory PGlite.
 */
export function geometryDb(db: Db | undefined): Db | undefined {
	return db?.kind === 'pglite' ? db : undefined;
}

/** Reads and checks a pack; writes nothing (`db`: see geometryDb). */
export async function checkCityPack(
	source: PackSource,
	opts: { onProgress?: OnProgress; db?: Db } = {}
): Promise<CheckRun> {
	const t0 = performance.now();
	const read = await readPack(source, opts);
	if (!read.pack || read.errors.length > 0) {
		return {
			report: unreadReport(read, Math.round(performance.now() - t0) / 1000),
			clean: null
		};
	}
	const { report, clean } = await checkPack(read.pack, {
		onProgress: opts.onProgress,
		db: geometryDb(opts.db)
	});
	report.seconds = Math.round(performance.now() - t0) / 1000;
	return { report, clean: report.ok ? clean : null };
}

export interface ImportRun extends CheckRun {
	/** Null when the check refused the pack (nothing was written). */
	result: ImportResult | null;
}

/** Reads, checks and — when nothing is refused — imports a pack in one transaction. */
export async function importCityPack(
	db: Db,
	source: PackSource,
	opts: { actor: AuditActor | string; onProgress?: OnProgress; now?: Date }
): Promise<ImportRun> {
	const run = await checkCityPack(source, { onProgress: opts.onProgress, db });
	if (!run.clean) return { ...run, result: null };
	const result = await importPack(db, run.clean, opts);
	return { ...run, result };
}
