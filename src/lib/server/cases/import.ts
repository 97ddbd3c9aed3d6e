/**
 * Case history import (issue 15): a 12345 (or other system's) export → incidents, in bulk.
 *
 * - Streamed: rows are read (read.ts), mapped (mapping.ts) and written a chunk at a time
 *   (CHUNK_ROWS), so memory stays bounded whatever the file's size.
 * - One transaction per chunk: placement in SQL (intake's placePoints), then one
 *   INSERT … SELECT FROM unnest(…) ON CONFLICT (import_source, external_id) DO UPDATE. A crash
 *   leaves whole chunks; running the same file again finishes the job (idempotent).
 * - History is history: the cases keep the file's status, times and priority. No escalation, no
 *   alerts, no repeat links, no per-row live events — the caller publishes one `reload` after the
 *   import (publishCaseImport), and the snapshot picks the rows up by their rev.
 * - The report counts new, updated, unchanged and refused rows; refused rows are listed with row
 *   number, column and reason (refusedCsv writes them to a new file, to fix and import again).
 */
import { basename } from 'node:path';
import Papa from 'papaparse';
import { recordAudit, toActor, type AuditActor } from '../audit/audit';
import { writeNewFile } from '../db/backup';
import type { Db, Queryable } from '../db/types';
import { placePoints } from '../incidents/intake';
import type { LiveBus } from '../live/bus';
import {
	DEFAULT_MAPPING,
	MappingError,
	FIELD_LABELS,
	mapRow,
	resolveMapping,
	validSourceName,
	type CaseField,
	type CaseMapping,
	type CaseRow,
	type RowProblem,
	type VocabularyField
} from './mapping';
import { openCaseFile, type CaseFileFormat, type ReadCaseOptions } from './read';

/** Rows per transaction. */
export const CHUNK_ROWS = 5_000;
/** Refused rows kept in the report (with their values, for the CSV); the count goes on. */
export const MAX_LISTED_REFUSALS = 100_000;

export interface RefusedRow {
	/** The row number a spreadsheet shows (header = 1). */
	row: number;
	problems: RowProblem[];
	/** The row as read, to write back in the refused-rows CSV. */
	values: Record<string, unknown>;
}

export interface ImportProgress {
	rows: number;
	new: number;
	updated: number;
	unchanged: number;
	refused: number;
}

export interface CaseImportReport extends ImportProgress {
	file: string;
	format: CaseFileFormat;
	encoding: string | null;
	/** The system the cases come from (with the case number, their identity). */
	source: string;
	/** The file's columns, in order. */
	fileColumns: string[];
	/** Field → the file's column it was read from. */
	columns: Partial<Record<CaseField, string>>;
	/** Values no vocabulary knows (their rows were refused), with how often each occurred. */
	unmapped: Partial<Record<VocabularyField, Record<string, number>>>;
	/** The first MAX_LISTED_REFUSALS refused rows. */
	refusedRows: RefusedRow[];
	chunks: number;
	ms: number;
	/** Nothing was written (check only): new/updated/unchanged count what an import would do. */
	dryRun: boolean;
}

export interface ImportCasesOptions extends ReadCaseOptions {
	actor: AuditActor | string;
	/** The full mapping (DEFAULT_MAPPING, the saved one, or a file merged over them). */
	mapping?: CaseMapping;
	/** Overrides the mapping's source. */
	source?: string;
	chunkRows?: number;
	/** Times after this (+5 min) are refused; default now. */
	now?: number;
	/** Map, place and count only; write nothing. */
	dryRun?: boolean;
	onProgress?: (p: ImportProgress) => void;
}

/** The statement that writes one chunk: new cases inserted, changed ones updated, others left. */
const UPSERT = `
INSERT INTO incident AS i (ts, closed_ts, type, source, status, priority, grid_id, community_id,
  street_id, description, address, reported_crs, geom, import_source, external_id)
SELECT to_timestamp(t.ts / 1000.0), to_timestamp(t.closed / 1000.0), t.type, t.src, t.status,
  t.priority, t.grid, t.community, t.street, t.description, t.address, t.crs,
  ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326), $16, t.ext
FROM unnest($1::text[], $2::float8[], $3::float8[], $4::text[], $5::text[], $6::text[],
  $7::int2[], $8::text[], $9::text[], $10::text[], $11::float8[], $12::float8[], $13::text[],
  $14::text[], $15::text[])
  AS t(ext, ts, closed, type, src, status, priority, description, address, crs, lon, lat, grid,
    community, street)
ON CONFLICT (import_source, external_id) WHERE external_id IS NOT NULL DO UPDATE SET
  ts = EXCLUDED.ts, closed_ts = EXCLUDED.closed_ts, type = EXCLUDED.type,
  source = EXCLUDED.source, status = EXCLUDED.status, priority = EXCLUDED.priority,
  grid_id = EXCLUDED.grid_id, community_id = EXCLUDED.community_id,
  street_id = EXCLUDED.street_id, description = EXCLUDED.description,
  address = EXCLUDED.address, reported_crs = EXCLUDED.reported_crs, geom = EXCLUDED.geom
WHERE (i.ts, i.closed_ts, i.type, i.source, i.status, i.priority, i.grid_id, i.description,
    i.address, i.reported_crs, ST_X(i.geom), ST_Y(i.geom))
  IS DISTINCT FROM (EXCLUDED.ts, EXCLUDED.closed_ts, EXCLUDED.type, EXCLUDED.source,
    EXCLUDED.status, EXCLUDED.priority, EXCLUDED.grid_id, EXCLUDED.description,
    EXCLUDED.address, EXCLUDED.reported_crs, ST_X(EXCLUDED.geom), ST_Y(EXCLUDED.geom))
RETURNING (i.xmax = 0) AS inserted`;

/** Dry run: which of these case numbers exist already. */
const EXISTING = `SELECT count(*)::int AS n FROM incident
  WHERE import_source = $1 AND external_id = ANY($2::text[])`;

async function writeChunk(
	tx: Queryable,
	source: string,
	rows: CaseRow[],
	grids: { grid_id: string; community_id: string; street_id: string }[]
): Promise<{ inserted: number; updated: number }> {
	const col = <T>(f: (r: CaseRow) => T) => rows.map(f);
	const out = await tx.query<{ inserted: boolean }>(UPSERT, [
		col((r) => r.externalId),
		col((r) => r.ts),
		col((r) => r.closedTs),
		col((r) => r.type),
		col((r) => r.source),
		col((r) => r.status),
		col((r) => r.priority),
		col((r) => r.description),
		col((r) => r.address),
		col((r) => r.crs),
		col((r) => r.lon),
		col((r) => r.lat),
		grids.map((g) => g.grid_id),
		grids.map((g) => g.community_id),
		grids.map((g) => g.street_id),
		source
	]);
	const inserted = out.filter((r) => r.inserted).length;
	return { inserted, updated: out.length - inserted };
}

/** Reads, maps and imports a case file; returns the report. Throws on an unusable file/mapping. */
export async function importCases(
	db: Db,
	path: string,
	opts: ImportCasesOptions
): Promise<CaseImportReport> {
	const started = performance.now();
	const mapping = opts.mapping ?? DEFAULT_MAPPING;
	const source = opts.source ?? mapping.source;
	if (!validSourceName(source))
		throw new MappingError(
			`来源名称“${source}”无效 · source "${source}": letters, digits, _ . - (at most 40), e.g. 12345`
		);
	const chunkRows = opts.chunkRows ?? CHUNK_ROWS;
	const now = opts.now ?? Date.now();
	const table = await openCaseFile(path, opts);
	let resolved;
	try {
		resolved = resolveMapping(mapping, table.columns);
	} catch (err) {
		table.close();
		throw err;
	}
	if (resolved.missing.length) {
		table.close();
		const want = (f: CaseField) => {
			const c = mapping.columns[f];
			return (Array.isArray(c) ? c : c ? [c] : []).join(' / ') || '—';
		};
		throw new MappingError(
			`文件缺少必需的列 · the file lacks required columns: ` +
				resolved.missing.map((f) => `${FIELD_LABELS[f]} (${f}: ${want(f)})`).join('; ') +
				`\n  文件的列 · the file's columns: ${table.columns.join(', ') || '—'}` +
				`\n  用 --mapping 指定 · name them in a mapping file (--mapping m.json)`
		);
	}
	const report: CaseImportReport = {
		file: basename(path),
		format: table.format,
		encoding: table.encoding,
		source,
		fileColumns: table.columns,
		columns: resolved.columns,
		rows: 0,
		new: 0,
		updated: 0,
		unchanged: 0,
		refused: 0,
		unmapped: {},
		refusedRows: [],
		chunks: 0,
		ms: 0,
		dryRun: opts.dryRun === true
	};
	const refuse = (row: number, problems: RowProblem[], values: Record<string, unknown>) => {
		report.refused++;
		for (const p of problems) {
			if (p.code !== 'unmapped' || p.value === undefined) continue;
			const f = p.field as VocabularyField;
			const m = (report.unmapped[f] ??= {});
			m[p.value] = (m[p.value] ?? 0) + 1;
		}
		if (report.refusedRows.length < MAX_LISTED_REFUSALS)
			report.refusedRows.push({ row, problems, values });
	};

	let chunk: CaseRow[] = [];
	let chunkValues: Record<string, unknown>[] = [];
	const flush = async () => {
		if (!chunk.length) return;
		// The same case number twice in a chunk: the later row wins (as a re-import would).
		const last = new Map<string, number>();
		chunk.forEach((r, i) => last.set(r.externalId, i));
		const rows: CaseRow[] = [];
		const values: Record<string, unknown>[] = [];
		chunk.forEach((r, i) => {
			const later = last.get(r.externalId)!;
			if (later === i) {
				rows.push(r);
				values.push(chunkValues[i]);
				return;
			}
			const column = resolved.columns.externalId!;
			refuse(
				r.row,
				[
					{
						field: 'externalId',
						column,
						code: 'duplicate',
						value: r.externalId,
						zh: `案件编号 ${r.externalId} 在第 ${chunk[later].row} 行再次出现（以后者为准）`,
						en: `case number ${r.externalId} appears again in row ${chunk[later].row} (the later row is imported)`
					}
				],
				chunkValues[i]
			);
		});
		chunk = [];
		chunkValues = [];
		const place = async (q: Queryable) => {
			const placed = await placePoints(
				q,
				rows.map((r) => r.lon),
				rows.map((r) => r.lat)
			);
			const keep: CaseRow[] = [];
			const grids: { grid_id: string; community_id: string; street_id: string }[] = [];
			placed.forEach((p, i) => {
				const r = rows[i];
				if (p.grid_id) {
					keep.push(r);
					grids.push(p as (typeof grids)[number]);
					return;
				}
				refuse(
					r.row,
					[
						{
							field: 'lon',
							column: `${resolved.columns.lon}, ${resolved.columns.lat}`,
							code: 'outside',
							value: `${r.lon.toFixed(6)}, ${r.lat.toFixed(6)}`,
							zh: `坐标 (${r.lon.toFixed(6)}, ${r.lat.toFixed(6)}, WGS84) 不在辖区内（没有网格包含它），请检查经纬度顺序与坐标系`,
							en: `the point (${r.lon.toFixed(6)}, ${r.lat.toFixed(6)}, WGS84) lies outside the jurisdiction (no grid contains it): check lon/lat order and the crs`
						}
					],
					values[i]
				);
			});
			return { keep, grids };
		};
		if (opts.dryRun) {
			const { keep } = await place(db);
			const [{ n }] = await db.query<{ n: number }>(EXISTING, [
				source,
				keep.map((r) => r.externalId)
			]);
			report.new += keep.length - n;
			report.updated += n; // would be updated or left unchanged
		} else {
			await db.transaction(async (tx) => {
				const { keep, grids } = await place(tx);
				if (!keep.length) return;
				const { inserted, updated } = await writeChunk(tx, source, keep, grids);
				report.new += inserted;
				report.updated += updated;
				report.unchanged += keep.length - inserted - updated;
			});
		}
		report.chunks++;
		opts.onProgress?.({
			rows: report.rows,
			new: report.new,
			updated: report.updated,
			unchanged: report.unchanged,
			refused: report.refused
		});
	};

	try {
		for await (const r of table.rows) {
			report.rows++;
			const m = mapRow(resolved, r.row, r.values, now);
			if ('problems' in m) refuse(r.row, m.problems, r.values);
			else {
				chunk.push(m.ok);
				chunkValues.push(r.values);
				if (chunk.length >= chunkRows) await flush();
			}
		}
		await flush();
	} finally {
		table.close();
	}
	report.refusedRows.sort((a, b) => a.row - b.row);
	report.ms = Math.round(performance.now() - started);
	if (!opts.dryRun)
		await recordAudit(db, {
			actor: toActor(opts.actor),
			action: 'incident.import',
			targetType: 'incident',
			after: {
				file: report.file,
				source,
				rows: report.rows,
				new: report.new,
				updated: report.updated,
				unchanged: report.unchanged,
				refused: report.refused
			}
		});
	return report;
}

/** After an import: one `reload` for every open map (not one event per case), if anything changed. */
export function publishCaseImport(bus: LiveBus, report: CaseImportReport): void {
	if (report.dryRun || report.new + report.updated === 0) return;
	bus.publish({
		type: 'reload',
		reason: `case import (${report.source}): ${report.new} new, ${report.updated} updated`
	});
}

/**
 * The refused rows as CSV (UTF-8 with BOM, so Excel reads the Chinese): 行号 (row), 列 (column),
 * 原因 (reason, Chinese), reason (English), then the row's own columns — fix the values and import
 * the file again (the extra columns are ignored).
 */
export function refusedCsv(report: CaseImportReport): string {
	const head = ['行号', '列', '原因', 'reason', ...report.fileColumns];
	const data = report.refusedRows.map((r) => [
		r.row,
		[...new Set(r.problems.map((p) => p.column))].join('；'),
		r.problems.map((p) => p.zh).join('；'),
		r.problems.map((p) => p.en).join('; '),
		...report.fileColumns.map((c) => r.values[c] ?? '')
	]);
	return '\ufeff' + Papa.unparse([head, ...data], { newline: '\r\n' }) + '\r\n';
}

/** Writes refusedCsv to `path`, which must not exist yet (never overwrites). */
export async function writeRefusedCsv(path: string, report: CaseImportReport): Promise<void> {
	await writeNewFile(path, new TextEncoder().encode(refusedCsv(report)));
}

/** The mapping saved for `source` by an earlier import, or null. */
export async function savedMapping(q: Queryable, source: string): Promise<CaseMapping | null> {
	const rows = await q.query<{ mapping: CaseMapping }>(
		'SELECT mapping FROM case_import_mapping WHERE source = $1',
		[source]
	);
	return rows[0]?.mapping ?? null;
}

/** Saves `mapping` as the one for its source (the next import of that source uses it). */
export async function saveMapping(
	q: Queryable,
	mapping: CaseMapping,
	actor: AuditActor | string
): Promise<void> {
	await q.query(
		`INSERT INTO case_import_mapping (source, mapping, updated_by) VALUES ($1, $2::jsonb, $3)
		 ON CONFLICT (source) DO UPDATE SET mapping = EXCLUDED.mapping, updated_at = now(),
		   updated_by = EXCLUDED.updated_by`,
		[mapping.source, JSON.stringify(mapping), toActor(actor).displayName]
	);
}
