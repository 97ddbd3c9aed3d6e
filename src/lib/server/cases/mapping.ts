/**
 * From a case file's columns to OneMap's fields. A mapping names, for each field, the column (or
 * candidate columns, the first present wins) it comes from, the coordinate system of lon/lat, and
 * value vocabularies on top of the built-in ones (Chinese names → OneMap's types, statuses,
 * priorities, sources). A value no vocabulary knows is listed in the report and its row refused —
 * never guessed. DEFAULT_MAPPING reads a typical 12345 hotline export (工单编号, 诉求类型, 来电时间,
 * 办结时间, 处理状态, 诉求内容, 地址, 经度, 纬度); a JSON mapping file (`--mapping m.json`)
 * overrides it field by field.
 */
import { z } from 'zod';
import {
	INCIDENT_SOURCES,
	INCIDENT_STATUSES,
	INCIDENT_TYPES,
	type IncidentSource,
	type IncidentStatus,
	type IncidentType
} from '$lib/domain/incidents';
import { parseIsoTime } from '$lib/domain/time';
import {
	BD09,
	CGCS2000,
	converterToWgs84,
	crsByName,
	GCJ02,
	implausibleReason,
	type Crs
} from '$lib/geo/crs';
import { defaultPriority } from '../incidents/validate';

export const CASE_FIELDS = [
	'externalId',
	'type',
	'source',
	'status',
	'priority',
	'reportedAt',
	'closedAt',
	'description',
	'address',
	'lon',
	'lat',
	'crs'
] as const;
export type CaseField = (typeof CASE_FIELDS)[number];

/** Fields a file must have a column for. */
export const REQUIRED_FIELDS: readonly CaseField[] = ['externalId', 'type', 'reportedAt'];

/** Chinese names of the fields, for reports. */
export const FIELD_LABELS: Record<CaseField, string> = {
	externalId: '案件编号',
	type: '类型',
	source: '来源',
	status: '状态',
	priority: '紧急程度',
	reportedAt: '上报时间',
	closedAt: '办结时间',
	description: '描述',
	address: '地址',
	lon: '经度',
	lat: '纬度',
	crs: '坐标系'
};

export type VocabularyField = 'type' | 'status' | 'priority' | 'source';

export interface CaseMapping {
	/** The system the file comes from ("12345"): with the case number, the case's identity. */
	source: string;
	/** The OneMap source of the cases when the file has no source column (or it is empty). */
	incidentSource: IncidentSource;
	/** The coordinate system of lon/lat when the file has no crs column: "CGCS2000", "GCJ-02", "EPSG:4527" … */
	crs: string;
	/** Field → the file's column, or candidate columns (the first present wins). */
	columns: Partial<Record<CaseField, string | string[]>>;
	/** Extra vocabulary (file value → OneMap value), consulted before the built-in one. */
	values: {
		type?: Record<string, IncidentType>;
		status?: Record<string, IncidentStatus>;
		priority?: Record<string, number>;
		source?: Record<string, IncidentSource>;
	};
}

/** What a typical 12345 platform export is called, column by column. */
export const DEFAULT_MAPPING: CaseMapping = {
	source: '12345',
	incidentSource: 'hotline_12345',
	// The national geodetic datum; GCJ-02 exports say so in a 坐标系 column or a mapping file.
	crs: 'CGCS2000',
	columns: {
		externalId: ['工单编号', '工单号', '案件编号', '诉求编号', '编号'],
		type: ['诉求类型', '问题类型', '事件类型', '案件类型', '诉求分类', '问题分类'],
		source: ['来源渠道', '诉求来源', '来源', '渠道'],
		status: ['处理状态', '办理状态', '工单状态', '案件状态', '状态'],
		priority: ['紧急程度', '缓急程度', '优先级'],
		reportedAt: ['来电时间', '受理时间', '上报时间', '登记时间', '创建时间'],
		closedAt: ['办结时间', '结案时间', '完成时间'],
		description: ['诉求内容', '问题描述', '事件描述', '内容'],
		address: ['地址', '事发地址', '诉求地址', '发生地址', '详细地址'],
		lon: ['经度', 'lon', 'lng', 'longitude'],
		lat: ['纬度', 'lat', 'latitude'],
		crs: ['坐标系']
	},
	values: {}
};

const vocab = <T extends string | number>(
	entries: Record<T, string[]>,
	cast: (k: string) => T = (k) => k as T
) => {
	const out = new Map<string, T>();
	for (const [value, names] of Object.entries(entries) as [string, string[]][])
		for (const n of names) out.set(key(n), cast(value));
	return out;
};

/** Built-in names: OneMap's own ids, its Chinese labels and the usual 12345 category names. */
const TYPES = vocab<IncidentType>({
	dispute: [
		'dispute',
		'矛盾纠纷',
		'纠纷',
		'邻里纠纷',
		'劳资纠纷',
		'物业纠纷',
		'家庭纠纷',
		'婚姻家庭'
	],
	public_security: ['public_security', '治安隐患', '社会治安', '治安', '治安管理', '治安问题'],
	work_safety: ['work_safety', '安全生产', '生产安全', '安全隐患'],
	pollution: [
		'pollution',
		'环境污染',
		'环境保护',
		'生态环境',
		'噪音扰民',
		'噪声扰民',
		'噪音污染',
		'大气污染',
		'水污染',
		'油烟污染'
	],
	city_appearance: [
		'city_appearance',
		'市容环境',
		'市容市貌',
		'市容环卫',
		'城市管理',
		'占道经营',
		'违法建设',
		'违章建筑',
		'垃圾清运',
		'环境卫生'
	],
	livelihood: [
		'livelihood',
		'民生诉求',
		'民生诉求/12345',
		'民生服务',
		'公共服务',
		'供水',
		'供电',
		'供气',
		'供暖',
		'供热',
		'住房保障',
		'社会保障',
		'医疗卫生',
		'教育'
	],
	hazmat_alarm: ['hazmat_alarm', '危化品告警', '危化品', '危险化学品'],
	fire_hazard: ['fire_hazard', '消防隐患', '消防安全', '消防'],
	traffic: ['traffic', '交通秩序', '交通管理', '交通', '违章停车', '违法停车', '乱停车']
});

/** 12345 handling states onto the GB/T 30428 cycle. */
const STATUSES = vocab<IncidentStatus>({
	reported: ['reported', '上报/受理', '上报', '受理', '待受理', '已受理', '待处理', '新建'],
	registered: ['registered', '立案', '已立案', '待派单'],
	dispatched: [
		'dispatched',
		'派遣',
		'已派遣',
		'已派单',
		'派单',
		'转办',
		'已转办',
		'待签收',
		'已签收'
	],
	handling: ['handling', '处置', '处置中', '处理中', '办理中', '正在办理', '已接单'],
	verifying: ['verifying', '核查', '核查中', '待核查', '待回访', '回访中', '待审核', '审核中'],
	closed: [
		'closed',
		'结案',
		'已结案',
		'办结',
		'已办结',
		'已完成',
		'完成',
		'已回访',
		'已关闭',
		'关闭',
		'已归档'
	]
});

const PRIORITIES = vocab<number>(
	{
		1: ['1', '特急', '特别紧急'],
		2: ['2', '紧急', '加急', '急'],
		3: ['3', '较急', '比较紧急', '重要'],
		4: ['4', '一般', '普通', '常规', '正常', '不紧急']
	},
	Number
);

const SOURCES = vocab<IncidentSource>({
	hotline_12345: ['hotline_12345', '12345', '12345热线', '热线', '热线电话', '市民热线', '电话'],
	grid_worker: ['grid_worker', '网格员上报', '网格员', '网格', '网格巡查'],
	video_patrol: ['video_patrol', '视频巡查', '视频', '视频监控', '雪亮工程', '智能发现'],
	resident_app: [
		'resident_app',
		'居民App',
		'App',
		'市民App',
		'随手拍',
		'微信',
		'小程序',
		'网站',
		'网络'
	]
});

/** CRS names a 坐标系 column may hold, beyond crsByName's. */
const CRS_ALIASES = new Map<string, Crs>([
	['高德', GCJ02],
	['腾讯', GCJ02],
	['火星坐标', GCJ02],
	['百度', BD09],
	['国家2000', CGCS2000],
	['2000国家大地坐标系', CGCS2000],
	['cgcs2000', CGCS2000]
]);

/** The lookup key of a value: full-width folded (NFKC), trimmed, lower case, no inner spaces. */
export function key(value: string): string {
	return value.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, '');
}

const BUILT_IN = { type: TYPES, status: STATUSES, priority: PRIORITIES, source: SOURCES };

/** A mapping's columns resolved against a file's header. */
export interface ResolvedMapping {
	mapping: CaseMapping;
	/** Field → the file's column it is read from (absent: not in the file). */
	columns: Partial<Record<CaseField, string>>;
	/** Required fields no column was found for (the file cannot be imported). */
	missing: CaseField[];
	crs: Crs;
	vocab: Record<VocabularyField, Map<string, string | number>>;
	/** Raw cell text → vocabulary value (null: unknown), per field: files repeat few values. */
	seen: Record<VocabularyField, Map<string, string | number | null>>;
}

export class MappingError extends Error {}

/** Matches the mapping to the header (names compared after NFKC, trim, case). */
export function resolveMapping(mapping: CaseMapping, header: string[]): ResolvedMapping {
	const byKey = new Map(header.map((h) => [key(h), h]));
	const columns: Partial<Record<CaseField, string>> = {};
	for (const field of CASE_FIELDS) {
		const want = mapping.columns[field];
		const names = want === undefined ? [] : Array.isArray(want) ? want : [want];
		const hit = names.map((n) => byKey.get(key(n))).find((c) => c !== undefined);
		if (hit) columns[field] = hit;
	}
	const missing = REQUIRED_FIELDS.filter((f) => !columns[f]);
	const crs = crsByName(mapping.crs) ?? CRS_ALIASES.get(key(mapping.crs));
	if (!crs)
		throw new MappingError(
			`映射的坐标系“${mapping.crs}”无法识别 · the mapping's crs "${mapping.crs}" is unknown (WGS84, CGCS2000, GCJ-02, BD-09, EPSG:4490, EPSG:4491–4554)`
		);
	const vocab = {} as ResolvedMapping['vocab'];
	for (const f of ['type', 'status', 'priority', 'source'] as const) {
		const m = new Map<string, string | number>(BUILT_IN[f]);
		for (const [k, v] of Object.entries(mapping.values[f] ?? {})) m.set(key(k), v);
		vocab[f] = m;
	}
	const seen = { type: new Map(), status: new Map(), priority: new Map(), source: new Map() };
	return { mapping, columns, missing, crs, vocab, seen };
}

/** Why one field of a row was refused. */
export interface RowProblem {
	field: CaseField;
	/** The file's column (or the field's Chinese name when the file has none). */
	column: string;
	code:
		| 'missing'
		| 'unmapped'
		| 'bad-time'
		| 'future'
		| 'closed-before-reported'
		| 'no-coordinates'
		| 'bad-coordinates'
		| 'unknown-crs'
		| 'too-long'
		| 'outside'
		| 'duplicate';
	/** The offending value (for `unmapped`: what to add to the mapping's values). */
	value?: string;
	zh: string;
	en: string;
}

/** A row as stored (coordinates already WGS84). */
export interface CaseRow {
	row: number;
	externalId: string;
	type: IncidentType;
	source: IncidentSource;
	status: IncidentStatus;
	priority: number;
	ts: number;
	closedTs: number | null;
	description: string | null;
	address: string | null;
	lon: number;
	lat: number;
	/** The CRS the row's coordinates were written in ("cgcs2000", "gcj02", "EPSG:4527" …). */
	crs: string;
}

export const MAX_TEXT = 10_000;
const MAX_ID = 100;
/** Cases may be a little late, not early (clock skew of the exporting system). */
const MAX_FUTURE_MS = 5 * 60_000;
const MIN_TS = Date.UTC(2000, 0, 1);
/** Excel serial day 25569 is 1970-01-01. */
const EXCEL_EPOCH_DAYS = 25_569;

/** What most exports write: 2026-01-05 10:00:00. */
const FAST_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const TIME =
	/^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A case time → epoch ms, or NaN. Without an offset it is China time (time.ts): "2026-01-05
 * 10:00:00", "2026/1/5 10:00", "2026年1月5日 10时00分", "2026-01-05T10:00:00+08:00", a bare date
 * (the start of that CST day), an Excel serial day number (wall-clock, China time) or epoch ms.
 */
export function parseCaseTime(raw: unknown): number {
	if (typeof raw === 'number') {
		if (raw > 1e11) return Number.isSafeInteger(raw) ? raw : NaN;
		if (raw > 0 && raw < 100_000)
			return Math.round((raw - EXCEL_EPOCH_DAYS) * 86_400_000) - 8 * 3_600_000;
		return NaN;
	}
	if (typeof raw !== 'string') return NaN;
	const fast = FAST_TIME.exec(raw);
	if (fast) {
		const [, y, mo, d, hh, mi, ss] = fast;
		return parseIsoTime(`${y}-${mo}-${d}T${hh}:${mi}:${ss}`);
	}
	const s = raw
		.normalize('NFKC')
		.trim()
		.replace(/[年月/.]/g, '-')
		.replace(/日/g, ' ')
		.replace(/[时点]/g, ':')
		.replace(/分/g, ':')
		.replace(/秒/g, '')
		.replace(/:(\s|$)/g, '$1')
		.replace(/\s+/g, ' ')
		.trim();
	const m = TIME.exec(s);
	if (!m) return NaN;
	const [, y, mo, d, hh, mi, ss, frac, zone] = m;
	let iso = `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
	if (hh !== undefined)
		iso += `T${hh.padStart(2, '0')}:${mi.padStart(2, '0')}:${(ss ?? '0').padStart(2, '0')}${frac ?? ''}`;
	if (zone) {
		if (hh === undefined) return NaN;
		iso +=
			zone.toUpperCase() === 'Z'
				? 'Z'
				: zone.length === 5
					? `${zone.slice(0, 3)}:${zone.slice(3)}`
					: zone;
	}
	return parseIsoTime(iso);
}

function vocabularyValue(
	vocab: Map<string, string | number>,
	raw: string,
	levels: boolean
): string | number | null {
	const hit = vocab.get(key(raw));
	if (hit !== undefined) return hit;
	// "城市管理-市容环境-占道经营": the most specific level the vocabulary knows.
	if (levels) {
		const parts = raw.split(/[/>\\|｜、—\-–]+/).filter(Boolean);
		for (let i = parts.length - 1; i >= 0 && parts.length > 1; i--) {
			const part = vocab.get(key(parts[i]));
			if (part !== undefined) return part;
		}
	}
	return null;
}

/** A coordinate cell → number, NaN when it is not one, null when empty. */
function coordinate(raw: unknown): number | null {
	if (raw === undefined || raw === null) return null;
	if (typeof raw === 'number') return raw;
	const s = String(raw).normalize('NFKC').trim();
	if (!s) return null;
	return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s) ? Number(s) : NaN;
}

const text = (raw: unknown): string | null => {
	if (raw === undefined || raw === null) return null;
	const s = String(raw).trim();
	return s ? s : null;
};

/** The `reported_crs` a CRS is stored as: intake's names where they exist, else its id. */
export function storedCrsName(crs: Crs): string {
	if (crs.id === 'EPSG:4326') return 'wgs84';
	if (crs.id === 'EPSG:4490') return 'cgcs2000';
	if (crs.id === 'GCJ-02') return 'gcj02';
	if (crs.id === 'BD-09') return 'bd09';
	return crs.id;
}

const converters = new Map<string, (p: readonly number[]) => [number, number]>();
function toWgs84(crs: Crs, p: [number, number]): [number, number] {
	let f = converters.get(crs.id);
	if (!f) converters.set(crs.id, (f = converterToWgs84(crs)));
	return f(p);
}

const IMPLAUSIBLE: Record<string, { zh: string; en: string }> = {
	'not-a-number': { zh: '不是数字', en: 'not a number' },
	'metres-in-lonlat': {
		zh: '像是投影坐标（米），请在映射中写明坐标系（如 EPSG:4527）',
		en: 'looks like projected metres: set the mapping crs (e.g. EPSG:4527)'
	},
	swapped: { zh: '经纬度可能写反了', en: 'longitude and latitude look swapped' },
	'outside-china': { zh: '不在中国范围内', en: 'outside China' },
	'lonlat-in-metres': {
		zh: '像是经纬度，但坐标系是投影坐标',
		en: 'looks like lon/lat, but the crs is projected'
	},
	'outside-zone': { zh: '不在该高斯-克吕格带内', en: 'outside the Gauss–Krüger zone' }
};

/**
 * One file row → a case, or the reasons it is refused (every problem of the row, each naming
 * its column). `now` bounds the times (nothing from the future).
 */
export function mapRow(
	r: ResolvedMapping,
	row: number,
	values: Record<string, unknown>,
	now: number
): { ok: CaseRow } | { problems: RowProblem[] } {
	const problems: RowProblem[] = [];
	const col = (f: CaseField) => r.columns[f] ?? FIELD_LABELS[f];
	const get = (f: CaseField) => (r.columns[f] ? values[r.columns[f]!] : undefined);
	const refuse = (
		field: CaseField,
		code: RowProblem['code'],
		zh: string,
		en: string,
		value?: unknown
	) => {
		const p: RowProblem = { field, column: col(field), code, zh, en };
		if (value !== undefined) p.value = String(value);
		problems.push(p);
	};
	const missing = (f: CaseField) => refuse(f, 'missing', `${FIELD_LABELS[f]}为空`, `${f} is empty`);
	const lookup = <T>(f: VocabularyField): T | null | undefined => {
		const raw = text(get(f));
		if (raw === null) return null;
		const seen = r.seen[f];
		let hit = seen.get(raw);
		if (hit === undefined) {
			hit = vocabularyValue(r.vocab[f], raw, f === 'type');
			if (seen.size < 10_000) seen.set(raw, hit);
		}
		if (hit !== null) return hit as T;
		refuse(
			f,
			'unmapped',
			`${FIELD_LABELS[f]}“${raw}”没有对应的 OneMap 取值（请在映射的 values.${f} 中补充）`,
			`unknown ${f} "${raw}" (add it to the mapping's values.${f})`,
			raw
		);
		return undefined;
	};

	const externalId = text(get('externalId'));
	if (externalId === null) missing('externalId');
	else if (externalId.length > MAX_ID)
		refuse(
			'externalId',
			'too-long',
			`案件编号超过 ${MAX_ID} 个字符`,
			`longer than ${MAX_ID} characters`
		);

	const type = lookup<IncidentType>('type');
	if (type === null) missing('type');
	const source = lookup<IncidentSource>('source') ?? (r.mapping.incidentSource as IncidentSource);
	const status = lookup<IncidentStatus>('status');
	const priority = lookup<number>('priority');

	const time = (f: 'reportedAt' | 'closedAt'): number | null => {
		const raw = get(f);
		if (raw === undefined || (typeof raw === 'string' && !raw.trim())) return null;
		const ms = parseCaseTime(raw);
		if (Number.isNaN(ms) || ms < MIN_TS) {
			refuse(
				f,
				'bad-time',
				`${FIELD_LABELS[f]}“${String(raw)}”不是有效时间（如 2026-01-05 10:00:00，北京时间）`,
				`"${String(raw)}" is not a time (e.g. 2026-01-05 10:00:00, China time)`,
				raw
			);
			return null;
		}
		if (ms > now + MAX_FUTURE_MS) {
			refuse(
				f,
				'future',
				`${FIELD_LABELS[f]}“${String(raw)}”在将来`,
				`"${String(raw)}" lies in the future`,
				raw
			);
			return null;
		}
		return ms;
	};
	const ts = time('reportedAt');
	if (ts === null && !problems.some((p) => p.field === 'reportedAt')) missing('reportedAt');
	let closedTs = time('closedAt');
	if (ts !== null && closedTs !== null && closedTs < ts)
		refuse(
			'closedAt',
			'closed-before-reported',
			'办结时间早于上报时间',
			'the closing time lies before the reported time',
			get('closedAt')
		);
	// Without a status column the closing time says it; with one, only a closed case keeps it.
	const finalStatus: IncidentStatus | undefined =
		status === undefined ? undefined : (status ?? (closedTs !== null ? 'closed' : 'reported'));
	if (finalStatus !== 'closed') closedTs = null;

	const description = text(get('description'));
	if (description && description.length > MAX_TEXT)
		refuse(
			'description',
			'too-long',
			`描述超过 ${MAX_TEXT} 个字符`,
			`longer than ${MAX_TEXT} characters`
		);
	const address = text(get('address'));
	if (address && address.length > 500)
		refuse('address', 'too-long', '地址超过 500 个字符', 'longer than 500 characters');

	let crs = r.crs;
	const crsRaw = text(get('crs'));
	if (crsRaw !== null) {
		const c = crsByName(crsRaw) ?? CRS_ALIASES.get(key(crsRaw));
		if (c) crs = c;
		else
			refuse(
				'crs',
				'unknown-crs',
				`坐标系“${crsRaw}”无法识别`,
				`unknown coordinate system "${crsRaw}"`,
				crsRaw
			);
	}
	const lonLat = () => `${col('lon')}, ${col('lat')}`;
	const x = coordinate(get('lon'));
	const y = coordinate(get('lat'));
	let lon = NaN,
		lat = NaN;
	if (x === null || y === null) {
		const f = x === null ? 'lon' : 'lat';
		refuse(
			f,
			'no-coordinates',
			'没有坐标（按地址定位尚未提供）',
			'no coordinates (address geocoding not yet available)'
		);
		if (x === null && y === null) problems[problems.length - 1].column = lonLat();
	} else {
		const why = implausibleReason(crs, [x, y]);
		if (why) {
			const m = IMPLAUSIBLE[why];
			refuse(
				'lon',
				'bad-coordinates',
				`坐标 (${get('lon')}, ${get('lat')}) ${m.zh}`,
				`coordinates (${get('lon')}, ${get('lat')}) ${m.en}`,
				`${get('lon')}, ${get('lat')}`
			);
			problems[problems.length - 1].column = lonLat();
		} else [lon, lat] = toWgs84(crs, [x, y]);
	}

	if (problems.length || externalId === null || !type || ts === null || !finalStatus)
		return { problems };
	return {
		ok: {
			row,
			externalId,
			type,
			source,
			status: finalStatus,
			priority: priority ?? defaultPriority(type),
			ts,
			closedTs,
			description,
			address,
			lon,
			lat,
			crs: storedCrsName(crs)
		}
	};
}

const ID = /^[\p{L}\p{N}_.-]{1,40}$/u;
const enumMap = <T extends readonly [string, ...string[]]>(values: T) =>
	z.record(z.string(), z.enum(values));

/** A mapping file as written by hand: every key optional, merged over DEFAULT_MAPPING. */
export const mappingFileSchema = z.strictObject({
	source: z
		.string()
		.regex(ID, { error: 'letters, digits, _ . - (at most 40), e.g. "12345"' })
		.optional(),
	incidentSource: z.enum(INCIDENT_SOURCES).optional(),
	crs: z.string().optional(),
	columns: z
		.partialRecord(z.enum(CASE_FIELDS), z.union([z.string(), z.array(z.string()).min(1)]))
		.optional(),
	values: z
		.strictObject({
			type: enumMap(INCIDENT_TYPES).optional(),
			status: enumMap(INCIDENT_STATUSES).optional(),
			priority: z.record(z.string(), z.number().int().min(1).max(4)).optional(),
			source: enumMap(INCIDENT_SOURCES).optional()
		})
		.optional()
});
export type MappingFile = z.infer<typeof mappingFileSchema>;

/** A mapping file's JSON over a base mapping (the default, or the one saved for the source). */
export function mergeMapping(base: CaseMapping, file: unknown): CaseMapping {
	const parsed = mappingFileSchema.safeParse(file);
	if (!parsed.success) {
		const first = parsed.error.issues[0];
		throw new MappingError(
			`映射文件有误 · mapping file: ${first.path.join('.') || '(top)'}: ${first.message}`
		);
	}
	const m = parsed.data;
	return {
		source: m.source ?? base.source,
		incidentSource: m.incidentSource ?? base.incidentSource,
		crs: m.crs ?? base.crs,
		columns: { ...base.columns, ...m.columns },
		values: {
			type: { ...base.values.type, ...m.values?.type },
			status: { ...base.values.status, ...m.values?.status },
			priority: { ...base.values.priority, ...m.values?.priority },
			source: { ...base.values.source, ...m.values?.source }
		}
	};
}

/** True when `name` is usable as an import source ("12345", "grid-app"). */
export const validSourceName = (name: string) => ID.test(name);
