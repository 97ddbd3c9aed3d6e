/**
 * Text encodings: UTF-8 (with or without BOM) unless the bytes are not valid UTF-8, then
 * GB18030 (the superset of GBK/GB2312 Chinese Windows software writes), noted. An explicit
 * `encoding` (city.json) or a Shapefile's `.cpg` wins.
 */
import iconv from 'iconv-lite';
import type { PackMessage } from '$lib/domain/cityPack';
import { message } from './messages';

/** Code pages as .cpg files write them → an encoding iconv-lite / TextDecoder know. */
const CODE_PAGES: Record<string, string> = {
	'65001': 'utf-8',
	'936': 'gbk',
	'54936': 'gb18030',
	'950': 'big5',
	'1252': 'windows-1252',
	'437': 'cp437'
};

/** "UTF-8", "ANSI 936", "CP936", "GBK", "gb2312" … → a canonical label, or null when unknown. */
export function normaliseEncoding(raw: string): string | null {
	const s = raw.trim().toLowerCase();
	const num = /^(?:ansi\s*|cp|windows-)?(\d+)$/.exec(s);
	if (num)
		return CODE_PAGES[num[1]] ?? (iconv.encodingExists(`cp${num[1]}`) ? `cp${num[1]}` : null);
	if (s === 'utf8' || s === 'utf-8') return 'utf-8';
	if (s === 'gb2312' || s === 'gbk') return 'gbk';
	return iconv.encodingExists(s) ? s : null;
}

const BOM = [0xef, 0xbb, 0xbf];

export function isUtf8(bytes: Uint8Array): boolean {
	try {
		new TextDecoder('utf-8', { fatal: true }).decode(bytes);
		return true;
	} catch {
		return false;
	}
}

export function decode(bytes: Uint8Array, encoding: string): string {
	if (encoding === 'utf-8') {
		const start = BOM.every((b, i) => bytes[i] === b) ? 3 : 0;
		return new TextDecoder('utf-8').decode(bytes.subarray(start));
	}
	return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
}

/**
 * Bytes → text with the encoding chosen as above; a note says which when it is not plain UTF-8.
 * `explicit`: the manifest's `encoding`.
 */
export function decodeText(
	bytes: Uint8Array,
	file: string,
	explicit?: string
): { text: string; encoding: string; notes: PackMessage[] } {
	const notes: PackMessage[] = [];
	if (explicit) {
		const enc = normaliseEncoding(explicit) ?? 'utf-8';
		notes.push(
			message(
				'encoding-used',
				{
					encoding: enc,
					why:
						enc === 'utf-8' && normaliseEncoding(explicit) === null
							? {
									zh: `city.json 写的 ${explicit} 无法识别，按 UTF-8`,
									en: `city.json's ${explicit} is unknown, UTF-8 used`
								}
							: { zh: 'city.json 指定', en: 'set in city.json' }
				},
				{ source: { file } }
			)
		);
		return { text: decode(bytes, enc), encoding: enc, notes };
	}
	if (isUtf8(bytes)) return { text: decode(bytes, 'utf-8'), encoding: 'utf-8', notes };
	notes.push(
		message(
			'encoding-used',
			{
				encoding: 'GB18030',
				why: {
					zh: '文件不是有效的 UTF-8，按 GB18030（GBK）读取；如不对请在 city.json 写 "encoding"',
					en: 'the file is not valid UTF-8, read as GB18030 (GBK); set "encoding" in city.json if that is wrong'
				}
			},
			{ source: { file } }
		)
	);
	return { text: decode(bytes, 'gb18030'), encoding: 'gb18030', notes };
}

/** A sample of text that looks mis-decoded (U+FFFD, or Latin-1 mojibake of Chinese), or null. */
export function misdecoded(values: unknown[]): string | null {
	for (const v of values) {
		if (typeof v !== 'string') continue;
		if (v.includes('\uFFFD') || /[\u00c0-\u00ff]{3,}/.test(v)) return v.slice(0, 20);
	}
	return null;
}
