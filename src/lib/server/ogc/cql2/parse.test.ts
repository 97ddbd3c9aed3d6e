import { describe, expect, it } from 'vitest';
import { Cql2Error, MAX_DEPTH, MAX_FILTER_LENGTH, parseCql2Json, parseCql2Text } from './parse';

const p = (text: string) => parseCql2Text(text).expr;
const prop = (property: string) => ({ property });

/** The message and 0-based offset of the error a text gives. */
function error(text: string): { message: string; offset: number | null } {
	try {
		parseCql2Text(text);
	} catch (err) {
		if (err instanceof Cql2Error) return { message: err.message, offset: err.offset };
		throw err;
	}
	throw new Error(`expected "${text}" to be refused`);
}

describe('CQL2 text parser', () => {
	it('parses comparisons into CQL2-JSON', () => {
		expect(p("status = 'closed'")).toEqual({ op: '=', args: [prop('status'), 'closed'] });
		for (const op of ['=', '<>', '<', '<=', '>', '>='])
			expect(p(`priority ${op} 2`)).toEqual({ op, args: [prop('priority'), 2] });
		expect(p('areaKm2>=-1.5e2')).toEqual({ op: '>=', args: [prop('areaKm2'), -150] });
		expect(p('3 < priority')).toEqual({ op: '<', args: [3, prop('priority')] });
		expect(p('a = b')).toEqual({ op: '=', args: [prop('a'), prop('b')] });
	});

	it('binds NOT tighter than AND, AND tighter than OR', () => {
		expect(p('a = 1 OR b = 2 AND c = 3')).toEqual({
			op: 'or',
			args: [
				{ op: '=', args: [prop('a'), 1] },
				{
					op: 'and',
					args: [
						{ op: '=', args: [prop('b'), 2] },
						{ op: '=', args: [prop('c'), 3] }
					]
				}
			]
		});
		expect(p('NOT a = 1 AND b = 2')).toEqual({
			op: 'and',
			args: [
				{ op: 'not', args: [{ op: '=', args: [prop('a'), 1] }] },
				{ op: '=', args: [prop('b'), 2] }
			]
		});
		expect(p('(a = 1 OR b = 2) AND c = 3')).toMatchObject({
			op: 'and',
			args: [{ op: 'or' }, { op: '=' }]
		});
		expect(p('NOT (a = 1 OR b = 2)')).toMatchObject({ op: 'not', args: [{ op: 'or' }] });
	});

	it('keeps every term of a chain, BETWEEN … AND … included', () => {
		expect(p('a = 1 AND b = 2 AND c BETWEEN 1 AND 2')).toEqual({
			op: 'and',
			args: [
				{ op: '=', args: [prop('a'), 1] },
				{ op: '=', args: [prop('b'), 2] },
				{ op: 'between', args: [prop('c'), 1, 2] }
			]
		});
	});

	it('reads keywords in any case, quoted names and doubled quotes', () => {
		expect(p("type In ('dispute', 'pollution') and Not priority Between 1 aNd 2")).toEqual({
			op: 'and',
			args: [
				{ op: 'in', args: [prop('type'), ['dispute', 'pollution']] },
				{ op: 'not', args: [{ op: 'between', args: [prop('priority'), 1, 2] }] }
			]
		});
		expect(p(`"my ""odd"" name" = 'it''s'`)).toEqual({
			op: '=',
			args: [prop('my "odd" name'), "it's"]
		});
		expect(p('"and" = 1')).toEqual({ op: '=', args: [prop('and'), 1] });
		expect(p("name = '新城镇'")).toEqual({ op: '=', args: [prop('name'), '新城镇'] });
		expect(p("description NOT LIKE '%漏水%'")).toEqual({
			op: 'not',
			args: [{ op: 'like', args: [prop('description'), '%漏水%'] }]
		});
		expect(p('closedTs IS NULL')).toEqual({ op: 'isNull', args: [prop('closedTs')] });
		expect(p('closedTs is not null')).toEqual({
			op: 'not',
			args: [{ op: 'isNull', args: [prop('closedTs')] }]
		});
		expect(p('TRUE')).toBe(true);
		expect(p("type NOT IN ('a')")).toEqual({
			op: 'not',
			args: [{ op: 'in', args: [prop('type'), ['a']] }]
		});
	});

	it('parses times, dates and intervals', () => {
		expect(p("ts > TIMESTAMP('2026-11-01T00:00:00Z')")).toEqual({
			op: '>',
			args: [prop('ts'), { timestamp: '2026-11-01T00:00:00Z' }]
		});
		expect(p("T_INTERSECTS(ts, INTERVAL('2026-11-01', '..'))")).toEqual({
			op: 't_intersects',
			args: [prop('ts'), { interval: ['2026-11-01', '..'] }]
		});
		expect(p("t_after(ts, DATE('2026-11-01'))")).toEqual({
			op: 't_after',
			args: [prop('ts'), { date: '2026-11-01' }]
		});
		expect(p("T_FINISHEDBY(ts, TIMESTAMP('2026-11-01T00:00:00Z'))")).toMatchObject({
			op: 't_finishedBy'
		});
	});

	it('parses WKT geometries and BBOX into GeoJSON', () => {
		expect(p('S_INTERSECTS(geometry, POINT(117.6 39.01))')).toEqual({
			op: 's_intersects',
			args: [prop('geometry'), { type: 'Point', coordinates: [117.6, 39.01] }]
		});
		expect(
			p('s_intersects(geometry, POLYGON((117 39, 118 39, 118 40, 117 39), (1 1, 2 2, 1 2, 1 1)))')
		).toMatchObject({
			args: [
				prop('geometry'),
				{
					type: 'Polygon',
					coordinates: [
						[
							[117, 39],
							[118, 39],
							[118, 40],
							[117, 39]
						],
						[
							[1, 1],
							[2, 2],
							[1, 2],
							[1, 1]
						]
					]
				}
			]
		});
		expect(p('S_INTERSECTS(geometry, BBOX(117.6, 39, 117.7, 39.1))')).toMatchObject({
			args: [prop('geometry'), { bbox: [117.6, 39, 117.7, 39.1] }]
		});
		expect(p('S_INTERSECTS(geometry, MULTIPOINT(1 2, (3 4)))')).toMatchObject({
			args: [
				prop('geometry'),
				{
					type: 'MultiPoint',
					coordinates: [
						[1, 2],
						[3, 4]
					]
				}
			]
		});
		expect(
			p('S_WITHIN(geometry, GEOMETRYCOLLECTION(POINT(1 2), LINESTRING(1 2, 3 4)))')
		).toMatchObject({
			op: 's_within',
			args: [prop('geometry'), { type: 'GeometryCollection', geometries: [{}, {}] }]
		});
		expect(p('S_INTERSECTS(geometry, MULTIPOLYGON(((1 1, 2 1, 2 2, 1 1))))')).toMatchObject({
			args: [prop('geometry'), { type: 'MultiPolygon' }]
		});
		expect(p('S_INTERSECTS(geometry, POINT Z (1 2 3))')).toMatchObject({
			args: [prop('geometry'), { coordinates: [1, 2, 3] }]
		});
	});

	it('refuses trailing input, naming where', () => {
		expect(error('x = 1 OR')).toEqual({
			offset: 8,
			message: expect.stringMatching(/^at character 9: the filter ends/)
		});
		expect(error('x = 1 y = 2')).toMatchObject({ offset: 6, message: /expected AND, OR/ });
		expect(error('x = 1)')).toMatchObject({ offset: 5 });
		expect(error('(x = 1')).toMatchObject({ message: /"\)" to close the "\(" at character 1/ });
	});

	it('names the position of other mistakes', () => {
		expect(error("name = 'open")).toMatchObject({ offset: 7, message: /not closed/ });
		expect(error('"name = 1')).toMatchObject({ offset: 0 });
		expect(error('name')).toMatchObject({ offset: 4, message: /expected a comparison/ });
		expect(error('name == 1')).toMatchObject({ offset: 6 });
		expect(error('a = 1 AND AND b = 2')).toMatchObject({ offset: 10, message: /keyword AND/ });
		expect(error('a BETWEEN 1 OR 2')).toMatchObject({ offset: 12, message: /expected AND/ });
		expect(error('a IN ()')).toMatchObject({ offset: 6 });
		expect(error('a IS 1')).toMatchObject({ offset: 5, message: /NULL/ });
		expect(error('a = 1 ; DROP TABLE incident')).toMatchObject({ offset: 6 });
		expect(error('a = 12abc')).toMatchObject({ offset: 4 });
		expect(error('S_INTERSECTS(geometry POINT(1 2))')).toMatchObject({ offset: 22 });
		expect(error('S_INTERSECTS(geometry, POINT(1))')).toMatchObject({ offset: 30 });
		expect(error('S_INTERSECTS(geometry, BBOX(1, 2, 3))')).toMatchObject({ message: /4 numbers/ });
		expect(error('ts > TIMESTAMP(2026)')).toMatchObject({ offset: 15 });
		expect(error('')).toMatchObject({ message: /empty/ });
	});

	it('bounds the length and the nesting', () => {
		expect(error('a = 1 OR '.repeat(1000) + 'a = 1')).toMatchObject({
			message: new RegExp(`longer than ${MAX_FILTER_LENGTH}`)
		});
		const deep = '('.repeat(MAX_DEPTH + 1) + 'a = 1' + ')'.repeat(MAX_DEPTH + 1);
		expect(error(deep)).toMatchObject({ message: /nests deeper/ });
		expect(error('NOT '.repeat(MAX_DEPTH + 1) + 'a = 1')).toMatchObject({ message: /nests/ });
		expect(p('('.repeat(MAX_DEPTH) + 'a = 1' + ')'.repeat(MAX_DEPTH))).toMatchObject({ op: '=' });
	});

	it('records where each operation and property began', () => {
		const { expr, at } = parseCql2Text("a = 1 AND  b LIKE 'x'");
		const and = expr as { args: { args: object[] }[] };
		expect(at.get(and.args[1])).toBe(11);
		expect(at.get(and.args[1].args[0])).toBe(11);
		expect(at.get(and.args[0])).toBe(0);
	});

	it('reads CQL2-JSON, refusing what is not JSON or too deep', () => {
		expect(parseCql2Json('{"op":"=","args":[{"property":"a"},1]}').expr).toEqual({
			op: '=',
			args: [prop('a'), 1]
		});
		expect(() => parseCql2Json('{"op":')).toThrow(/not JSON/);
		const deep = '{"op":"not","args":['.repeat(100) + 'true' + ']}'.repeat(100);
		expect(() => parseCql2Json(deep)).toThrow(/nests deeper/);
	});
});
