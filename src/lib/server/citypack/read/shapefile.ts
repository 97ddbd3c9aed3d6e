/**
 * Shapefiles: a `.zip` inside the pack holding one layer (or several, `layer` picks one by its
 * name), or a `.shp` with its `.dbf` (and `.prj`, `.cpg`) beside it in the pack.
 *
 * shpjs reads the geometry and parsedbf the attributes, but neither says when it gives up:
 * shpjs drops a `.prj` proj4 cannot parse and parsedbf falls back to UTF-8 for a `.cpg` it does
 * not know. So the `.prj` is handed back as the layer's declared CRS (geo/crs.ts reads it) and
 * the `.cpg` is resolved here (code pages such as "936" included); without a `.cpg` the layer's
 * `encoding` applies, else UTF-8 — or GB18030 when the DBF's bytes are not valid UTF-8 (noted).
 */
import { combine, parseDbf, parseShp } from 'shpjs';
import type { Geometry } from 'geojson';
import type { PackMessage } from '$lib/domain/cityPack';
import { ReadError, message } from './messages';
import type { RawLayer, ReadOptions } from './layer';
import { openZip, unpack } from './source';
import { isUtf8, misdecoded, normaliseEncoding } from './text';

interface Parts {
	shp: Uint8Array;
	dbf: Uint8Array | null;
	prj: Uint8Array | null;
	cpg: Uint8Array | null;
	layer: string;
}

const ascii = (b: Uint8Array | null) => (b ? new TextDecoder().decode(b).trim() : undefined);

/** The DBF's encoding and a note saying where it came from. */
function dbfEncoding(parts: Parts, opts: ReadOptions): { encoding: string; note: PackMessage } {
	const source = { file: opts.file, layer: parts.layer };
	const cpg = ascii(parts.cpg);
	if (cpg) {
		const enc = normaliseEncoding(cpg);
		if (enc)
			return {
				encoding: enc,
				note: message(
					'encoding-used',
					{ encoding: enc, why: { zh: `.cpg 文件写明 ${cpg}`, en: `from the .cpg file (${cpg})` } },
					{ source }
				)
			};
	}
	if (opts.encoding) {
		const enc = normaliseEncoding(opts.encoding) ?? 'utf-8';
		return {
			encoding: enc,
			note: message(
				'encoding-used',
				{ encoding: enc, why: { zh: 'city.json 指定', en: 'set in city.json' } },
				{ source }
			)
		};
	}
	if (parts.dbf && !isUtf8(parts.dbf.subarray(32)))
		return {
			encoding: 'gb18030',
			note: message(
				'encoding-used',
				{
					encoding: 'GB18030',
					why: {
						zh: '没有 .cpg，DBF 不是有效的 UTF-8，按 GB18030（GBK）读取；如不对请加 .cpg 或在 city.json 写 "encoding"',
						en: 'no .cpg and the DBF is not valid UTF-8: read as GB18030 (GBK); add a .cpg or set "encoding" in city.json if that is wrong'
					}
				},
				{ source }
			)
		};
	return {
		encoding: 'utf-8',
		note: message(
			'encoding-used',
			{ encoding: 'UTF-8', why: { zh: '没有 .cpg，默认', en: 'no .cpg: the default' } },
			{ source }
		)
	};
}

function parse(parts: Parts, opts: ReadOptions): RawLayer {
	const notes: PackMessage[] = [];
	const source = { file: opts.file, layer: parts.layer };
	if (!parts.dbf)
		throw new ReadError([
			message(
				'file-missing',
				{ path: `${opts.file} → ${parts.layer}.shp`, file: `${parts.layer}.dbf` },
				{ source: { file: opts.file } }
			)
		]);
	const { encoding, note } = dbfEncoding(parts, opts);
	notes.push(note);
	let fc;
	try {
		const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
		fc = combine([parseShp(dv(parts.shp) as never), parseDbf(dv(parts.dbf) as never, encoding)]);
	} catch (err) {
		throw new ReadError([
			message(
				'file-unreadable',
				{
					reason: {
						zh: `Shapefile 无法解析（${(err as Error).message || err}），文件可能不完整`,
						en: `the Shapefile cannot be parsed (${(err as Error).message || err}); it may be truncated`
					}
				},
				{ source }
			)
		]);
	}
	const sample = misdecoded(
		fc.features.slice(0, 50).flatMap((f) => Object.values(f.properties ?? {}))
	);
	if (sample) notes.push(message('text-misdecoded', { sample }, { source }));
	const prj = ascii(parts.prj);
	return {
		table: false,
		layer: parts.layer,
		features: fc.features.map((f) => ({
			geometry: (f.geometry as Geometry) ?? null,
			properties: f.properties ?? {}
		})),
		declared: prj ? { text: prj, from: '.prj' } : undefined,
		notes
	};
}

/** A `.shp` in the pack, its siblings found beside it. */
export async function readShp(bytes: Uint8Array, opts: ReadOptions): Promise<RawLayer> {
	const layer = opts.file.replace(/^.*\//, '').replace(/\.shp$/i, '');
	const [dbf, prj, cpg] = await Promise.all(['dbf', 'prj', 'cpg'].map((e) => opts.sibling(e)));
	return parse({ shp: bytes, dbf, prj, cpg, layer }, opts);
}

/** A zipped Shapefile inside the pack. */
export async function readShapefileZip(bytes: Uint8Array, opts: ReadOptions): Promise<RawLayer> {
	const entries = await openZip(bytes, opts.file, opts.budget);
	const names = [...entries.keys()];
	const shps = names.filter((n) => n.toLowerCase().endsWith('.shp'));
	const stem = (n: string) => n.slice(0, -4);
	const base = (n: string) => stem(n).replace(/^.*\//, '');
	const layers = shps.map(base);
	let shp: string | undefined;
	if (opts.layer) {
		shp =
			shps.find((n) => base(n) === opts.layer) ??
			shps.find((n) => base(n).toLowerCase() === opts.layer!.toLowerCase());
		if (!shp)
			throw new ReadError([
				message(
					'layer-missing',
					{ layer: opts.layer, layers: layers.join(', ') || '—' },
					{ source: { file: opts.file } }
				)
			]);
	} else if (shps.length === 1) shp = shps[0];
	else if (shps.length === 0)
		throw new ReadError([
			message(
				'file-unreadable',
				{
					reason: {
						zh: `压缩包中没有 .shp 文件（有：${names.slice(0, 20).join(', ') || '无'}）`,
						en: `the zip holds no .shp file (it has: ${names.slice(0, 20).join(', ') || 'nothing'})`
					}
				},
				{ source: { file: opts.file } }
			)
		]);
	else
		throw new ReadError([
			message('layer-ambiguous', { layers: layers.join(', ') }, { source: { file: opts.file } })
		]);
	const part = async (ext: string) => {
		const want = `${stem(shp!)}.${ext}`.toLowerCase();
		const name = names.find((n) => n.toLowerCase() === want);
		return name ? unpack(entries.get(name)!, opts.budget) : null;
	};
	const [shpBytes, dbf, prj, cpg] = [
		await part('shp'),
		await part('dbf'),
		await part('prj'),
		await part('cpg')
	];
	return parse({ shp: shpBytes!, dbf, prj, cpg, layer: base(shp) }, opts);
}
