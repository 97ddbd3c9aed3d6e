/**
 * Field mapping: a layer's features / rows (coordinates already in WGS84 by project.ts) →
 * OneMap's PackUnit, PackHazmatSite, PackLine, PackPatrolUnit, by the column names city.json
 * gives. Values are read leniently (numbers as "1,234", ids as numbers, lists as arrays or
 * delimited text); a required value missing → field-missing, a value that cannot be read →
 * field-invalid, an id twice in one file → id-duplicate, each located (file, feature/row, field).
 */
import type { Geometry, LineString } from 'geojson';
import type {
	BoundaryLayer,
	CityPackManifest,
	PackHazmatSite,
	PackLevel,
	PackLine,
	PackMessage,
	PackPatrolUnit,
	PackUnit,
	SourceRef
} from '$lib/domain/cityPack';
import { controlCharacter, showControls, textProblem } from '../../http/body';
import { message, type Bi } from './messages';
import type { RawFeature } from './layer';
import type { Projector } from './project';

type Registers = CityPackManifest['registers'];
type SitesLayer = NonNullable<Registers['hazmatSites']>;
type LinesLayer = NonNullable<Registers['hazmatLanes']>;
type UnitsLayer = NonNullable<Registers['patrolUnits']>;

/** The most messages of one code listed per file; the rest are counted in one more. */
export const MAX_LISTED_PER_CODE = 50;

export interface MapContext {
	file: string;
	layer?: string;
	table: boolean;
	features: RawFeature[];
	/** A table's header columns (rows may leave cells out); else the features' property names. */
	columns?: string[];
	/** Where the layer's field mapping is in city.json, e.g. "levels[1].fields". */
	path?: string;
	project: Projector;
	errors: PackMessage[];
	notes: PackMessage[];
}

/** Collects messages for one file, listing at most MAX_LISTED_PER_CODE of each code. */
export function collector(ctx: MapContext) {
	const counts = new Map<string, number>();
	return {
		error(m: PackMessage) {
			const n = (counts.get(m.code) ?? 0) + 1;
			counts.set(m.code, n);
			if (n <= MAX_LISTED_PER_CODE) ctx.errors.push(m);
		},
		finish() {
			for (const [code, n] of counts)
				if (n > MAX_LISTED_PER_CODE) {
					const more = n - MAX_LISTED_PER_CODE;
					ctx.errors.push({
						code,
						severity: 'error',
						zh: `${ctx.file}：另有 ${more} 处同类问题（${code}）未列出。`,
						en: `${ctx.file}: ${more} more problems of this kind (${code}) not listed.`,
						source: { file: ctx.file, layer: ctx.layer }
					});
				}
		}
	};
}
type Collector = ReturnType<typeof collector>;

/** A property by its column name: exact, else case-insensitive (DBF names are often upper case). */
export function prop(p: Record<string, unknown>, column: string): unknown {
	if (column in p) return p[column];
	const lower = column.toLowerCase();
	const hit = Object.keys(p).find((k) => k.toLowerCase() === lower);
	return hit === undefined ? undefined : p[hit];
}

const empty = (v: unknown) =>
	v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** Text of a value: numbers without exponent noise, strings trimmed. */
export function text(v: unknown): string {
	if (empty(v)) return '';
	if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : String(v);
	return String(v).trim();
}

/** A number from 1234, "1,234", "1 234", "１２３４" (full-width), "12.5"; NaN when not one. */
export function lenientNumber(v: unknown): number {
	if (typeof v === 'number') return v;
	const s = String(v)
		.trim()
		.replace(/[０-９．－]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
		.replace(/[,，\s_]/g, '');
	if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return NaN;
	return Number(s);
}

/** A list from an array or delimited text ("苯、甲苯,二甲苯"); JSON array text too. */
export function list(v: unknown, delimiters: string): string[] {
	if (empty(v)) return [];
	if (Array.isArray(v)) return v.map(text).filter(Boolean);
	const s = text(v);
	if (s.startsWith('[')) {
		try {
			const a = JSON.parse(s);
			if (Array.isArray(a)) return a.map(text).filter(Boolean);
		} catch {
			// not JSON: delimited text
		}
	}
	const cls = [...delimiters].map((c) => c.replace(/[\\\]^-]/g, '\\$&')).join('');
	return s
		.split(new RegExp(`[${cls}]`))
		.map((x) => x.trim())
		.filter(Boolean);
}

export const DEFAULT_DELIMITERS = '、,;，；|';

const ROLE: Record<string, Bi> = {
	id: { zh: '编号', en: 'id' },
	name: { zh: '名称', en: 'name' },
	parent: { zh: '上级编号', en: 'parent id' },
	parentName: { zh: '上级名称', en: 'parent name' },
	kind: { zh: '类型', en: 'kind' },
	population: { zh: '人口', en: 'population' },
	households: { zh: '户数', en: 'households' },
	workerName: { zh: '网格员姓名', en: 'grid worker name' },
	workerPhone: { zh: '网格员电话', en: 'grid worker phone' },
	lon: { zh: '经度/X', en: 'longitude/x' },
	lat: { zh: '纬度/Y', en: 'latitude/y' },
	zone: { zh: '园区', en: 'zone' },
	hazardClass: { zh: '危险类别', en: 'hazard class' },
	riskLevel: { zh: '风险等级', en: 'risk level' },
	substances: { zh: '危化品', en: 'substances' },
	quantityTonnes: { zh: '储量（吨）', en: 'quantity (t)' },
	responsibleName: { zh: '负责人', en: 'responsible person' },
	responsiblePhone: { zh: '负责人电话', en: 'responsible phone' },
	riskRadiusM: { zh: '风险半径（米）', en: 'risk radius (m)' },
	mode: { zh: '方式', en: 'mode' },
	siteIds: { zh: '企业编号', en: 'site ids' },
	callsign: { zh: '呼号', en: 'call sign' },
	routeId: { zh: '路线编号', en: 'route id' },
	status: { zh: '状态', en: 'status' },
	track: { zh: '轨迹', en: 'track' }
};

/** Reads the mapped fields of one feature / row, reporting problems against it. */
class Row {
	constructor(
		private readonly ctx: MapContext,
		private readonly out: Collector,
		readonly index: number,
		private readonly props: Record<string, unknown>
	) {}
	ok = true;
	get source(): SourceRef {
		const s: SourceRef = { file: this.ctx.file, index: this.index };
		if (this.ctx.layer) s.layer = this.ctx.layer;
		return s;
	}
	private where(field: string) {
		return { source: { ...this.source, field }, rows: this.ctx.table };
	}
	raw(column: string | undefined): unknown {
		return column ? prop(this.props, column) : undefined;
	}
	/** A required text value (id, name…). */
	required(role: string, column: string): string {
		const v = text(this.raw(column));
		if (!v) {
			this.ok = false;
			this.out.error(
				message('field-missing', { field: column, role: ROLE[role] ?? role }, this.where(column))
			);
		}
		return this.printable(role, column, v);
	}
	optional(column: string | undefined, role = column ?? ''): string {
		return column ? this.printable(role, column, text(this.raw(column))) : '';
	}
	/** Text with a control or bidi character (http/body.ts textProblem) is refused, located. */
	private printable(role: string, column: string, v: string): string {
		const problem = textProblem(v);
		if (problem === null) return v;
		const c = controlCharacter(v);
		this.invalid(role, column, showControls(v), {
			zh: c
				? `含${c.bidi ? '双向文本控制符' : '不可打印的控制字符'} ${c.code}，请删除`
				: '含孤立的 UTF-16 代理项（半个字符）',
			en: problem
		});
		return v;
	}
	invalid(role: string, column: string, value: unknown, reason: Bi) {
		this.ok = false;
		this.out.error(
			message(
				'field-invalid',
				{ field: column, role: ROLE[role] ?? role, value: text(value).slice(0, 60), reason },
				this.where(column)
			)
		);
	}
	/** A number ≥ `min`, or `fallback` when the column is unmapped or the cell empty. */
	number(
		role: string,
		column: string | undefined,
		fallback: number,
		opts: { min?: number; int?: boolean } = {}
	): number {
		const v = this.raw(column);
		if (!column || empty(v)) return fallback;
		const n = lenientNumber(v);
		if (!Number.isFinite(n)) {
			this.invalid(role, column, v, { zh: '不是数字', en: 'not a number' });
			return fallback;
		}
		if (opts.min !== undefined && n < opts.min) {
			this.invalid(role, column, v, { zh: `须 ≥ ${opts.min}`, en: `must be ≥ ${opts.min}` });
			return fallback;
		}
		return opts.int ? Math.round(n) : n;
	}
	missing(column: string | undefined) {
		return !column || empty(this.raw(column));
	}
}

/**
 * Mapped columns the file does not have at all (in no row / feature): one field-unknown each,
 * listing the columns it has. True when there were any (the rows are then not mapped: every
 * one would repeat the same problem).
 */
function unknownColumns(ctx: MapContext, fields: Record<string, string | undefined>): boolean {
	if (!ctx.features.length) return false;
	const have = new Set<string>(ctx.columns ?? []);
	for (const f of ctx.features) for (const k of Object.keys(f.properties)) have.add(k);
	const lower = new Set([...have].map((c) => c.toLowerCase()));
	let any = false;
	for (const [role, column] of Object.entries(fields)) {
		if (!column || lower.has(column.toLowerCase())) continue;
		any = true;
		const list = [...have].slice(0, 40).join(', ') || '—';
		ctx.errors.push(
			message(
				'field-unknown',
				{
					path: `${ctx.path ?? 'fields'}.${role}`,
					field: column,
					role: ROLE[role] ?? role,
					columns: have.size > 40 ? `${list} …` : list
				},
				{
					source: ctx.layer
						? { file: ctx.file, layer: ctx.layer, field: column }
						: { file: ctx.file, field: column }
				}
			)
		);
	}
	return any;
}

/** Ids seen in one file: the second one → id-duplicate. */
function idChecker(ctx: MapContext, out: Collector, column: string) {
	const seen = new Map<string, number>();
	return (id: string, index: number): boolean => {
		if (!id) return true;
		const first = seen.get(id);
		if (first === undefined) {
			seen.set(id, index);
			return true;
		}
		const n = first + 1;
		out.error(
			message(
				'id-duplicate',
				{
					id,
					first: ctx.table
						? { zh: `第 ${n} 行`, en: `row ${n}` }
						: { zh: `第 ${n} 个要素`, en: `feature ${n}` }
				},
				{ source: { file: ctx.file, layer: ctx.layer, index, field: column }, rows: ctx.table }
			)
		);
		return false;
	};
}

const geometryType = (ctx: MapContext, index: number, expected: Bi, actual: string) =>
	message(
		'geometry-type',
		{ expected, actual },
		{ source: { file: ctx.file, layer: ctx.layer, index }, rows: ctx.table }
	);

const geometryError = (ctx: MapContext, index: number, reason: Bi) =>
	message(
		'geometry-invalid',
		{ reason },
		{ source: { file: ctx.file, layer: ctx.layer, index }, rows: ctx.table }
	);

/** The street/community kind from a mapped value: English codes or Chinese words. */
function kindOf(level: PackLevel, v: string): string | null {
	const s = v.trim().toLowerCase();
	if (level === 'street') {
		if (s === 'subdistrict' || /街道|^街$|办事处/.test(s)) return 'subdistrict';
		if (s === 'town' || /镇|乡/.test(s)) return 'town';
		return null;
	}
	if (level === 'community') {
		if (s === 'community' || /社区|居委会|居民委员会/.test(s)) return 'community';
		if (s === 'village' || /村/.test(s)) return 'village';
		return null;
	}
	return v;
}

/** Boundary units of one level from its file. */
export function mapUnits(ctx: MapContext, level: PackLevel, layer: BoundaryLayer): PackUnit[] {
	const f = layer.fields!;
	if (unknownColumns(ctx, f)) return [];
	const out = collector(ctx);
	const unique = idChecker(ctx, out, f.id);
	const units: PackUnit[] = [];
	ctx.features.forEach((feature, i) => {
		const row = new Row(ctx, out, i, feature.properties);
		const id = row.required('id', f.id);
		const name = row.required('name', f.name);
		const parentId = f.parent ? row.required('parent', f.parent) : '';
		const parentName = f.parentName ? row.optional(f.parentName, 'parentName') : undefined;
		let kind: string | undefined;
		if (f.kind && !row.missing(f.kind)) {
			const raw = row.optional(f.kind, 'kind');
			const k = kindOf(level, raw);
			if (k === null)
				row.invalid('kind', f.kind, raw, {
					zh:
						level === 'street'
							? '须是 subdistrict/town（街道/镇）'
							: '须是 community/village（社区/村）',
					en:
						level === 'street'
							? 'must be subdistrict/town (街道/镇)'
							: 'must be community/village (社区/村)'
				});
			else kind = k;
		}
		const population = row.number('population', f.population, 0, { min: 0, int: true });
		const households = row.number('households', f.households, 0, { min: 0, int: true });
		const geometry = polygonal(ctx, out, feature.geometry, i);
		if (!unique(id, i) || !row.ok || !geometry) return;
		const unit: PackUnit = {
			level,
			id,
			name,
			parentId: parentId || null,
			population,
			households,
			workerName: row.optional(f.workerName, 'workerName'),
			workerPhone: row.optional(f.workerPhone, 'workerPhone'),
			geometry,
			source: row.source
		};
		if (parentName) unit.parentName = parentName;
		if (kind) unit.kind = kind;
		units.push(unit);
	});
	out.finish();
	return units;
}

function polygonal(
	ctx: MapContext,
	out: Collector,
	g: Geometry | null,
	i: number
): PackUnit['geometry'] {
	if (!g) {
		out.error(geometryError(ctx, i, { zh: '没有几何', en: 'no geometry' }));
		return null;
	}
	if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') {
		out.error(
			geometryType(
				ctx,
				i,
				{ zh: '面（Polygon/MultiPolygon）', en: 'a Polygon or MultiPolygon' },
				g.type
			)
		);
		return null;
	}
	if (!g.coordinates.length) {
		out.error(geometryError(ctx, i, { zh: '面是空的', en: 'empty polygon' }));
		return null;
	}
	const projected = ctx.project.geometry(g, i);
	if ('error' in projected) {
		out.error(projected.error);
		return null;
	}
	return projected.geometry as PackUnit['geometry'];
}

function lineOf(ctx: MapContext, out: Collector, g: Geometry | null, i: number): LineString | null {
	if (!g) {
		out.error(geometryError(ctx, i, { zh: '没有几何', en: 'no geometry' }));
		return null;
	}
	let line: LineString;
	if (g.type === 'LineString') line = g;
	else if (g.type === 'MultiLineString') {
		if (g.coordinates.length !== 1) {
			out.error(
				message(
					'multiline-parts',
					{ parts: g.coordinates.length },
					{ source: { file: ctx.file, layer: ctx.layer, index: i } }
				)
			);
			return null;
		}
		line = { type: 'LineString', coordinates: g.coordinates[0] };
	} else {
		out.error(geometryType(ctx, i, { zh: '线（LineString）', en: 'a LineString' }, g.type));
		return null;
	}
	if (line.coordinates.length < 2) {
		out.error(geometryError(ctx, i, { zh: '线少于 2 个点', en: 'a line needs at least 2 points' }));
		return null;
	}
	const projected = ctx.project.geometry(line, i);
	if ('error' in projected) {
		out.error(projected.error);
		return null;
	}
	return projected.geometry as LineString;
}

const MODES: Record<string, 'land' | 'sea' | 'air'> = {
	land: 'land',
	sea: 'sea',
	air: 'air',
	陆: 'land',
	陆地: 'land',
	陆上: 'land',
	地面: 'land',
	海: 'sea',
	海上: 'sea',
	水上: 'sea',
	空: 'air',
	空中: 'air',
	低空: 'air'
};
const modeOf = (v: string) => MODES[v.trim().toLowerCase()] ?? null;
const MODE_REASON: Bi = {
	zh: '须是 land/sea/air（陆/海/空）',
	en: 'must be land/sea/air (陆/海/空)'
};

/** Hazmat lanes or patrol routes. */
export function mapLines(ctx: MapContext, layer: LinesLayer): PackLine[] {
	const f = layer.fields;
	if (unknownColumns(ctx, f)) return [];
	const out = collector(ctx);
	const unique = idChecker(ctx, out, f.id);
	const lines: PackLine[] = [];
	ctx.features.forEach((feature, i) => {
		const row = new Row(ctx, out, i, feature.properties);
		const id = row.required('id', f.id);
		const name = row.required('name', f.name);
		let mode: PackLine['mode'];
		if (f.mode && !row.missing(f.mode)) {
			const raw = row.optional(f.mode, 'mode');
			mode = modeOf(raw) ?? undefined;
			if (!mode) row.invalid('mode', f.mode, raw, MODE_REASON);
		}
		const siteIds = f.siteIds ? list(row.raw(f.siteIds), DEFAULT_DELIMITERS) : undefined;
		const geometry = lineOf(ctx, out, feature.geometry, i);
		if (!unique(id, i) || !row.ok || !geometry) return;
		const line: PackLine = { id, name, geometry, source: row.source };
		if (mode) line.mode = mode;
		if (siteIds) line.siteIds = siteIds;
		lines.push(line);
	});
	out.finish();
	return lines;
}

/** 1–4 from 1, "2", "一级", "3级", "IV". */
export function riskLevelOf(v: unknown): 1 | 2 | 3 | 4 | null {
	const s = text(v)
		.replace(/[级級\s]/g, '')
		.toUpperCase();
	const map: Record<string, 1 | 2 | 3 | 4> = {
		'1': 1,
		'2': 2,
		'3': 3,
		'4': 4,
		一: 1,
		二: 2,
		三: 3,
		四: 4,
		I: 1,
		II: 2,
		III: 3,
		IV: 4
	};
	return map[s] ?? null;
}

/** Risk radius when the register gives none, by risk level (the demo city's ranges' middles). */
export const DEFAULT_RISK_RADIUS_M: Record<1 | 2 | 3 | 4, number> = {
	1: 2500,
	2: 1600,
	3: 900,
	4: 450
};
export const DEFAULT_RISK_LEVEL = 4;
export const DEFAULT_HAZARD_CLASS = 9;

/** Hazmat sites: from a point layer, or a table with lon/lat columns. */
export function mapHazmatSites(ctx: MapContext, layer: SitesLayer): PackHazmatSite[] {
	const f = layer.fields;
	// lon/lat columns are read only from tables (and from features without geometry).
	const hasGeometry = !ctx.table && ctx.features.some((x) => x.geometry);
	const lonLat = hasGeometry
		? { lon: undefined, lat: undefined }
		: { lon: f.lon ?? 'lon', lat: f.lat ?? 'lat' };
	if (unknownColumns(ctx, { ...f, ...lonLat })) return [];
	const out = collector(ctx);
	const unique = idChecker(ctx, out, f.id);
	const delimiters = layer.substancesDelimiter ?? DEFAULT_DELIMITERS;
	const defaulted = { riskLevel: 0, hazardClass: 0, riskRadiusM: 0 };
	const sites: PackHazmatSite[] = [];
	const lonCol = f.lon ?? 'lon';
	const latCol = f.lat ?? 'lat';
	ctx.features.forEach((feature, i) => {
		const row = new Row(ctx, out, i, feature.properties);
		const id = row.required('id', f.id);
		const name = row.required('name', f.name);
		let at: [number, number] | null = null;
		if (ctx.table || (!feature.geometry && f.lon && f.lat)) {
			const x = row.missing(lonCol) ? NaN : lenientNumber(row.raw(lonCol));
			const y = row.missing(latCol) ? NaN : lenientNumber(row.raw(latCol));
			if (row.missing(lonCol)) row.required('lon', lonCol);
			else if (!Number.isFinite(x))
				row.invalid('lon', lonCol, row.raw(lonCol), { zh: '不是数字', en: 'not a number' });
			if (row.missing(latCol)) row.required('lat', latCol);
			else if (!Number.isFinite(y))
				row.invalid('lat', latCol, row.raw(latCol), { zh: '不是数字', en: 'not a number' });
			if (Number.isFinite(x) && Number.isFinite(y)) {
				const p = ctx.project.point([x, y], i, ctx.table, lonCol);
				if ('error' in p) {
					out.error(p.error);
					row.ok = false;
				} else at = p.at;
			}
		} else {
			const g = feature.geometry;
			const pt =
				g?.type === 'Point'
					? g.coordinates
					: g?.type === 'MultiPoint' && g.coordinates.length === 1
						? g.coordinates[0]
						: null;
			if (!pt) {
				out.error(
					g
						? geometryType(ctx, i, { zh: '点（Point）', en: 'a Point' }, g.type)
						: geometryError(ctx, i, { zh: '没有几何', en: 'no geometry' })
				);
				row.ok = false;
			} else {
				const p = ctx.project.point([pt[0], pt[1]], i, false);
				if ('error' in p) {
					out.error(p.error);
					row.ok = false;
				} else at = p.at;
			}
		}
		let riskLevel: 1 | 2 | 3 | 4 = DEFAULT_RISK_LEVEL;
		if (f.riskLevel && !row.missing(f.riskLevel)) {
			const r = riskLevelOf(row.raw(f.riskLevel));
			if (r) riskLevel = r;
			else
				row.invalid('riskLevel', f.riskLevel, row.raw(f.riskLevel), {
					zh: '须是 1–4 或 一级–四级',
					en: 'must be 1–4 or 一级–四级'
				});
		} else defaulted.riskLevel++;
		let hazardClass = DEFAULT_HAZARD_CLASS;
		if (f.hazardClass && !row.missing(f.hazardClass)) {
			const raw = row.raw(f.hazardClass);
			const m = /^\s*(?:第\s*)?(\d)(?:\.\d+)?\s*(?:类)?\s*$/.exec(text(raw));
			const n = m ? Number(m[1]) : NaN;
			if (n >= 1 && n <= 9) hazardClass = n;
			else
				row.invalid('hazardClass', f.hazardClass, raw, {
					zh: '须是危险货物类别 1–9（如 3 或 "第3类"）',
					en: 'must be a UN hazard class 1–9 (e.g. 3 or "第3类")'
				});
		} else defaulted.hazardClass++;
		const radiusGiven = f.riskRadiusM && !row.missing(f.riskRadiusM);
		const riskRadiusM = row.number('riskRadiusM', f.riskRadiusM, DEFAULT_RISK_RADIUS_M[riskLevel], {
			min: 0
		});
		if (!radiusGiven) defaulted.riskRadiusM++;
		const site: PackHazmatSite = {
			id,
			name,
			lon: at?.[0] ?? NaN,
			lat: at?.[1] ?? NaN,
			zone: row.optional(f.zone, 'zone'),
			hazardClass,
			riskLevel,
			substances: list(row.raw(f.substances), delimiters),
			quantityTonnes: row.number('quantityTonnes', f.quantityTonnes, 0, { min: 0 }),
			responsibleName: row.optional(f.responsibleName, 'responsibleName'),
			responsiblePhone: row.optional(f.responsiblePhone, 'responsiblePhone'),
			riskRadiusM,
			source: row.source
		};
		if (!unique(id, i) || !row.ok || !at) return;
		sites.push(site);
	});
	out.finish();
	const src = { file: ctx.file, layer: ctx.layer };
	if (defaulted.riskLevel)
		ctx.notes.push(
			message(
				'defaults-used',
				{
					count: defaulted.riskLevel,
					field: { zh: '风险等级', en: 'a risk level' },
					value: {
						zh: `${DEFAULT_RISK_LEVEL}（四级，最低）`,
						en: `${DEFAULT_RISK_LEVEL} (the lowest)`
					}
				},
				{ source: src }
			)
		);
	if (defaulted.hazardClass)
		ctx.notes.push(
			message(
				'defaults-used',
				{
					count: defaulted.hazardClass,
					field: { zh: '危险类别', en: 'a hazard class' },
					value: {
						zh: `${DEFAULT_HAZARD_CLASS}（杂项）`,
						en: `${DEFAULT_HAZARD_CLASS} (miscellaneous)`
					}
				},
				{ source: src }
			)
		);
	if (defaulted.riskRadiusM)
		ctx.notes.push(
			message(
				'defaults-used',
				{
					count: defaulted.riskRadiusM,
					field: { zh: '风险半径', en: 'a risk radius' },
					value: {
						zh: '按风险等级：一级 2500 米、二级 1600 米、三级 900 米、四级 450 米',
						en: 'by risk level: 1: 2500 m, 2: 1600 m, 3: 900 m, 4: 450 m'
					}
				},
				{ source: src }
			)
		);
	return sites;
}

const STATUS: Record<string, NonNullable<PackPatrolUnit['status']>> = {
	on_patrol: 'on_patrol',
	patrol: 'on_patrol',
	巡逻: 'on_patrol',
	巡逻中: 'on_patrol',
	responding: 'responding',
	处置: 'responding',
	处置中: 'responding',
	出警: 'responding',
	standby: 'standby',
	待命: 'standby',
	备勤: 'standby'
};

/** A track from JSON text or an object: {lon:[],lat:[],t:[]} or [{lon,lat,t}…]; null when bad. */
function trackOf(v: unknown): { lon: number[]; lat: number[]; t: number[] } | null {
	let value = v;
	if (typeof v === 'string') {
		try {
			value = JSON.parse(v);
		} catch {
			return null;
		}
	}
	const nums = (a: unknown) =>
		Array.isArray(a) && a.every((x) => typeof x === 'number' && Number.isFinite(x));
	if (Array.isArray(value)) {
		const pts = value as { lon?: unknown; lat?: unknown; t?: unknown }[];
		const track = {
			lon: pts.map((p) => p?.lon),
			lat: pts.map((p) => p?.lat),
			t: pts.map((p) => p?.t)
		};
		return nums(track.lon) && nums(track.lat) && nums(track.t)
			? (track as { lon: number[]; lat: number[]; t: number[] })
			: null;
	}
	const o = value as { lon?: unknown; lat?: unknown; t?: unknown } | null;
	if (!o || !nums(o.lon) || !nums(o.lat) || !nums(o.t)) return null;
	const [lon, lat, t] = [o.lon as number[], o.lat as number[], o.t as number[]];
	if (lon.length !== lat.length || lat.length !== t.length) return null;
	return { lon, lat, t };
}

/** Patrol units (a table, or any layer's attributes). `routeModes`: patrol routes' modes, for
 * units whose own mode is not given. */
export function mapPatrolUnits(
	ctx: MapContext,
	layer: UnitsLayer,
	routeModes: Map<string, 'land' | 'sea' | 'air'>
): PackPatrolUnit[] {
	const f = layer.fields;
	if (unknownColumns(ctx, f)) return [];
	const out = collector(ctx);
	const unique = idChecker(ctx, out, f.id);
	const units: PackPatrolUnit[] = [];
	let landDefault = 0;
	ctx.features.forEach((feature, i) => {
		const row = new Row(ctx, out, i, feature.properties);
		const id = row.required('id', f.id);
		const callsign = row.required('callsign', f.callsign);
		const routeId = row.required('routeId', f.routeId);
		let mode: 'land' | 'sea' | 'air' | null = null;
		if (f.mode && !row.missing(f.mode)) {
			const raw = row.optional(f.mode, 'mode');
			mode = modeOf(raw);
			if (!mode) row.invalid('mode', f.mode, raw, MODE_REASON);
		} else {
			mode = routeModes.get(routeId) ?? null;
			if (!mode) {
				mode = 'land';
				landDefault++;
			}
		}
		let status: PackPatrolUnit['status'];
		if (f.status && !row.missing(f.status)) {
			const raw = row.optional(f.status, 'status');
			status = STATUS[raw.toLowerCase()];
			if (!status)
				row.invalid('status', f.status, raw, {
					zh: '须是 on_patrol/responding/standby（巡逻/处置/待命）',
					en: 'must be on_patrol/responding/standby (巡逻/处置/待命)'
				});
		}
		let track: PackPatrolUnit['track'];
		if (f.track && !row.missing(f.track)) {
			const t = trackOf(row.raw(f.track));
			if (!t)
				row.invalid('track', f.track, row.raw(f.track), {
					zh: '须是 JSON：{"lon":[…],"lat":[…],"t":[…]}（等长数组，t 为当日秒数）',
					en: 'must be JSON {"lon":[…],"lat":[…],"t":[…]} (arrays of equal length, t in seconds of the day)'
				});
			else {
				const lon: number[] = [];
				const lat: number[] = [];
				for (let k = 0; k < t.lon.length && row.ok; k++) {
					const p = ctx.project.point([t.lon[k], t.lat[k]], i, ctx.table, f.track);
					if ('error' in p) {
						out.error(p.error);
						row.ok = false;
					} else {
						lon.push(p.at[0]);
						lat.push(p.at[1]);
					}
				}
				track = { lon, lat, t: t.t };
			}
		}
		if (!unique(id, i) || !row.ok || !mode) return;
		const unit: PackPatrolUnit = { id, callsign, mode, routeId, source: row.source };
		if (status) unit.status = status;
		if (track) unit.track = track;
		units.push(unit);
	});
	out.finish();
	if (landDefault)
		ctx.notes.push(
			message(
				'defaults-used',
				{
					count: landDefault,
					field: { zh: '方式（且路线无方式）', en: 'a mode (nor does their route)' },
					value: 'land'
				},
				{ source: { file: ctx.file, layer: ctx.layer } }
			)
		);
	return units;
}

/** Usual id length per level in 统计用区划代码 (district 6, street 9, community 12) and OneMap's
 * grid ids (community + 2). */
const ID_LENGTH: Record<PackLevel, number> = { district: 6, street: 9, community: 12, grid: 14 };
const SUFFIX_LENGTH: Record<PackLevel, number> = { district: 0, street: 3, community: 3, grid: 2 };

/** The id of the one unit a copyParent level makes for a parent: "120101" → "120101001". */
export function copyParentId(level: PackLevel, parentId: string, parentLevel: PackLevel): string {
	const width =
		parentId.length === ID_LENGTH[parentLevel]
			? ID_LENGTH[level] - ID_LENGTH[parentLevel]
			: SUFFIX_LENGTH[level];
	return parentId + '1'.padStart(width, '0');
}

/** A copyParent level: one unit per parent unit, its geometry filled by the checker. */
export function copyParentUnits(
	level: PackLevel,
	parents: PackUnit[],
	parentLevel: PackLevel
): PackUnit[] {
	return parents.map((p) => ({
		level,
		id: copyParentId(level, p.id, parentLevel),
		name: p.name,
		parentId: p.id,
		population: p.population,
		households: p.households,
		workerName: '',
		workerPhone: '',
		geometry: null,
		source: p.source
	}));
}

/** A derived level: one unit per distinct parent id of the children (name from parentName),
 * population and households summed; geometry (the children's union) filled by the checker. */
export function derivedUnits(level: PackLevel, children: PackUnit[]): PackUnit[] {
	const byId = new Map<string, PackUnit>();
	for (const c of children) {
		// Children naming only their parent's name: the name is the parent's id too.
		if (!c.parentId && c.parentName) c.parentId = c.parentName;
		if (!c.parentId) continue;
		let u = byId.get(c.parentId);
		if (!u) {
			u = {
				level,
				id: c.parentId,
				name: c.parentName || c.parentId,
				parentId: null,
				population: 0,
				households: 0,
				workerName: '',
				workerPhone: '',
				geometry: null,
				source: c.source
			};
			byId.set(c.parentId, u);
		} else if (u.name === u.id && c.parentName) u.name = c.parentName;
		u.population += c.population;
		u.households += c.households;
	}
	return [...byId.values()];
}
