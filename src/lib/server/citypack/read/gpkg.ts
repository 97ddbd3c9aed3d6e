/**
 * GeoPackage (.gpkg): an SQLite file (read with sql.js, in memory). The feature table is the
 * layer's `layer`, or the only feature table; its geometry column and srs come from
 * gpkg_geometry_columns / gpkg_spatial_ref_sys. Each geometry is a GeoPackage binary: "GP",
 * version, flags (byte order, envelope size, empty), srs_id, the envelope, then standard WKB
 * (parsed with wkx).
 */
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import wkx from 'wkx';
import type { Geometry } from 'geojson';
import { ReadError, message } from './messages';
import type { RawFeature, RawLayer, ReadOptions } from './layer';

let sql: Promise<SqlJsStatic> | null = null;
const engine = () => (sql ??= initSqlJs());

/** Bytes of the envelope for the flags' envelope indicator (GeoPackage 1.x, table 3). */
const ENVELOPE_BYTES = [0, 32, 48, 48, 64];

/** A GeoPackage geometry blob → GeoJSON geometry (null when empty), or throws saying why. */
export function parseGpkgGeometry(blob: Uint8Array): Geometry | null {
	if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50)
		throw new Error('not a GeoPackage geometry (no "GP" magic)');
	const flags = blob[3];
	const envelope = (flags >> 1) & 0b111;
	if (envelope >= ENVELOPE_BYTES.length) throw new Error(`bad envelope indicator ${envelope}`);
	if ((flags >> 4) & 1) return null;
	const start = 8 + ENVELOPE_BYTES[envelope];
	const wkb = Buffer.from(blob.buffer, blob.byteOffset + start, blob.byteLength - start);
	return wkx.Geometry.parse(wkb).toGeoJSON() as Geometry;
}

const rows = (db: Database, sqlText: string, params: (string | number)[] = []) => {
	const st = db.prepare(sqlText);
	st.bind(params);
	const out: Record<string, unknown>[] = [];
	while (st.step()) out.push(st.getAsObject() as Record<string, unknown>);
	st.free();
	return out;
};

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function readGpkg(bytes: Uint8Array, opts: ReadOptions): Promise<RawLayer> {
	const SQL = await engine();
	const source = { file: opts.file };
	let db: Database;
	try {
		db = new SQL.Database(bytes);
		db.exec('SELECT 1 FROM sqlite_master LIMIT 1');
	} catch (err) {
		throw new ReadError([
			message(
				'file-unreadable',
				{
					reason: {
						zh: `不是可读的 GeoPackage/SQLite 文件（${(err as Error).message}）`,
						en: `not a readable GeoPackage/SQLite file (${(err as Error).message})`
					}
				},
				{ source }
			)
		]);
	}
	try {
		let tables: Record<string, unknown>[];
		try {
			tables = rows(
				db,
				'SELECT table_name, column_name, srs_id FROM gpkg_geometry_columns ORDER BY table_name'
			);
		} catch {
			throw new ReadError([
				message(
					'file-unreadable',
					{
						reason: {
							zh: '没有 gpkg_geometry_columns 表，不是 GeoPackage 矢量文件',
							en: 'no gpkg_geometry_columns table: not a GeoPackage vector file'
						}
					},
					{ source }
				)
			]);
		}
		const names = tables.map((t) => String(t.table_name));
		let table = tables[0];
		if (opts.layer) {
			table =
				tables.find((t) => t.table_name === opts.layer) ??
				tables.find((t) => String(t.table_name).toLowerCase() === opts.layer!.toLowerCase())!;
			if (!table)
				throw new ReadError([
					message(
						'layer-missing',
						{ layer: opts.layer, layers: names.join(', ') || '—' },
						{ source }
					)
				]);
		} else if (tables.length !== 1) {
			if (tables.length === 0)
				throw new ReadError([
					message(
						'file-unreadable',
						{
							reason: {
								zh: 'GeoPackage 中没有矢量图层',
								en: 'the GeoPackage holds no feature table'
							}
						},
						{ source }
					)
				]);
			throw new ReadError([message('layer-ambiguous', { layers: names.join(', ') }, { source })]);
		}
		const layer = String(table.table_name);
		const geomCol = String(table.column_name);
		const srsId = Number(table.srs_id);
		const srs = rows(
			db,
			'SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?',
			[srsId]
		)[0];
		let declared: RawLayer['declared'];
		if (srs && srsId > 0) {
			const org = String(srs.organization ?? '').toUpperCase();
			declared =
				org === 'EPSG'
					? { text: `EPSG:${srs.organization_coordsys_id}`, from: `GeoPackage srs_id ${srsId}` }
					: { text: String(srs.definition ?? ''), from: `GeoPackage srs_id ${srsId}` };
		}
		const features: RawFeature[] = [];
		const problems = [];
		const all = rows(db, `SELECT * FROM ${quote(layer)}`);
		for (let i = 0; i < all.length; i++) {
			const { [geomCol]: blob, ...properties } = all[i];
			let geometry: Geometry | null = null;
			if (blob instanceof Uint8Array) {
				try {
					geometry = parseGpkgGeometry(blob);
				} catch (err) {
					problems.push(
						message(
							'geometry-invalid',
							{ reason: (err as Error).message },
							{ source: { file: opts.file, layer, index: i } }
						)
					);
				}
			}
			features.push({ geometry, properties });
		}
		if (problems.length) throw new ReadError(problems);
		return { table: false, layer, features, declared, notes: [] };
	} finally {
		db.close();
	}
}
