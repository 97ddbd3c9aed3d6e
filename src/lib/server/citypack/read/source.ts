/**
 * The files of a pack, from a folder or a zip, read by their pack path ("bounds/grids.zip").
 * A zip is checked before anything is read: no absolute paths, no "..", and it never unpacks to
 * more than PACK_MAX_UNZIPPED_BYTES whatever sizes it declares (counted while inflating, as the
 * plan import does with its MAX_UNZIPPED_BYTES). A zip whose files all sit in one top folder
 * (what zipping a folder gives) is read from inside that folder.
 */
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import JSZip from 'jszip';
import { PACK_MANIFEST } from '$lib/domain/cityPack';
import { ReadError, message } from './messages';

/** Most bytes a pack zip (and every zip inside it, together) may unpack to. A whole city's
 * boundaries, registers and a PMTiles basemap fit; a zip bomb does not. */
export const PACK_MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024;

export interface PackFiles {
	/** For messages: the folder or zip. */
	label: string;
	/** Every file, by pack path ("/"-separated, relative). */
	list(): string[];
	/** A file's bytes, or null when the pack has no such file. */
	read(name: string): Promise<Uint8Array | null>;
}

/** Shared by every unpacking of one pack (its zip and the zips inside it). */
export interface Budget {
	left: number;
	limit: number;
}
export const newBudget = (limit = PACK_MAX_UNZIPPED_BYTES): Budget => ({ left: limit, limit });

const tooLarge = (b: Budget) =>
	new ReadError([message('zip-too-large', { limit: Math.round(b.limit / 1024 / 1024) })]);

/** A path that could escape where it is unpacked (zip-slip) or is absolute. */
export function unsafePath(name: string): boolean {
	return (
		name.startsWith('/') ||
		name.startsWith('\\') ||
		/^[a-z]:/i.test(name) ||
		name.split(/[\\/]/).includes('..') ||
		name.includes('\0')
	);
}

/** One zip entry, inflated while counting against `budget`. */
export function unpack(file: JSZip.JSZipObject, budget: Budget): Promise<Uint8Array> {
	return new Promise((resolve, reject) => {
		const parts: Buffer[] = [];
		const stream = file.nodeStream('nodebuffer');
		stream
			.on('data', (chunk: Buffer) => {
				budget.left -= chunk.byteLength;
				if (budget.left < 0) {
					stream.pause();
					reject(tooLarge(budget));
				} else parts.push(chunk);
			})
			.on('error', reject)
			.on('end', () => resolve(new Uint8Array(Buffer.concat(parts))));
	});
}

/**
 * A zip's entries (files only, __MACOSX skipped), checked for unsafe paths and declared sizes.
 * Throws ReadError (zip-unsafe, zip-too-large, source-unreadable).
 */
export async function openZip(
	bytes: Uint8Array,
	label: string,
	budget: Budget
): Promise<Map<string, JSZip.JSZipObject>> {
	let zip: JSZip;
	try {
		zip = await JSZip.loadAsync(bytes);
	} catch (err) {
		throw new ReadError([
			message('source-unreadable', {
				pack: label,
				reason: {
					zh: `不是可读的 zip（${(err as Error).message}）`,
					en: `not a readable zip (${(err as Error).message})`
				}
			})
		]);
	}
	const entries = new Map<string, JSZip.JSZipObject>();
	let declared = 0;
	for (const [name, entry] of Object.entries(zip.files)) {
		// JSZip strips "../" from names and keeps what the zip said in unsafeOriginalName.
		const original = (entry as { unsafeOriginalName?: string }).unsafeOriginalName ?? name;
		if (unsafePath(original) || unsafePath(name))
			throw new ReadError([message('zip-unsafe', { path: original }, { source: { file: label } })]);
		if (entry.dir || name.startsWith('__MACOSX/') || name.includes('/__MACOSX/')) continue;
		declared +=
			(entry as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize ?? 0;
		entries.set(name.replace(/\\/g, '/'), entry);
	}
	if (declared > budget.left) throw tooLarge(budget);
	return entries;
}

function zipFiles(
	entries: Map<string, JSZip.JSZipObject>,
	label: string,
	budget: Budget
): PackFiles {
	// One top folder holding city.json (a zipped folder): read from inside it.
	let prefix = '';
	if (!entries.has(PACK_MANIFEST)) {
		const tops = [...entries.keys()].filter(
			(n) => n.split('/').length === 2 && n.endsWith('/' + PACK_MANIFEST)
		);
		if (tops.length === 1) prefix = tops[0].slice(0, -PACK_MANIFEST.length);
	}
	const names = [...entries.keys()]
		.filter((n) => n.startsWith(prefix))
		.map((n) => n.slice(prefix.length));
	const cache = new Map<string, Promise<Uint8Array>>();
	return {
		label,
		list: () => names,
		read(name) {
			const entry = entries.get(prefix + normalise(name));
			if (!entry) return Promise.resolve(null);
			let p = cache.get(name);
			if (!p) cache.set(name, (p = unpack(entry, budget)));
			return p;
		}
	};
}

const normalise = (name: string) => name.replace(/\\/g, '/').replace(/^\.\//, '');

async function folderFiles(root: string): Promise<PackFiles> {
	const real = await realpath(root);
	const names: string[] = [];
	async function walk(dir: string, rel: string) {
		for (const e of await readdir(dir, { withFileTypes: true })) {
			const r = rel ? `${rel}/${e.name}` : e.name;
			if (e.isDirectory()) await walk(path.join(dir, e.name), r);
			else if (e.isFile() || e.isSymbolicLink()) names.push(r);
		}
	}
	await walk(real, '');
	return {
		label: root,
		list: () => names,
		async read(name) {
			if (unsafePath(name)) return null;
			const full = path.join(real, normalise(name));
			try {
				// A link pointing out of the pack folder is not part of the pack.
				const target = await realpath(full);
				if (target !== real && !target.startsWith(real + path.sep)) return null;
				if (!(await stat(target)).isFile()) return null;
				return new Uint8Array(await readFile(target));
			} catch {
				return null;
			}
		}
	};
}

/** A folder path, a .zip path or zip bytes → the pack's files. Throws ReadError. */
export async function openPack(
	source: string | { zip: Uint8Array; name?: string },
	budget: Budget
): Promise<PackFiles> {
	if (typeof source !== 'string') {
		const label = source.name ?? 'upload.zip';
		return zipFiles(await openZip(source.zip, label, budget), label, budget);
	}
	let info;
	try {
		info = await stat(source);
	} catch (err) {
		throw new ReadError([
			message('source-unreadable', {
				pack: source,
				reason: {
					zh: `不存在或无法访问（${(err as NodeJS.ErrnoException).code}）`,
					en: `no such file or folder (${(err as NodeJS.ErrnoException).code})`
				}
			})
		]);
	}
	if (info.isDirectory()) return folderFiles(source);
	const bytes = new Uint8Array(await readFile(source));
	return zipFiles(await openZip(bytes, source, budget), source, budget);
}
