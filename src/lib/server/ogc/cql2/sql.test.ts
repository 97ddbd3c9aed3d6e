import { describe, expect, it } from 'vitest';
import { COLLECTION_BY_ID } from '../collections';
import { OGC_CRS } from '../crs';
import { parseCql2Json, parseCql2Text } from './parse';
import { filterSql } from './sql';

const incidents = COLLECTION_BY_ID.get('incidents')!;
const sql = (text: string, params: unknown[] = []) =>
	filterSql(incidents, parseCql2Text(text), params);

describe('CQL2 → SQL', () => {
	it('binds every value as a parameter and names only column expressions', () => {
		const params: unknown[] = [];
		const out = sql(
			"type = 'x''; DROP TABLE incident; --' AND description LIKE '%漏%' AND priority IN (1, 2)",
			params
		);
		expect(out).toBe(
			'((t.type = $1::text) AND (t.description LIKE $2::text) AND (t.priority IN ($3::double precision, $4::double precision)))'
		);
		expect(params).toEqual(["x'; DROP TABLE incident; --", '%漏%', 1, 2]);
	});

	it('numbers parameters after the ones already there', () => {
		const params: unknown[] = ['a', 'b'];
		expect(sql('priority = 1', params)).toBe('(t.priority = $3::double precision)');
	});

	it('reads a time literal, a text time and a DATE as instants', () => {
		const params: unknown[] = [];
		expect(sql("ts >= '2026-11-01T00:00:00Z'", params)).toBe(
			'(t.ts >= to_timestamp($1::double precision / 1000.0))'
		);
		expect(params).toEqual([Date.UTC(2026, 10, 1)]);
		const day: unknown[] = [];
		expect(sql("ts = DATE('2026-11-01')", day)).toMatch(/t\.ts <= .*\$2.* AND t\.ts >= .*\$1/);
		expect(day[1] as number).toBe((day[0] as number) + 86_400_000 - 1);
		expect(sql("T_INTERSECTS(ts, INTERVAL('..', '2026-11-02'))")).toMatch(
			/'-infinity'::timestamptz/
		);
	});

	it('converts filter-crs geometries to CRS84 before binding', () => {
		const params: unknown[] = [];
		const p = parseCql2Text('S_INTERSECTS(geometry, POINT(39.01 117.6))');
		expect(filterSql(incidents, p, params, OGC_CRS[1])).toBe(
			'ST_Intersects(t.geom, ST_SetSRID(ST_GeomFromGeoJSON($1::text), 4326))'
		);
		expect(JSON.parse(params[0] as string)).toEqual({ type: 'Point', coordinates: [117.6, 39.01] });
	});

	it('refuses what it cannot translate, saying where', () => {
		expect(() => sql("colour = 'red'")).toThrow(/at character 1: "colour" is not a queryable/);
		expect(() => sql("priority = 1 AND ts = 'soon'")).toThrow(/at character 18: .*RFC 3339/);
		expect(() => sql('type = 1')).toThrow(/compares text with a number \(quote text/);
		expect(() => sql('TRUE = 1')).toThrow(/a boolean with a number/);
		expect(() => sql('priority > TRUE')).toThrow(/number with a boolean/);
		expect(() => sql('S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1, 0 2)))')).toThrow(
			/end where it starts/
		);
		expect(() => sql('S_INTERSECTS(geometry, POINT(200 0))')).toThrow(/outside/);
		const json = (v: unknown) => () => filterSql(incidents, parseCql2Json(JSON.stringify(v)), []);
		expect(json({ op: 'and', args: [] })).toThrow(/one or more/);
		expect(json({ op: '=', args: [{ property: 'type' }] })).toThrow(/takes 2 arguments/);
		expect(json({ op: '=', args: [{ property: 'type' }, null] })).toThrow(/not a list or null/);
		expect(
			json({ op: 's_intersects', args: [{ property: 'geometry' }, { type: 'Circle' }] })
		).toThrow(/not a GeoJSON geometry type/);
		expect(json('type')).toThrow(/expected a condition/);
		for (const op of ['toString', 'constructor', '__proto__', 'hasOwnProperty'])
			expect(json({ op, args: [{ property: 'geometry' }, { bbox: [0, 0, 1, 1] }] })).toThrow(
				/not an operator/
			);
	});
});
