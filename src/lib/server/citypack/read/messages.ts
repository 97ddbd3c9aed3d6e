/**
 * Every message the city pack reader can print, with its stable code and its Chinese and English
 * templates (`{name}` placeholders), so docs/city-pack.md can list them. A message's text starts
 * with where it is (file, feature or row, field) when it has a location.
 */
import type { PackLevel, PackMessage, SourceRef } from '$lib/domain/cityPack';

interface Template {
	severity: PackMessage['severity'];
	zh: string;
	en: string;
}

export const READ_MESSAGES = {
	'source-unreadable': {
		severity: 'error',
		zh: '无法打开城市数据包 {pack}：{reason}',
		en: 'The city pack {pack} cannot be opened: {reason}'
	},
	'manifest-missing': {
		severity: 'error',
		zh: '数据包中没有 city.json（清单）。请把 city.json 放在文件夹或压缩包的最上层。',
		en: 'The pack has no city.json (the manifest). Put city.json at the top of the folder or zip.'
	},
	'manifest-json': {
		severity: 'error',
		zh: 'city.json 不是有效的 JSON{where}：{reason}',
		en: 'city.json is not valid JSON{where}: {reason}'
	},
	'manifest-invalid': {
		severity: 'error',
		zh: 'city.json 的 {path} 不符合格式：{reason}',
		en: 'city.json at {path} is not valid: {reason}'
	},
	'zip-unsafe': {
		severity: 'error',
		zh: '压缩包中的路径 {path} 不安全（绝对路径或含 ".."），拒绝读取整个数据包。',
		en: 'The zip holds an unsafe path {path} (absolute or with ".."); the pack is refused.'
	},
	'zip-too-large': {
		severity: 'error',
		zh: '压缩包解压后超过 {limit} MiB，拒绝读取（可能是“压缩炸弹”或放错了文件）。',
		en: 'The zip unpacks to more than {limit} MiB and is refused (a zip bomb, or the wrong files?).'
	},
	'file-missing': {
		severity: 'error',
		zh: 'city.json 的 {path} 指定了文件 {file}，但数据包中没有这个文件。',
		en: 'city.json {path} names the file {file}, which is not in the pack.'
	},
	'file-unreadable': {
		severity: 'error',
		zh: '无法读取：{reason}',
		en: 'Cannot be read: {reason}'
	},
	'format-unknown': {
		severity: 'error',
		zh: '不支持的文件类型 {ext}（边界和线：.geojson/.json、.zip/.shp、.gpkg；表格：.csv、.xlsx、.json）。',
		en: 'Unsupported file type {ext} (boundaries and lines: .geojson/.json, .zip/.shp, .gpkg; tables: .csv, .xlsx, .json).'
	},
	'layer-missing': {
		severity: 'error',
		zh: '文件中没有图层 {layer}（有：{layers}）。',
		en: 'The file has no layer {layer} (it has: {layers}).'
	},
	'layer-ambiguous': {
		severity: 'error',
		zh: '文件中有多个图层（{layers}），请在 city.json 中用 "layer" 指定一个。',
		en: 'The file holds several layers ({layers}); name one with "layer" in city.json.'
	},
	'geometry-invalid': {
		severity: 'error',
		zh: '几何无效：{reason}',
		en: 'Invalid geometry: {reason}'
	},
	'geometry-type': {
		severity: 'error',
		zh: '几何类型须是{expected}，实际是 {actual}。',
		en: 'The geometry must be {expected}, got {actual}.'
	},
	'multiline-parts': {
		severity: 'error',
		zh: '线由 {parts} 段组成（MultiLineString）；每条路线/通道须是一条连续的线，请合并或拆成多条记录。',
		en: 'The line has {parts} parts (MultiLineString); each route/lane must be one continuous line: join them or split them into separate records.'
	},
	'crs-unknown': {
		severity: 'error',
		zh: '坐标系无法识别：{crs}。支持 EPSG:4326、EPSG:4490、EPSG:4491–4554（CGCS2000 高斯–克吕格）、GCJ-02、BD-09。',
		en: 'Unknown coordinate system: {crs}. Supported: EPSG:4326, EPSG:4490, EPSG:4491–4554 (CGCS2000 Gauss–Krüger), GCJ-02, BD-09.'
	},
	'crs-mismatch': {
		severity: 'error',
		zh: '坐标 ({x}, {y}) 与坐标系 {crs} 不符：{reason}。',
		en: 'Coordinates ({x}, {y}) do not fit the coordinate system {crs}: {reason}.'
	},
	'field-missing': {
		severity: 'error',
		zh: '字段 {field}（{role}）没有值。',
		en: 'Field {field} ({role}) has no value.'
	},
	'field-unknown': {
		severity: 'error',
		zh: 'city.json 的 {path} 指定的列 {field}（{role}）在文件中不存在；文件中的列有：{columns}。',
		en: 'city.json {path} maps {role} to the column {field}, which the file does not have; its columns are: {columns}.'
	},
	'field-invalid': {
		severity: 'error',
		zh: '字段 {field}（{role}）的值 "{value}" 无效：{reason}',
		en: 'Field {field} ({role}) has an invalid value "{value}": {reason}'
	},
	'id-duplicate': {
		severity: 'error',
		zh: '编号 {id} 重复（与{first}相同）。',
		en: 'The id {id} is repeated (as {first}).'
	},
	'crs-used': {
		severity: 'note',
		zh: '坐标系：{crs}（{why}）。',
		en: 'Coordinate system: {crs} ({why}).'
	},
	'encoding-used': {
		severity: 'note',
		zh: '文字编码：{encoding}（{why}）。',
		en: 'Text encoding: {encoding} ({why}).'
	},
	'text-misdecoded': {
		severity: 'note',
		zh: '属性文字看起来解码错误（如 "{sample}"）；若是 GBK/GB18030 编码的 DBF，请加 .cpg 文件或在 city.json 中写 "encoding": "GB18030"。',
		en: 'Attribute text looks mis-decoded (e.g. "{sample}"); for a GBK/GB18030 DBF add a .cpg file or set "encoding": "GB18030" in city.json.'
	},
	'defaults-used': {
		severity: 'note',
		zh: '{count} 条记录未给出 {field}，使用默认值 {value}。',
		en: '{count} records have no {field}; the default {value} is used.'
	},
	'derived-level': {
		severity: 'note',
		zh: '{level}由下级的 {field} 字段得出：{count} 个。',
		en: '{level} derived from the children’s {field} field: {count}.'
	}
} as const satisfies Record<string, Template>;

export type ReadCode = keyof typeof READ_MESSAGES;

/** Every reader message as a list, for docs/city-pack.md: code, severity, both templates. */
export const READ_MESSAGE_LIST: {
	code: ReadCode;
	severity: PackMessage['severity'];
	zh: string;
	en: string;
}[] = (Object.keys(READ_MESSAGES) as ReadCode[]).map((code) => ({ code, ...READ_MESSAGES[code] }));

/** Reasons inside messages (crs-mismatch, field-invalid, geometry-invalid), both languages. */
export const REASONS = {
	'not-a-number': { zh: '不是数字', en: 'not a number' },
	'metres-in-lonlat': {
		zh: '像是投影坐标（米），但文件声明为经纬度',
		en: 'looks like projected metres in a file declared as longitude/latitude'
	},
	swapped: { zh: '经度和纬度可能颠倒了', en: 'longitude and latitude look swapped' },
	'outside-china': {
		zh: '不在中国范围内（70–140°E，0–56°N）',
		en: 'outside China (70–140°E, 0–56°N)'
	},
	'lonlat-in-metres': {
		zh: '像是经纬度，但文件声明为投影坐标（米）',
		en: 'looks like longitude/latitude in a file declared as projected metres'
	},
	'outside-zone': {
		zh: '不在该高斯–克吕格投影带内（请检查带号/东偏移）',
		en: 'outside the Gauss–Krüger zone (check the zone number / false easting)'
	}
} as const;

export type Bi = { zh: string; en: string };

const LEVEL_NAMES: Record<PackLevel, Bi> = {
	district: { zh: '区/县', en: 'Districts' },
	street: { zh: '街道/镇', en: 'Subdistricts/towns' },
	community: { zh: '社区/村', en: 'Communities/villages' },
	grid: { zh: '网格', en: 'Grids' }
};
export const levelName = (level: PackLevel): Bi => LEVEL_NAMES[level];

/** Where a message is, for a person: "districts.geojson 第 3 个要素，字段 name". */
export function locate(source: SourceRef, rows = false): Bi {
	const zh: string[] = [source.file];
	const en: string[] = [source.file];
	if (source.layer) {
		zh.push(`图层 ${source.layer}`);
		en.push(`layer ${source.layer}`);
	}
	if (source.index !== undefined) {
		const n = source.index + 1;
		zh.push(rows ? `第 ${n} 行` : `第 ${n} 个要素`);
		en.push(rows ? `row ${n}` : `feature ${n}`);
	}
	if (source.field) {
		zh.push(`字段 ${source.field}`);
		en.push(`field ${source.field}`);
	}
	return { zh: zh.join(' '), en: en.join(', ') };
}

type Params = Record<string, string | number | Bi>;

function fill(template: string, params: Params, lang: 'zh' | 'en'): string {
	return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
		const v = params[key];
		if (v === undefined) return whole;
		return typeof v === 'object' ? v[lang] : String(v);
	});
}

/** A PackMessage from its code, parameters (a Bi for text that differs by language) and place. */
export function message(
	code: ReadCode,
	params: Params = {},
	where: {
		source?: SourceRef;
		rows?: boolean;
		unit?: PackMessage['unit'];
		at?: [number, number];
	} = {}
): PackMessage {
	const t: Template = READ_MESSAGES[code];
	let zh = fill(t.zh, params, 'zh');
	let en = fill(t.en, params, 'en');
	if (where.source) {
		const loc = locate(where.source, where.rows);
		zh = `${loc.zh}：${zh}`;
		en = `${loc.en}: ${en}`;
	}
	const m: PackMessage = { code, severity: t.severity, zh, en };
	if (where.source) m.source = where.source;
	if (where.unit) m.unit = where.unit;
	if (where.at) m.at = where.at;
	return m;
}

/** Thrown inside a format reader for a problem that stops reading that file. */
export class ReadError extends Error {
	constructor(readonly messages: PackMessage[]) {
		super(messages.map((m) => m.en).join('; '));
	}
}
