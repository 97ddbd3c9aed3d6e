/**
 * The city pack reader (issue 12): a folder, a `.zip` path or zip bytes holding `city.json` and
 * the files it names → ParsedPack (everything in WGS84, mapped to OneMap's names), or every
 * problem found, located and in both languages. Nothing is written anywhere.
 *
 * Order: open the pack (zip checked for unsafe paths and size), validate city.json
 * (CityPackManifestSchema), check every named file is there, then read each boundary level
 * (GeoJSON, Shapefile, GeoPackage), build derived and copyParent levels, read the registers
 * (tables or vector files), keep the basemap and incidents files as assets, and hash it all.
 * Per-file checks only (ids unique within a file, values readable, CRS plausible); everything
 * across files and levels is the checker's (../check).
 */
import { createHash } from 'node:crypto';
import type { ZodError } from 'zod';
import {
	CityPackManifestSchema,
	PACK_LEVELS,
	PACK_MANIFEST,
	type CityPackManifest,
	type OnProgress,
	type PackLevel,
	type PackMessage,
	type PackUnit,
	type ParsedPack
} from '$lib/domain/cityPack';
import { readJson } from './geojson';
import { readGpkg } from './gpkg';
import type { RawLayer, ReadOptions } from './layer';
import {
	copyParentUnits,
	derivedUnits,
	mapHazmatSites,
	mapLines,
	mapPatrolUnits,
	mapUnits,
	type MapContext
} from './map';
import { ReadError, levelName, message } from './messages';
import { chooseCrs, projector } from './project';
import { readShapefileZip, readShp } from './shapefile';
import { newBudget, openPack, type Budget, type PackFiles } from './source';
import { readCsv, readXlsx } from './table';

export { READ_MESSAGES, READ_MESSAGE_LIST, REASONS, type ReadCode } from './messages';
export { PACK_MAX_UNZIPPED_BYTES } from './source';

export interface ReadResult {
	/** null when there is any error. */
	pack: ParsedPack | null;
	errors: PackMessage[];
	notes: PackMessage[];
}

export type PackSource = string | { zip: Uint8Array; name?: string };

/** The share of a whole check/import run the reading takes (progress fractions 0..READ_SHARE). */
export const READ_SHARE = 0.2;

/** Files the manifest names, with where it names them ("levels[2].file"). */
export function namedFiles(m: CityPackManifest): { path: string; file: string; asset: boolean }[] {
	const out: { path: string; file: string; asset: boolean }[] = [];
	m.levels.forEach(
		(l, i) => l.file && out.push({ path: `levels[${i}].file`, file: l.file, asset: false })
	);
	for (const [key, reg] of Object.entries(m.registers))
		if (reg) out.push({ path: `registers.${key}.file`, file: reg.file, asset: false });
	if (m.incidents) out.push({ path: 'incidents.file', file: m.incidents.file, asset: true });
	const b = m.basemap;
	if (b?.kind === 'onemap')
		for (const k of ['land', 'sea', 'water', 'roads'] as const) {
			const f = b[k];
			if (f) out.push({ path: `basemap.${k}`, file: f, asset: true });
		}
	if (b?.kind === 'pmtiles') out.push({ path: 'basemap.file', file: b.file, asset: true });
	return out;
}

const ZOD_ZH: Record<string, string> = {
	invalid_type: '类型不对',
	too_small: '太小或太短',
	too_big: '太大或太长',
	invalid_format: '格式不对',
	invalid_value: '取值不在允许范围内',
	unrecognized_keys: '有不认识的键',
	invalid_union: '不符合任何一种允许的写法',
	custom: '不符合要求'
};

/** "levels[1].fields.id" from a zod path. */
const jsonPath = (path: PropertyKey[]) =>
	path.reduce<string>(
		(s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)),
		''
	) || '(root)';

function manifestErrors(err: ZodError): PackMessage[] {
	return err.issues.map((issue) => {
		const path = jsonPath(issue.path);
		const keys = 'keys' in issue && Array.isArray(issue.keys) ? `: ${issue.keys.join(', ')}` : '';
		return message(
			'manifest-invalid',
			{
				path,
				reason: {
					zh: `${ZOD_ZH[issue.code] ?? '不符合要求'}${keys}（${issue.message}）`,
					en: issue.message
				}
			},
			{ source: { file: PACK_MANIFEST, field: path } }
		);
	});
}

/** A named file → its layer, by extension. */
async function readLayer(
	files: PackFiles,
	file: string,
	bytes: Uint8Array,
	opt: { layer?: string; sheet?: string; encoding?: string },
	budget: Budget,
	read: Map<string, Uint8Array>
): Promise<RawLayer> {
	const stem = file.replace(/\.[^./]*$/, '');
	const siblings = files.list();
	const opts: ReadOptions = {
		file,
		...opt,
		budget,
		async sibling(ext) {
			const want = `${stem}.${ext}`.toLowerCase();
			const name = siblings.find((n) => n.toLowerCase() === want);
			const b = name ? await files.read(name) : null;
			// Siblings (.dbf, .prj, .cpg) are part of the data: hashed with the named files.
			if (name && b) read.set(name, b);
			return b;
		}
	};
	const ext = (/\.([^./]+)$/.exec(file)?.[1] ?? '').toLowerCase();
	switch (ext) {
		case 'geojson':
		case 'json':
			return readJson(bytes, opts);
		case 'zip':
			return readShapefileZip(bytes, opts);
		case 'shp':
			return readShp(bytes, opts);
		case 'gpkg':
			return readGpkg(bytes, opts);
		case 'csv':
			return readCsv(bytes, opts);
		case 'xlsx':
			return readXlsx(bytes, opts);
		default:
			throw new ReadError([
				message('format-unknown', { ext: ext ? `.${ext}` : file }, { source: { file } })
			]);
	}
}

/** Read a pack. Never throws for a problem with the pack: every problem is in `errors`. */
/** Line and column (1-based) of a JSON.parse error, from its message's position or line. */
export function jsonErrorAt(text: string, reason: string): { line: number; column: number } | null {
	const lc = /line (\d+) column (\d+)/.exec(reason);
	if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
	const pos = /position (\d+)/.exec(reason);
	let offset = pos ? Number(pos[1]) : /end of JSON input/.test(reason) ? text.length : -1;
	if (offset < 0) return null;
	offset = Math.min(offset, text.length);
	const before = text.slice(0, offset).split('\n');
	return { line: before.length, column: before[before.length - 1].length + 1 };
}

export async function readPack(
	source: PackSource,
	opts: {
		onProgress?: OnProgress;
		/** Cap on what the zip (and the zips in it) unpack to; default PACK_MAX_UNZIPPED_BYTES. */
		maxUnzippedBytes?: number;
	} = {}
): Promise<ReadResult> {
	const errors: PackMessage[] = [];
	const notes: PackMessage[] = [];
	const fail = (): ReadResult => ({ pack: null, errors, notes });
	const progress = (fraction: number, zh: string, en: string) =>
		opts.onProgress?.({ step: 'read', fraction: READ_SHARE * fraction, message: { zh, en } });
	const budget = newBudget(opts.maxUnzippedBytes);

	let files: PackFiles;
	let manifestBytes: Uint8Array | null;
	try {
		files = await openPack(source, budget);
		manifestBytes = await files.read(PACK_MANIFEST);
	} catch (err) {
		if (err instanceof ReadError) {
			errors.push(...err.messages);
			return fail();
		}
		throw err;
	}
	progress(0, `读取 ${files.label}`, `Reading ${files.label}`);
	if (!manifestBytes) {
		errors.push(message('manifest-missing'));
		return fail();
	}
	let json: unknown;
	const manifestText = new TextDecoder().decode(manifestBytes).replace(/^\uFEFF/, '');
	try {
		json = JSON.parse(manifestText);
	} catch (err) {
		const reason = (err as Error).message;
		const at = jsonErrorAt(manifestText, reason);
		const where = at
			? {
					zh: `（第 ${at.line} 行第 ${at.column} 列）`,
					en: ` (line ${at.line}, column ${at.column})`
				}
			: '';
		errors.push(message('manifest-json', { where, reason }, { source: { file: PACK_MANIFEST } }));
		return fail();
	}
	const parsed = CityPackManifestSchema.safeParse(json);
	if (!parsed.success) {
		errors.push(...manifestErrors(parsed.error));
		return fail();
	}
	const manifest = parsed.data;

	// Every named file first: a missing one is reported before anything is parsed.
	const named = namedFiles(manifest);
	const bytes = new Map<string, Uint8Array>();
	try {
		for (const n of named) {
			const b = await files.read(n.file);
			if (!b)
				errors.push(
					message(
						'file-missing',
						{ path: n.path, file: n.file },
						{ source: { file: PACK_MANIFEST, field: n.path } }
					)
				);
			else bytes.set(n.file, b);
		}
	} catch (err) {
		if (err instanceof ReadError) {
			errors.push(...err.messages);
			return fail();
		}
		throw err;
	}
	if (errors.length) return fail();

	const steps = manifest.levels.length + 4;
	let done = 0;
	/** One file → mapped items; its problems into errors (the pack goes on being read). */
	async function withLayer<T>(
		file: string,
		opt: { layer?: string; sheet?: string; encoding?: string; crs: string },
		path: string,
		map: (ctx: MapContext) => T
	): Promise<T | null> {
		progress(done++ / steps, `读取 ${file}`, `Reading ${file}`);
		let layer: RawLayer;
		try {
			layer = await readLayer(files, file, bytes.get(file)!, opt, budget, bytes);
		} catch (err) {
			if (err instanceof ReadError) {
				errors.push(...err.messages);
				return null;
			}
			throw err;
		}
		notes.push(...layer.notes);
		const chosen = chooseCrs(layer, opt.crs, manifest.crs, file);
		if ('error' in chosen) {
			errors.push(chosen.error);
			return null;
		}
		notes.push(chosen.note);
		return map({
			file,
			layer: layer.layer,
			table: layer.table,
			features: layer.features,
			columns: layer.columns,
			path,
			project: projector(chosen.crs, file, layer.layer),
			errors,
			notes
		});
	}

	const units = Object.fromEntries(PACK_LEVELS.map((l) => [l, [] as PackUnit[]])) as Record<
		PackLevel,
		PackUnit[]
	>;
	for (const [i, l] of manifest.levels.entries()) {
		if (!l.file) continue;
		units[l.level] =
			(await withLayer(l.file, l, `levels[${i}].fields`, (ctx) => mapUnits(ctx, l.level, l))) ?? [];
	}
	// Derived levels from their children, bottom up; copyParent levels from their parent, top down.
	const levels = manifest.levels;
	for (let i = levels.length - 2; i >= 0; i--) {
		const l = levels[i];
		if (!l.derive) continue;
		const child = levels[i + 1];
		units[l.level] = derivedUnits(l.level, units[child.level]);
		const field = child.fields?.parent ?? child.fields?.parentName ?? 'parent';
		if (!units[l.level].length && units[child.level].length)
			errors.push(
				message(
					'manifest-invalid',
					{
						path: `levels[${i}].derive`,
						reason: {
							zh: `${levelName(child.level).zh}没有上级编号（fields.parent / parentName），无法得出${levelName(l.level).zh}`,
							en: `the ${levelName(child.level).en.toLowerCase()} carry no parent (fields.parent / parentName) to derive ${levelName(l.level).en.toLowerCase()} from`
						}
					},
					{ source: { file: PACK_MANIFEST, field: `levels[${i}].derive` } }
				)
			);
		else
			notes.push(
				message(
					'derived-level',
					{ level: levelName(l.level), field, count: units[l.level].length },
					{ source: { file: child.file ?? PACK_MANIFEST } }
				)
			);
	}
	for (let i = 1; i < levels.length; i++) {
		const l = levels[i];
		if (l.copyParent)
			units[l.level] = copyParentUnits(l.level, units[levels[i - 1].level], levels[i - 1].level);
	}

	const reg = manifest.registers;
	const hazmatSites = reg.hazmatSites
		? ((await withLayer(
				reg.hazmatSites.file,
				reg.hazmatSites,
				'registers.hazmatSites.fields',
				(c) => mapHazmatSites(c, reg.hazmatSites!)
			)) ?? [])
		: [];
	const hazmatLanes = reg.hazmatLanes
		? ((await withLayer(
				reg.hazmatLanes.file,
				reg.hazmatLanes,
				'registers.hazmatLanes.fields',
				(c) => mapLines(c, reg.hazmatLanes!)
			)) ?? [])
		: [];
	const patrolRoutes = reg.patrolRoutes
		? ((await withLayer(
				reg.patrolRoutes.file,
				reg.patrolRoutes,
				'registers.patrolRoutes.fields',
				(c) => mapLines(c, reg.patrolRoutes!)
			)) ?? [])
		: [];
	const routeModes = new Map(
		patrolRoutes.flatMap((r) => (r.mode ? [[r.id, r.mode] as const] : []))
	);
	const patrolUnits = reg.patrolUnits
		? ((await withLayer(
				reg.patrolUnits.file,
				reg.patrolUnits,
				'registers.patrolUnits.fields',
				(c) => mapPatrolUnits(c, reg.patrolUnits!, routeModes)
			)) ?? [])
		: [];

	const assets: Record<string, Uint8Array> = {};
	for (const n of named) if (n.asset) assets[n.file] = bytes.get(n.file)!;

	const hash = createHash('sha256');
	hash.update(manifestBytes);
	for (const name of [...bytes.keys()].sort()) {
		hash.update(`\0${name}\0`);
		hash.update(bytes.get(name)!);
	}
	progress(1, '读取完成', 'Read');
	if (errors.length) return fail();
	return {
		pack: {
			manifest,
			hash: hash.digest('hex'),
			units,
			hazmatSites,
			hazmatLanes,
			patrolRoutes,
			patrolUnits,
			assets,
			notes
		},
		errors,
		notes
	};
}
