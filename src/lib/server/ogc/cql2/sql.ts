/**
 * A CQL2-JSON tree (parse.ts, or a client's cql2-json) → a parameterised SQL condition on one
 * collection's table (alias `t`). Every value is bound as a $n parameter; property names reach
 * the SQL only as the column expression of that collection's queryable (collections.ts) — a
 * name that is not one is refused with the list of the ones there are. Types are checked here
 * (a text compared with a number is a 400 naming where it is), so the database never sees a
 * comparison it would reject.
 */
import { DAY_MS, parseIsoTime } from '$lib/domain/time';
import type { CollectionDef, Field } from '../collections';
import { CRS84, bboxToCrs84, type OgcCrs } from '../crs';
import { converterToWgs84 } from '$lib/geo/crs';
import { Cql2Error, SPATIAL_FUNCTIONS, TEMPORAL_FUNCTIONS, type Expr, type Parsed } from './parse';

/** The name of the geometry queryable. */
export const GEOMETRY_QUERYABLE = 'geometry';

type Kind = 'string' | 'number' | 'boolean' | 'datetime' | 'date' | 'geometry';
interface Value {
	sql: string;
	kind: Kind;
	/** A literal string (may be a time when compared with one). */
	literal?: string;
	/** For a DATE: the SQL of the day's first and last instant. */
	day?: [string, string];
}

const KIND_WORDS: Record<Kind, string> = {
	string: 'text',
	number: 'a number',
	boolean: 'a boolean',
	datetime: 'a time',
	date: 'a date',
	geometry: 'a geometry'
};

const SPATIAL_SQL: Record<string, string> = {
	s_intersects: 'ST_Intersects',
	s_equals: 'ST_Equals',
	s_disjoint: 'ST_Disjoint',
	s_touches: 'ST_Touches',
	s_within: 'ST_Within',
	s_overlaps: 'ST_Overlaps',
	s_crosses: 'ST_Crosses',
	s_contains: 'ST_Contains'
};

/** Allen's relations on [start, end] (an instant is start = end), as CQL2 defines them. */
const TEMPORAL_SQL: Record<string, (a: [string, string], b: [string, string]) => string> = {
	t_after: ([as], [, be]) => `${as} > ${be}`,
	t_before: ([, ae], [bs]) => `${ae} < ${bs}`,
	t_contains: ([as, ae], [bs, be]) => `${as} < ${bs} AND ${ae} > ${be}`,
	t_disjoint: ([as, ae], [bs, be]) => `(${as} > ${be} OR ${ae} < ${bs})`,
	t_during: ([as, ae], [bs, be]) => `${as} > ${bs} AND ${ae} < ${be}`,
	t_equals: ([as, ae], [bs, be]) => `${as} = ${bs} AND ${ae} = ${be}`,
	t_finishedBy: ([as, ae], [bs, be]) => `${as} < ${bs} AND ${ae} = ${be}`,
	t_finishes: ([as, ae], [bs, be]) => `${as} > ${bs} AND ${ae} = ${be}`,
	t_intersects: ([as, ae], [bs, be]) => `${as} <= ${be} AND ${ae} >= ${bs}`,
	t_meets: ([, ae], [bs]) => `${ae} = ${bs}`,
	t_metBy: ([as], [, be]) => `${as} = ${be}`,
	t_overlappedBy: ([as, ae], [bs, be]) => `${as} > ${bs} AND ${as} < ${be} AND ${ae} > ${be}`,
	t_overlaps: ([as, ae], [bs, be]) => `${as} < ${bs} AND ${ae} > ${bs} AND ${ae} < ${be}`,
	t_startedBy: ([as, ae], [bs, be]) => `${as} = ${bs} AND ${ae} > ${be}`,
	t_starts: ([as, ae], [bs, be]) => `${as} = ${bs} AND ${ae} < ${be}`
};

const LOGICAL = new Set(['and', 'or', 'not']);
const COMPARISON = new Set(['=', '<>', '<', '<=', '>', '>=']);
const ALL_OPS = [
	'and',
	'or',
	'not',
	...COMPARISON,
	'isNull',
	'like',
	'between',
	'in',
	...SPATIAL_FUNCTIONS,
	...TEMPORAL_FUNCTIONS
];

export interface Translation {
	sql: string;
	params: unknown[];
}

const isObj = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

const MAX_COORDS = 10_000;

class Translator {
	private readonly fields: Map<string, Field>;
	private coords = 0;

	constructor(
		private readonly c: CollectionDef,
		private readonly at: WeakMap<object, number>,
		private readonly params: unknown[],
		private readonly crs: OgcCrs
	) {
		this.fields = new Map(c.fields.map((f) => [f.name, f]));
	}

	private fail(node: unknown, message: string): never {
		const pos = isObj(node) || Array.isArray(node) ? this.at.get(node) : undefined;
		throw new Cql2Error(message, pos ?? null);
	}

	private bind(value: unknown, cast: string): string {
		this.params.push(value);
		return `$${this.params.length}::${cast}`;
	}

	private instant(ms: number): string {
		this.params.push(ms);
		return `to_timestamp($${this.params.length}::double precision / 1000.0)`;
	}

	private time(node: unknown, raw: unknown, what: string): number {
		const t = typeof raw === 'string' ? parseIsoTime(raw, true) : NaN;
		if (Number.isNaN(t)) {
			this.fail(
				node,
				`${what} '${String(raw).slice(0, 40)}' is not an RFC 3339 time such as 2026-11-27T08:00:00Z`
			);
		}
		return t;
	}

	private dayStart(node: unknown, raw: unknown): number {
		const t = typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(raw) ? parseIsoTime(raw) : NaN;
		if (Number.isNaN(t)) {
			this.fail(node, `DATE('${String(raw).slice(0, 40)}') is not a date such as 2026-11-01`);
		}
		return t;
	}

	private queryableList(): string {
		return [...this.fields.keys(), GEOMETRY_QUERYABLE].join(', ');
	}

	private property(node: Record<string, unknown>): Value {
		const name = node.property;
		if (typeof name !== 'string') this.fail(node, 'a property must be named by a string');
		if (name === GEOMETRY_QUERYABLE) return { sql: 't.geom', kind: 'geometry' };
		const f = this.fields.get(name);
		if (!f) {
			this.fail(
				node,
				`"${name.slice(0, 60)}" is not a queryable of ${this.c.id} (queryables: ${this.queryableList()})`
			);
		}
		const kind: Kind = f.type === 'integer' || f.type === 'number' ? 'number' : f.type;
		return { sql: f.sql, kind };
	}

	/** A scalar, temporal or spatial operand. */
	private value(node: Expr): Value {
		if (typeof node === 'string') {
			// Bound when used: a text that turns out to be a time is bound as that instead (a
			// parameter bound but never used would leave the database guessing its type).
			// NUL cannot be sent to the database (nor is it in any of its texts).
			if (node.includes('\u0000')) this.fail(node, 'a text may not contain the NUL character');
			let bound: string | null = null;
			const bind = () => (bound ??= this.bind(node, 'text'));
			return {
				get sql() {
					return bind();
				},
				kind: 'string',
				literal: node
			};
		}
		if (typeof node === 'number') {
			if (!Number.isFinite(node)) this.fail(node, 'a number must be finite');
			return { sql: this.bind(node, 'double precision'), kind: 'number' };
		}
		if (typeof node === 'boolean') return { sql: this.bind(node, 'boolean'), kind: 'boolean' };
		if (!isObj(node)) {
			this.fail(node, 'expected a property, a value or a geometry here (not a list or null)');
		}
		if ('property' in node) return this.property(node);
		if ('timestamp' in node) {
			return { sql: this.instant(this.time(node, node.timestamp, 'TIMESTAMP')), kind: 'datetime' };
		}
		if ('date' in node) {
			const start = this.dayStart(node, node.date);
			const day: [string, string] = [this.instant(start), this.instant(start + DAY_MS - 1)];
			return { sql: day[0], kind: 'date', day };
		}
		if ('bbox' in node) return { sql: this.bbox(node), kind: 'geometry' };
		if ('type' in node) return { sql: this.geometry(node), kind: 'geometry' };
		if ('op' in node) {
			this.fail(node, `${String(node.op).slice(0, 30)} is a condition, not a value to compare`);
		}
		this.fail(node, 'expected a property, a value or a geometry here');
	}

	private bbox(node: Record<string, unknown>): string {
		const b = node.bbox;
		if (
			!Array.isArray(b) ||
			(b.length !== 4 && b.length !== 6) ||
			!b.every((v) => typeof v === 'number' && Number.isFinite(v))
		) {
			this.fail(node, 'a BBOX is 4 numbers (or 6 with heights)');
		}
		const flat = b.length === 6 ? [b[0], b[1], b[3], b[4]] : b;
		const [x0, y0, x1, y1] = bboxToCrs84(flat as number[], this.crs);
		if (y0 > y1) this.fail(node, "the BBOX's southern edge is north of its northern one");
		if ([x0, x1].some((x) => Math.abs(x) > 180) || [y0, y1].some((y) => Math.abs(y) > 90)) {
			this.fail(
				node,
				'a BBOX must lie within -180..180 and -90..90 (longitude, latitude in CRS84)'
			);
		}
		const box = (a: number, b2: number, c: number, d: number) =>
			`ST_MakeEnvelope(${this.bind(a, 'double precision')}, ${this.bind(b2, 'double precision')}, ${this.bind(c, 'double precision')}, ${this.bind(d, 'double precision')}, 4326)`;
		// Across the antimeridian: the two halves.
		return x0 <= x1
			? box(x0, y0, x1, y1)
			: `ST_Collect(${box(x0, y0, 180, y1)}, ${box(-180, y0, x1, y1)})`;
	}

	/** A GeoJSON geometry, checked and brought to CRS84, bound as GeoJSON text. */
	private geometry(node: Record<string, unknown>): string {
		const toWgs = this.crs === CRS84 ? null : converterToWgs84(this.crs.crs);
		const latFirst = this.crs.latFirst;
		const position = (p: unknown): number[] => {
			if (
				!Array.isArray(p) ||
				p.length < 2 ||
				p.length > 3 ||
				!p.every((v) => typeof v === 'number' && Number.isFinite(v))
			) {
				this.fail(node, 'a position is 2 or 3 finite numbers');
			}
			if (++this.coords > MAX_COORDS)
				this.fail(node, `a filter may hold at most ${MAX_COORDS} positions`);
			let [x, y] = latFirst ? [p[1], p[0]] : [p[0], p[1]];
			if (toWgs) [x, y] = toWgs([x, y]);
			if (Math.abs(x) > 180 || Math.abs(y) > 90) {
				this.fail(node, `the position ${p.join(' ')} lies outside -180..180, -90..90`);
			}
			return [x, y];
		};
		const list = (v: unknown, depth: number, min: number): unknown[] => {
			if (!Array.isArray(v) || v.length < (depth === 0 ? min : 1)) {
				this.fail(node, `${String(node.type)} has too few positions`);
			}
			return depth === 0 ? v.map(position) : v.map((x) => list(x, depth - 1, min));
		};
		const convert = (g: unknown, level: number): Record<string, unknown> => {
			if (!isObj(g)) this.fail(node, 'a geometry must be a GeoJSON object');
			if (level > 8) this.fail(node, 'geometry collections nest too deeply');
			switch (g.type) {
				case 'Point':
					return { type: g.type, coordinates: position(g.coordinates) };
				case 'MultiPoint':
					return { type: g.type, coordinates: list(g.coordinates, 0, 1) };
				case 'LineString':
					return { type: g.type, coordinates: list(g.coordinates, 0, 2) };
				case 'MultiLineString':
					return { type: g.type, coordinates: list(g.coordinates, 1, 2) };
				case 'Polygon':
					return { type: g.type, coordinates: this.rings(node, list(g.coordinates, 1, 4)) };
				case 'MultiPolygon': {
					if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) {
						this.fail(node, 'a MultiPolygon needs at least one polygon');
					}
					return {
						type: g.type,
						coordinates: g.coordinates.map((p) => this.rings(node, list(p, 1, 4)))
					};
				}
				case 'GeometryCollection':
					if (!Array.isArray(g.geometries))
						this.fail(node, 'a GeometryCollection needs geometries');
					return { type: g.type, geometries: g.geometries.map((x) => convert(x, level + 1)) };
				default:
					this.fail(node, `"${String(g.type).slice(0, 30)}" is not a GeoJSON geometry type`);
			}
		};
		const geojson = convert(node, 0);
		return `ST_SetSRID(ST_GeomFromGeoJSON(${this.bind(JSON.stringify(geojson), 'text')}), 4326)`;
	}

	/** Rings must be closed (a WKT or GeoJSON polygon always is); a person may forget. */
	private rings(node: unknown, rings: unknown[]): unknown[] {
		for (const r of rings as number[][][]) {
			const [a, z] = [r[0], r[r.length - 1]];
			if (a[0] !== z[0] || a[1] !== z[1]) {
				this.fail(node, 'a polygon ring must end where it starts');
			}
		}
		return rings;
	}

	private args(node: Record<string, unknown>, n: number | null): Expr[] {
		const args = node.args;
		if (!Array.isArray(args) || (n !== null && args.length !== n) || args.length === 0) {
			this.fail(
				node,
				`${String(node.op)} takes ${n === null ? 'one or more' : n} argument${n === 1 ? '' : 's'}`
			);
		}
		return args as Expr[];
	}

	/** Two operands that may be compared: the same kind (a text literal may be a time). */
	private pair(node: unknown, op: string, a: Value, b: Value): [Value, Value] {
		const coerce = (x: Value, other: Value): Value =>
			x.literal !== undefined && (other.kind === 'datetime' || other.kind === 'date')
				? { sql: this.instant(this.time(node, x.literal, 'the text')), kind: 'datetime' }
				: x;
		a = coerce(a, b);
		b = coerce(b, a);
		const timeish = (k: Kind) => k === 'datetime' || k === 'date';
		if (a.kind === 'geometry' || b.kind === 'geometry') {
			this.fail(node, `${op} does not compare geometries; use S_INTERSECTS(geometry, …)`);
		}
		if (a.kind !== b.kind && !(timeish(a.kind) && timeish(b.kind))) {
			const hint =
				b.kind === 'string' && a.kind === 'number'
					? ` (write the number without quotes)`
					: a.kind === 'string' && b.kind === 'number'
						? ` (quote text: '…')`
						: a.kind === 'datetime' || b.kind === 'datetime'
							? ` (write a time as TIMESTAMP('2026-11-27T08:00:00Z'))`
							: '';
			this.fail(node, `${op} compares ${KIND_WORDS[a.kind]} with ${KIND_WORDS[b.kind]}${hint}`);
		}
		return [a, b];
	}

	private span(v: Value): [string, string] {
		return v.day ?? [v.sql, v.sql];
	}

	private comparison(node: Record<string, unknown>, op: string): string {
		const [x, y] = this.args(node, 2);
		const [a, b] = this.pair(node, op, this.value(x), this.value(y));
		if (a.kind === 'boolean' && !['=', '<>'].includes(op)) {
			this.fail(node, `${op} does not order booleans; use = or <>`);
		}
		if (a.day || b.day) {
			// A DATE is a whole (China Standard Time) day: = within it, < before it, > after it.
			const [as, ae] = this.span(a);
			const [bs, be] = this.span(b);
			const sql: Record<string, string> = {
				'=': `(${as} <= ${be} AND ${ae} >= ${bs})`,
				'<>': `(${ae} < ${bs} OR ${as} > ${be})`,
				'<': `${ae} < ${bs}`,
				'<=': `${as} <= ${be}`,
				'>': `${as} > ${be}`,
				'>=': `${ae} >= ${bs}`
			};
			return `(${sql[op]})`;
		}
		return `(${a.sql} ${op} ${b.sql})`;
	}

	private temporal(node: Record<string, unknown>, op: string): string {
		const [x, y] = this.args(node, 2);
		const span = (e: Expr): [string, string] => {
			if (isObj(e) && 'interval' in e) {
				const ends = e.interval;
				if (!Array.isArray(ends) || ends.length !== 2) {
					this.fail(e, 'an INTERVAL has a start and an end');
				}
				const end = (v: Expr, last: boolean): string => {
					if (v === '..') return `'${last ? 'infinity' : '-infinity'}'::timestamptz`;
					if (typeof v === 'string') {
						if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
							const s = this.dayStart(e, v);
							return this.instant(last ? s + DAY_MS - 1 : s);
						}
						return this.instant(this.time(e, v, 'the INTERVAL end'));
					}
					const val = this.value(v);
					if (val.day) return last ? val.day[1] : val.day[0];
					if (val.kind !== 'datetime') {
						this.fail(e, `an INTERVAL's ends are times, not ${KIND_WORDS[val.kind]}`);
					}
					return val.sql;
				};
				return [end(ends[0] as Expr, false), end(ends[1] as Expr, true)];
			}
			const v =
				typeof e === 'string'
					? { sql: this.instant(this.time(node, e, 'the text')), kind: 'datetime' as Kind }
					: this.value(e);
			if (v.kind !== 'datetime' && v.kind !== 'date') {
				this.fail(
					node,
					`${op.toUpperCase()} takes times, dates or intervals, not ${KIND_WORDS[v.kind]}`
				);
			}
			return this.span(v);
		};
		return `(${TEMPORAL_SQL[op](span(x), span(y))})`;
	}

	condition(expr: Expr): string {
		const node: unknown = expr;
		if (typeof node === 'boolean') return node ? 'TRUE' : 'FALSE';
		if (!isObj(node) || typeof node.op !== 'string') {
			this.fail(node, 'expected a condition ({ "op": …, "args": […] } in CQL2-JSON)');
		}
		const op = node.op;
		if (LOGICAL.has(op)) {
			if (op === 'not') return `(NOT ${this.condition(this.args(node, 1)[0])})`;
			const parts = this.args(node, null).map((a) => this.condition(a));
			return `(${parts.join(op === 'and' ? ' AND ' : ' OR ')})`;
		}
		if (COMPARISON.has(op)) return this.comparison(node, op);
		if (op === 'isNull') return `(${this.value(this.args(node, 1)[0]).sql} IS NULL)`;
		if (op === 'like') {
			const [x, y] = this.args(node, 2);
			const a = this.value(x);
			const b = this.value(y);
			if (a.kind !== 'string' || b.kind !== 'string') {
				this.fail(
					node,
					`LIKE matches text with a text pattern, not ${KIND_WORDS[a.kind === 'string' ? b.kind : a.kind]}`
				);
			}
			return `(${a.sql} LIKE ${b.sql})`;
		}
		if (op === 'between') {
			const [x, lo, hi] = this.args(node, 3);
			const [a, l] = this.pair(node, 'BETWEEN', this.value(x), this.value(lo));
			const [, h] = this.pair(node, 'BETWEEN', a, this.value(hi));
			if (a.kind !== 'number' && a.kind !== 'datetime') {
				this.fail(node, `BETWEEN takes numbers or times, not ${KIND_WORDS[a.kind]}`);
			}
			return `(${a.sql} BETWEEN ${this.span(l)[0]} AND ${this.span(h)[1]})`;
		}
		if (op === 'in') {
			const [x, list] = this.args(node, 2);
			if (!Array.isArray(list) || list.length === 0) {
				this.fail(node, 'IN takes a list of one or more values');
			}
			const a = this.value(x);
			if (a.kind === 'geometry' || a.kind === 'date') {
				this.fail(node, `IN does not take ${KIND_WORDS[a.kind]}`);
			}
			const items = list.map((item) => {
				const [, v] = this.pair(node, 'IN', a, this.value(item as Expr));
				if (v.day) this.fail(node, "IN takes instants; for a day use T_INTERSECTS(ts, DATE('…'))");
				return v.sql;
			});
			return `(${a.sql} IN (${items.join(', ')}))`;
		}
		// Own keys only: "toString" or "constructor" is no operator.
		if (Object.hasOwn(SPATIAL_SQL, op)) {
			const [x, y] = this.args(node, 2);
			const [a, b] = [this.value(x), this.value(y)];
			for (const v of [a, b]) {
				if (v.kind !== 'geometry') {
					this.fail(node, `${op.toUpperCase()} takes geometries, not ${KIND_WORDS[v.kind]}`);
				}
			}
			return `${SPATIAL_SQL[op]}(${a.sql}, ${b.sql})`;
		}
		if (Object.hasOwn(TEMPORAL_SQL, op)) return this.temporal(node, op);
		this.fail(
			node,
			`"${op.slice(0, 30)}" is not an operator this API supports (supported: ${ALL_OPS.join(', ')})`
		);
	}
}

/**
 * The SQL condition of a parsed filter on collection `c`. Parameters are appended to `params`
 * (numbered after the ones already there). `crs`: the filter's `filter-crs`.
 */
export function filterSql(
	c: CollectionDef,
	parsed: Parsed,
	params: unknown[],
	crs: OgcCrs = CRS84
): string {
	return new Translator(c, parsed.at, params, crs).condition(parsed.expr);
}
