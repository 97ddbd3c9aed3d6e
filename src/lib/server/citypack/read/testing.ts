/**
 * Test helpers: small packs built in memory (a zip, or a folder in the OS temp dir), Shapefiles
 * with @mapbox/shp-write, GeoPackages with sql.js, XLSX with exceljs.
 */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { write as writeShapefile } from '@mapbox/shp-write';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import initSqlJs from 'sql.js';
import wkx from 'wkx';
import type { Geometry } from 'geojson';
import { PACK_FORMAT } from '$lib/domain/cityPack';

export type PackTree = Record<string, string | Uint8Array | object>;

const bytesOf = (v: string | Uint8Array | object) =>
	v instanceof Uint8Array
		? v
		: new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));

export async function zipOf(tree: PackTree): Promise<Uint8Array> {
	const zip = new JSZip();
	for (const [name, v] of Object.entries(tree)) zip.file(name, bytesOf(v));
	return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

export async function folderOf(tree: PackTree): Promise<string> {
	const dir = await mkdtemp(path.join(tmpdir(), 'onemap-pack-'));
	for (const [name, v] of Object.entries(tree)) {
		await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
		await writeFile(path.join(dir, name), bytesOf(v));
	}
	return dir;
}

/** A square polygon of `d` degrees at [x, y] (counter-clockwise). */
export const square = (x: number, y: number, d = 0.01): Geometry => ({
	type: 'Polygon',
	coordinates: [
		[
			[x, y],
			[x + d, y],
			[x + d, y + d],
			[x, y + d],
			[x, y]
		]
	]
});

export const fc = (
	features: { geometry: Geometry | null; properties: Record<string, unknown> }[]
) => ({
	type: 'FeatureCollection',
	features: features.map((f) => ({ type: 'Feature', ...f }))
});

/** A minimal three-level manifest; `extra` is merged at the top level. */
export function manifest(extra: Record<string, unknown> = {}) {
	return {
		format: PACK_FORMAT,
		city: { name: { zh: '测试市', en: 'Test City' }, code: '120116' },
		version: 't1',
		levels: [
			{
				level: 'street',
				name: { zh: '街道' },
				file: 'streets.geojson',
				fields: { id: 'id', name: 'name' }
			},
			{
				level: 'community',
				name: { zh: '社区' },
				file: 'communities.geojson',
				fields: { id: 'id', name: 'name', parent: 'sid' }
			},
			{
				level: 'grid',
				name: { zh: '网格' },
				file: 'grids.geojson',
				fields: {
					id: 'id',
					name: 'name',
					parent: 'cid',
					population: 'pop',
					workerName: 'wn',
					workerPhone: 'wp'
				}
			}
		],
		...extra
	};
}

/** A small valid pack: one street, one community, two grids, near Tianjin. */
export function basicTree(): PackTree {
	return {
		'city.json': manifest(),
		'streets.geojson': fc([
			{ geometry: square(117.2, 39.1, 0.02), properties: { id: '120116001', name: '塘沽街道' } }
		]),
		'communities.geojson': fc([
			{
				geometry: square(117.2, 39.1, 0.02),
				properties: { id: '120116001001', name: '青源里社区', sid: '120116001' }
			}
		]),
		'grids.geojson': fc([
			{
				geometry: square(117.2, 39.1),
				properties: {
					id: 'G1',
					name: '第01网格',
					cid: '120116001001',
					pop: '1,234',
					wn: '张三',
					wp: '13800000000'
				}
			},
			{
				geometry: square(117.21, 39.1),
				properties: { id: 'G2', name: '第02网格', cid: '120116001001', pop: 56 }
			}
		])
	};
}

type Row = Record<string, string | number>;

/** A zipped (or loose) Shapefile of polygons or lines; text written in `encoding` (binary
 * strings, one byte per character, as the dbf writer stores them). */
export async function shapefile(
	rows: Row[],
	geometries: number[][][][] | number[][][],
	opts: {
		type?: 'POLYGON' | 'POLYLINE';
		encoding?: string;
		prj?: string;
		cpg?: string;
		name?: string;
	} = {}
): Promise<Record<string, Uint8Array>> {
	const enc = opts.encoding ?? 'utf-8';
	const binary = rows.map((r) =>
		Object.fromEntries(
			Object.entries(r).map(([k, v]) => [
				k,
				typeof v === 'string' ? iconv.encode(v, enc).toString('latin1') : v
			])
		)
	);
	const out = await new Promise<{ shp: DataView; shx: DataView; dbf: DataView }>(
		(resolve, reject) =>
			writeShapefile(binary, opts.type ?? 'POLYGON', geometries as never, (err, files) =>
				err ? reject(err) : resolve(files as { shp: DataView; shx: DataView; dbf: DataView })
			)
	);
	const b = (v: DataView) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
	const name = opts.name ?? 'layer';
	const files: Record<string, Uint8Array> = {
		[`${name}.shp`]: b(out.shp),
		[`${name}.shx`]: b(out.shx),
		[`${name}.dbf`]: b(out.dbf)
	};
	if (opts.prj) files[`${name}.prj`] = new TextEncoder().encode(opts.prj);
	if (opts.cpg) files[`${name}.cpg`] = new TextEncoder().encode(opts.cpg);
	return files;
}

/** A GeoPackage blob: "GP", version 0, flags (little-endian, 32-byte envelope), srs_id, envelope, WKB. */
export function gpkgBlob(g: Geometry, srsId: number): Uint8Array {
	const wkb = wkx.Geometry.parseGeoJSON(g).toWkb();
	const xs: number[] = [];
	const ys: number[] = [];
	JSON.stringify(g, (_k, v) => {
		if (Array.isArray(v) && typeof v[0] === 'number') {
			xs.push(v[0]);
			ys.push(v[1]);
		}
		return v;
	});
	const head = Buffer.alloc(8 + 32);
	head.write('GP', 0, 'ascii');
	head[2] = 0;
	head[3] = 0b0000_0011;
	head.writeInt32LE(srsId, 4);
	[Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)].forEach((v, i) =>
		head.writeDoubleLE(v, 8 + i * 8)
	);
	return new Uint8Array(Buffer.concat([head, wkb]));
}

/** A GeoPackage with the given feature tables (srs from EPSG). */
export async function geopackage(
	tables: {
		name: string;
		srsId: number;
		rows: { geometry: Geometry; properties: Record<string, string | number> }[];
	}[]
): Promise<Uint8Array> {
	const SQL = await initSqlJs();
	const db = new SQL.Database();
	db.run(`CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
		organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)`);
	db.run(
		`CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT, srs_id INTEGER)`
	);
	db.run(`CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
		srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL)`);
	for (const t of tables) {
		db.run('INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)', [
			`EPSG:${t.srsId}`,
			t.srsId,
			'EPSG',
			t.srsId,
			'undefined',
			null
		]);
		db.run('INSERT INTO gpkg_contents VALUES (?, ?, ?, ?)', [t.name, 'features', t.name, t.srsId]);
		db.run('INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)', [
			t.name,
			'geom',
			'GEOMETRY',
			t.srsId
		]);
		const cols = Object.keys(t.rows[0]?.properties ?? {});
		db.run(
			`CREATE TABLE "${t.name}" (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom BLOB${cols.map((c) => `, "${c}"`).join('')})`
		);
		for (const r of t.rows)
			db.run(
				`INSERT INTO "${t.name}" (geom${cols.map((c) => `, "${c}"`).join('')}) VALUES (?${cols.map(() => ', ?').join('')})`,
				[gpkgBlob(r.geometry, t.srsId), ...cols.map((c) => r.properties[c])]
			);
	}
	const out = db.export();
	db.close();
	return out;
}

export async function xlsx(sheets: Record<string, (string | number)[][]>): Promise<Uint8Array> {
	const wb = new ExcelJS.Workbook();
	for (const [name, rows] of Object.entries(sheets)) {
		const ws = wb.addWorksheet(name);
		for (const r of rows) ws.addRow(r);
	}
	return new Uint8Array(await wb.xlsx.writeBuffer());
}
