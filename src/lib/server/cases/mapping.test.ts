import { describe, expect, it } from 'vitest';
import { fromWgs84, crsByName, GCJ02 } from '$lib/geo/crs';
import {
	DEFAULT_MAPPING,
	MappingError,
	mapRow,
	mergeMapping,
	parseCaseTime,
	resolveMapping,
	type CaseRow,
	type RowProblem
} from './mapping';

const NOW = Date.UTC(2026, 11, 1);
const HEADER = [
	'工单编号',
	'诉求类型',
	'来电时间',
	'办结时间',
	'处理状态',
	'诉求内容',
	'地址',
	'经度',
	'纬度'
];
const base = {
	工单编号: 'GD001',
	诉求类型: '噪音扰民',
	来电时间: '2026-01-05 10:00:00',
	处理状态: '处理中',
	诉求内容: '夜间施工',
	地址: '塘沽街道新港路1号',
	经度: '117.61',
	纬度: '39.005'
};

function map(values: Record<string, unknown>, header = HEADER, mapping = DEFAULT_MAPPING) {
	return mapRow(resolveMapping(mapping, header), 2, values, NOW);
}
function ok(values: Record<string, unknown>, header = HEADER, mapping = DEFAULT_MAPPING): CaseRow {
	const r = map(values, header, mapping);
	if (!('ok' in r)) throw new Error(JSON.stringify(r.problems));
	return r.ok;
}
function problems(values: Record<string, unknown>, header = HEADER, mapping = DEFAULT_MAPPING) {
	const r = map(values, header, mapping);
	if ('ok' in r) throw new Error('expected a refusal');
	return r.problems;
}
const codes = (ps: RowProblem[]) => ps.map((p) => `${p.column}:${p.code}`);

describe('case times (China time)', () => {
	const at = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) =>
		Date.UTC(y, mo - 1, d, h - 8, mi, s);
	it.each([
		['2026-01-05 10:00:00', at(2026, 1, 5, 10)],
		['2026/1/5 10:00', at(2026, 1, 5, 10)],
		['2026年1月5日 10时05分', at(2026, 1, 5, 10, 5)],
		['2026年1月5日', at(2026, 1, 5)],
		['2026-01-05T10:00:00+08:00', at(2026, 1, 5, 10)],
		['2026-01-05T02:00:00Z', at(2026, 1, 5, 10)],
		['２０２６－０１－０５　１０：００', at(2026, 1, 5, 10)],
		['2026.01.05 10:00:30', at(2026, 1, 5, 10, 0, 30)]
	])('%s', (raw, ms) => expect(parseCaseTime(raw)).toBe(ms));
	it('reads Excel serial days as China wall-clock time, epoch ms as is', () => {
		expect(parseCaseTime(46027 + 10 / 24)).toBe(at(2026, 1, 5, 10));
		expect(parseCaseTime(at(2026, 1, 5, 10))).toBe(at(2026, 1, 5, 10));
	});
	it.each(['2026-02-30 10:00', '2026-01-05 25:00', 'yesterday', '', '05/01/2026'])(
		'refuses %j',
		(raw) => expect(parseCaseTime(raw)).toBeNaN()
	);
});

describe('mapping a 12345 row', () => {
	it('maps every field of the default 12345 export', () => {
		expect(ok(base)).toMatchObject({
			row: 2,
			externalId: 'GD001',
			type: 'pollution',
			source: 'hotline_12345',
			status: 'handling',
			priority: 4,
			ts: Date.UTC(2026, 0, 5, 2),
			closedTs: null,
			description: '夜间施工',
			address: '塘沽街道新港路1号',
			lon: 117.61,
			lat: 39.005,
			crs: 'cgcs2000'
		});
	});

	it.each([
		['市容环境', 'city_appearance'],
		['城市管理-市容环境-占道经营', 'city_appearance'],
		['城市管理/违法建设', 'city_appearance'],
		['邻里纠纷', 'dispute'],
		['消防安全', 'fire_hazard'],
		['违章停车', 'traffic'],
		['供暖', 'livelihood'],
		['危险化学品', 'hazmat_alarm'],
		['traffic', 'traffic'],
		[' 治安隐患 ', 'public_security']
	])('type %s → %s', (raw, type) => expect(ok({ ...base, 诉求类型: raw }).type).toBe(type));

	it('lists an unknown type instead of guessing, naming the column', () => {
		const ps = problems({ ...base, 诉求类型: '咨询' });
		expect(ps).toEqual([
			expect.objectContaining({
				field: 'type',
				column: '诉求类型',
				code: 'unmapped',
				value: '咨询'
			})
		]);
		expect(ps[0].en).toContain('values.type');
	});

	it('maps the platform codes a mapping file names', () => {
		const m = mergeMapping(DEFAULT_MAPPING, {
			values: { type: { '0301': 'city_appearance', 咨询: 'livelihood' } }
		});
		expect(ok({ ...base, 诉求类型: '0301' }, HEADER, m).type).toBe('city_appearance');
		expect(ok({ ...base, 诉求类型: '咨询' }, HEADER, m).type).toBe('livelihood');
	});

	it.each([
		['待受理', 'reported'],
		['已立案', 'registered'],
		['已派单', 'dispatched'],
		['办理中', 'handling'],
		['待回访', 'verifying']
	])('status %s → %s (open: the closing time is dropped)', (raw, status) => {
		const r = ok({ ...base, 处理状态: raw, 办结时间: '2026-01-06 10:00:00' });
		expect(r.status).toBe(status);
		expect(r.closedTs).toBeNull();
	});

	it('keeps the closing time of a closed case', () => {
		const r = ok({ ...base, 处理状态: '已办结', 办结时间: '2026-01-06 09:30:00' });
		expect(r).toMatchObject({ status: 'closed', closedTs: Date.UTC(2026, 0, 6, 1, 30) });
	});

	it('without a status column, the closing time decides closed or reported', () => {
		const header = HEADER.filter((h) => h !== '处理状态');
		const { 处理状态: _, ...row } = base;
		expect(ok({ ...row, 办结时间: '2026-01-06 10:00' }, header)).toMatchObject({
			status: 'closed'
		});
		expect(ok(row, header)).toMatchObject({ status: 'reported', closedTs: null });
	});

	it('refuses an unknown status, a closing time before the report, a future time', () => {
		expect(codes(problems({ ...base, 处理状态: '挂起' }))).toEqual(['处理状态:unmapped']);
		expect(
			codes(problems({ ...base, 处理状态: '已办结', 办结时间: '2026-01-04 10:00:00' }))
		).toEqual(['办结时间:closed-before-reported']);
		expect(codes(problems({ ...base, 来电时间: '2027-01-01 00:00:00' }))).toEqual([
			'来电时间:future'
		]);
		expect(codes(problems({ ...base, 来电时间: '2026-13-01' }))).toEqual(['来电时间:bad-time']);
	});

	it('priority: named, numbered, or the type default', () => {
		const header = [...HEADER, '紧急程度'];
		expect(ok({ ...base, 紧急程度: '特急' }, header).priority).toBe(1);
		expect(ok({ ...base, 紧急程度: '2' }, header).priority).toBe(2);
		expect(ok({ ...base, 诉求类型: '消防隐患' }, header).priority).toBe(3);
		expect(codes(problems({ ...base, 紧急程度: '超级急' }, header))).toEqual(['紧急程度:unmapped']);
	});

	it('source: the column when there is one, else the mapping default', () => {
		const header = [...HEADER, '来源渠道'];
		expect(ok({ ...base, 来源渠道: '网格员' }, header).source).toBe('grid_worker');
		expect(ok({ ...base, 来源渠道: '随手拍' }, header).source).toBe('resident_app');
		expect(ok(base, header).source).toBe('hotline_12345');
		const m = mergeMapping(DEFAULT_MAPPING, { incidentSource: 'video_patrol' });
		expect(ok(base, HEADER, m).source).toBe('video_patrol');
		expect(codes(problems({ ...base, 来源渠道: '信件' }, header))).toEqual(['来源渠道:unmapped']);
	});

	it('coordinates: CGCS2000 as is, GCJ-02 and Gauss–Krüger converted, per file or per row', () => {
		const [gx, gy] = fromWgs84(GCJ02, [117.61, 39.005]);
		const gcj = mergeMapping(DEFAULT_MAPPING, { crs: 'GCJ-02' });
		const a = ok({ ...base, 经度: gx, 纬度: gy }, HEADER, gcj);
		expect(a.lon).toBeCloseTo(117.61, 9);
		expect(a.lat).toBeCloseTo(39.005, 9);
		expect(a.crs).toBe('gcj02');
		const header = [...HEADER, '坐标系'];
		expect(ok({ ...base, 经度: gx, 纬度: gy, 坐标系: '高德' }, header).lon).toBeCloseTo(117.61, 9);
		const gk = crsByName('EPSG:4527')!;
		const [x, y] = fromWgs84(gk, [117.61, 39.005]);
		const b = ok({ ...base, 经度: x, 纬度: y, 坐标系: 'EPSG:4527' }, header);
		expect(b.lon).toBeCloseTo(117.61, 7);
		expect(b.crs).toBe('EPSG:4527');
		expect(codes(problems({ ...base, 坐标系: '地方坐标' }, header))).toEqual([
			'坐标系:unknown-crs'
		]);
	});

	it('refuses rows without coordinates, swapped or projected ones, naming the columns', () => {
		const { 经度: _x, 纬度: _y, ...noXY } = base;
		const ps = problems(noXY);
		expect(ps).toEqual([
			expect.objectContaining({
				column: '经度, 纬度',
				code: 'no-coordinates',
				en: 'no coordinates (address geocoding not yet available)'
			})
		]);
		expect(codes(problems({ ...base, 经度: '39.005', 纬度: '117.61' }))).toEqual([
			'经度, 纬度:bad-coordinates'
		]);
		expect(problems({ ...base, 经度: '39.005', 纬度: '117.61' })[0].en).toContain('swapped');
		expect(codes(problems({ ...base, 经度: '39500000', 纬度: '4300000' }))).toEqual([
			'经度, 纬度:bad-coordinates'
		]);
		expect(codes(problems({ ...base, 经度: 'abc' }))).toEqual(['经度, 纬度:bad-coordinates']);
	});

	it('lists every problem of a row', () => {
		expect(codes(problems({ 诉求类型: '咨询', 来电时间: 'x', 经度: '117.6' }))).toEqual([
			'工单编号:missing',
			'诉求类型:unmapped',
			'来电时间:bad-time',
			'纬度:no-coordinates'
		]);
	});

	it('finds columns by alias, full-width and case folded; reports required ones missing', () => {
		const r = resolveMapping(DEFAULT_MAPPING, ['工单号', '问题分类', '受理时间', 'LNG', 'Lat']);
		expect(r.columns).toMatchObject({
			externalId: '工单号',
			type: '问题分类',
			reportedAt: '受理时间',
			lon: 'LNG',
			lat: 'Lat'
		});
		expect(r.missing).toEqual([]);
		expect(resolveMapping(DEFAULT_MAPPING, ['工单编号', '内容']).missing).toEqual([
			'type',
			'reportedAt'
		]);
	});

	it('a mapping file renames columns and is checked', () => {
		const m = mergeMapping(DEFAULT_MAPPING, {
			source: 'grid-app',
			columns: { externalId: 'CASE_NO', type: 'KIND', reportedAt: 'TIME' }
		});
		expect(m.source).toBe('grid-app');
		expect(resolveMapping(m, ['CASE_NO', 'KIND', 'TIME']).missing).toEqual([]);
		expect(() => mergeMapping(DEFAULT_MAPPING, { colums: {} })).toThrow(MappingError);
		expect(() => mergeMapping(DEFAULT_MAPPING, { values: { type: { x: 'fire' } } })).toThrow(
			/values\.type\.x/
		);
		expect(() => resolveMapping(mergeMapping(DEFAULT_MAPPING, { crs: 'Xian80' }), HEADER)).toThrow(
			MappingError
		);
	});
});
