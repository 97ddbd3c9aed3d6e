/**
 * A recursive-descent parser of CQL2 text (OGC 21-065, the subset /ogc implements) into the
 * CQL2-JSON tree (the same tree a `filter-lang=cql2-json` filter is). Precedence as the grammar
 * says: NOT binds tighter than AND, AND tighter than OR; keywords are case-insensitive; strings
 * are '…' with '' for a quote, identifiers plain or "…" (with "" for a quote).
 *
 * The parser knows no collection: which property names exist, and what may be compared with
 * what, is sql.ts's business. It only reads; nothing here is ever SQL.
 */

/** A CQL2-JSON expression. */
export type Expr =
	| string
	| number
	| boolean
	| Expr[]
	| { property: string }
	| { timestamp: string }
	| { date: string }
	| { interval: Expr[] }
	| { bbox: number[] }
	| Geometry
	| { op: string; args: Expr[] };

export type Position = number[];
export type Geometry =
	| { type: 'Point'; coordinates: Position }
	| { type: 'LineString' | 'MultiPoint'; coordinates: Position[] }
	| { type: 'Polygon' | 'MultiLineString'; coordinates: Position[][] }
	| { type: 'MultiPolygon'; coordinates: Position[][][] }
	| { type: 'GeometryCollection'; geometries: Geometry[] };

/** A filter as parsed: the tree, and where in the text each operation and property began. */
export interface Parsed {
	expr: Expr;
	/** 0-based character offsets of the tree's objects (text filters only). */
	at: WeakMap<object, number>;
}

export const MAX_FILTER_LENGTH = 8192;
/** Nesting deeper than this (parentheses, NOT, geometry collections) is refused. */
export const MAX_DEPTH = 40;

export class Cql2Error extends Error {
	constructor(
		message: string,
		/** 0-based offset into the filter text; null when there is no text (JSON). */
		readonly offset: number | null = null
	) {
		super(offset === null ? message : `at character ${offset + 1}: ${message}`);
	}
}

type Kind = 'ident' | 'qident' | 'string' | 'number' | 'punct' | 'end';
interface Token {
	kind: Kind;
	/** The identifier, unquoted string, number text or punctuation. */
	text: string;
	pos: number;
}

const PUNCT = ['<=', '>=', '<>', '(', ')', ',', '=', '<', '>', '+', '-'];

function lex(src: string): Token[] {
	const out: Token[] = [];
	let i = 0;
	while (i < src.length) {
		const ch = src[i];
		if (/\s/.test(ch)) {
			i++;
			continue;
		}
		const start = i;
		if (ch === "'" || ch === '"') {
			let text = '';
			i++;
			for (;;) {
				if (i >= src.length) {
					throw new Cql2Error(
						ch === "'" ? "a string is not closed (missing ')" : 'a quoted name is not closed',
						start
					);
				}
				if (src[i] === ch) {
					if (src[i + 1] === ch) {
						text += ch;
						i += 2;
						continue;
					}
					i++;
					break;
				}
				text += src[i++];
			}
			out.push({ kind: ch === "'" ? 'string' : 'qident', text, pos: start });
			continue;
		}
		const num = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i, i + 400));
		if (num) {
			i += num[0].length;
			if (i < src.length && /[\p{L}_\d]/u.test(src[i])) {
				throw new Cql2Error(`"${src.slice(start, i + 1)}" is neither a number nor a name`, start);
			}
			out.push({ kind: 'number', text: num[0], pos: start });
			continue;
		}
		const ident = /^[\p{L}_][\p{L}\p{N}_.:]*/u.exec(src.slice(i, i + 400));
		if (ident) {
			i += ident[0].length;
			out.push({ kind: 'ident', text: ident[0], pos: start });
			continue;
		}
		const p = PUNCT.find((x) => src.startsWith(x, i));
		if (!p) throw new Cql2Error(`unexpected character "${ch}"`, start);
		i += p.length;
		out.push({ kind: 'punct', text: p, pos: start });
	}
	out.push({ kind: 'end', text: '', pos: src.length });
	return out;
}

const COMPARISONS = new Set(['=', '<>', '<', '<=', '>', '>=']);
const RESERVED = new Set([
	'AND',
	'OR',
	'NOT',
	'LIKE',
	'BETWEEN',
	'IN',
	'IS',
	'NULL',
	'TRUE',
	'FALSE'
]);
export const SPATIAL_FUNCTIONS = [
	's_intersects',
	's_equals',
	's_disjoint',
	's_touches',
	's_within',
	's_overlaps',
	's_crosses',
	's_contains'
];
export const TEMPORAL_FUNCTIONS = [
	't_after',
	't_before',
	't_contains',
	't_disjoint',
	't_during',
	't_equals',
	't_finishedBy',
	't_finishes',
	't_intersects',
	't_meets',
	't_metBy',
	't_overlappedBy',
	't_overlaps',
	't_startedBy',
	't_starts'
];
const FUNCTIONS = new Map(
	[...SPATIAL_FUNCTIONS, ...TEMPORAL_FUNCTIONS].map((name) => [name.toUpperCase(), name])
);
const GEOMETRY_WORDS = new Set([
	'POINT',
	'LINESTRING',
	'POLYGON',
	'MULTIPOINT',
	'MULTILINESTRING',
	'MULTIPOLYGON',
	'GEOMETRYCOLLECTION',
	'BBOX'
]);

function describe(t: Token): string {
	if (t.kind === 'end') return 'the end of the filter';
	if (t.kind === 'string') return `'${t.text.slice(0, 40)}'`;
	if (t.kind === 'qident') return `"${t.text.slice(0, 40)}"`;
	return `"${t.text.slice(0, 40)}"`;
}

class Parser {
	private i = 0;
	private depth = 0;
	readonly at = new WeakMap<object, number>();

	constructor(private readonly tokens: Token[]) {}

	private get t(): Token {
		return this.tokens[this.i];
	}

	private isWord(word: string, t: Token = this.t): boolean {
		return t.kind === 'ident' && t.text.toUpperCase() === word;
	}

	private word(word: string): boolean {
		if (!this.isWord(word)) return false;
		this.i++;
		return true;
	}

	private isPunct(p: string): boolean {
		return this.t.kind === 'punct' && this.t.text === p;
	}

	private expect(p: string, what = `"${p}"`): void {
		if (!this.isPunct(p))
			throw new Cql2Error(`expected ${what}, found ${describe(this.t)}`, this.t.pos);
		this.i++;
	}

	private mark<T extends object>(node: T, pos: number): T {
		this.at.set(node, pos);
		return node;
	}

	private deeper(pos: number): void {
		if (++this.depth > MAX_DEPTH) {
			throw new Cql2Error(`the filter nests deeper than ${MAX_DEPTH} levels`, pos);
		}
	}

	parse(): Expr {
		const e = this.or();
		if (this.t.kind !== 'end') {
			throw new Cql2Error(
				`expected AND, OR or the end of the filter, found ${describe(this.t)}`,
				this.t.pos
			);
		}
		return e;
	}

	private or(): Expr {
		const pos = this.t.pos;
		const args = [this.and()];
		while (this.word('OR')) args.push(this.and());
		return args.length === 1 ? args[0] : this.mark({ op: 'or', args }, pos);
	}

	private and(): Expr {
		const pos = this.t.pos;
		const args = [this.not()];
		while (this.word('AND')) args.push(this.not());
		return args.length === 1 ? args[0] : this.mark({ op: 'and', args }, pos);
	}

	private not(): Expr {
		const pos = this.t.pos;
		if (this.word('NOT')) {
			this.deeper(pos);
			const e = this.mark({ op: 'not', args: [this.not()] }, pos);
			this.depth--;
			return e;
		}
		return this.primary();
	}

	private primary(): Expr {
		const pos = this.t.pos;
		if (this.isPunct('(')) {
			this.i++;
			this.deeper(pos);
			const e = this.or();
			this.depth--;
			this.expect(')', '")" to close the "(" at character ' + (pos + 1));
			return e;
		}
		const fn = this.t.kind === 'ident' ? FUNCTIONS.get(this.t.text.toUpperCase()) : undefined;
		if (fn) {
			this.i++;
			this.expect('(', `"(" after ${fn.toUpperCase()}`);
			const a = this.operand();
			this.expect(',', `"," between the two arguments of ${fn.toUpperCase()}`);
			const b = this.operand();
			this.expect(')', `")" after the arguments of ${fn.toUpperCase()}`);
			return this.mark({ op: fn, args: [a, b] }, pos);
		}
		const left = this.operand();
		const t = this.t;
		if (t.kind === 'punct' && COMPARISONS.has(t.text)) {
			this.i++;
			return this.mark({ op: t.text, args: [left, this.operand()] }, pos);
		}
		if (this.word('IS')) {
			const negated = this.word('NOT');
			if (!this.word('NULL')) {
				throw new Cql2Error(`expected NULL after IS, found ${describe(this.t)}`, this.t.pos);
			}
			const e = this.mark({ op: 'isNull', args: [left] }, pos);
			return negated ? this.mark({ op: 'not', args: [e] }, pos) : e;
		}
		const negated =
			this.isWord('NOT') &&
			['LIKE', 'BETWEEN', 'IN'].some((w) => this.isWord(w, this.tokens[this.i + 1]));
		if (negated) this.i++;
		let e: Expr | null = null;
		if (this.word('LIKE')) {
			e = this.mark({ op: 'like', args: [left, this.operand()] }, pos);
		} else if (this.word('BETWEEN')) {
			const lo = this.operand();
			if (!this.word('AND')) {
				throw new Cql2Error(
					`expected AND in BETWEEN … AND …, found ${describe(this.t)}`,
					this.t.pos
				);
			}
			e = this.mark({ op: 'between', args: [left, lo, this.operand()] }, pos);
		} else if (this.word('IN')) {
			this.expect('(', '"(" after IN');
			const list: Expr[] = [this.operand()];
			while (this.isPunct(',')) {
				this.i++;
				list.push(this.operand());
			}
			this.expect(')', '"," or ")" in the IN list');
			e = this.mark({ op: 'in', args: [left, list] }, pos);
		}
		if (e) return negated ? this.mark({ op: 'not', args: [e] }, pos) : e;
		if (typeof left === 'boolean') return left;
		throw new Cql2Error(
			`expected a comparison (=, <>, <, <=, >, >=, LIKE, BETWEEN, IN or IS NULL), found ${describe(t)}`,
			t.pos
		);
	}

	private number(): number {
		const t = this.t;
		let sign = 1;
		if (t.kind === 'punct' && (t.text === '-' || t.text === '+')) {
			sign = t.text === '-' ? -1 : 1;
			this.i++;
		}
		if (this.t.kind !== 'number')
			throw new Cql2Error(`expected a number, found ${describe(this.t)}`, this.t.pos);
		const n = sign * Number(this.t.text);
		if (!Number.isFinite(n))
			throw new Cql2Error(`${this.t.text} is too large a number`, this.t.pos);
		this.i++;
		return n;
	}

	private stringArg(word: string): string {
		this.expect('(', `"(" after ${word}`);
		if (this.t.kind !== 'string') {
			throw new Cql2Error(
				`${word} takes a quoted string such as '2026-11-01', found ${describe(this.t)}`,
				this.t.pos
			);
		}
		const text = this.t.text;
		this.i++;
		this.expect(')', `")" after ${word}(…`);
		return text;
	}

	/** A scalar, temporal or spatial value: a literal or a property. */
	private operand(): Expr {
		const t = this.t;
		switch (t.kind) {
			case 'string':
				this.i++;
				return t.text;
			case 'number':
				return this.number();
			case 'qident':
				this.i++;
				return this.mark({ property: t.text }, t.pos);
			case 'punct':
				if (t.text === '-' || t.text === '+') return this.number();
				throw new Cql2Error(`expected a property name or a value, found ${describe(t)}`, t.pos);
			case 'end':
				throw new Cql2Error('the filter ends where a property name or a value was expected', t.pos);
		}
		const word = t.text.toUpperCase();
		if (word === 'TRUE' || word === 'FALSE') {
			this.i++;
			return word === 'TRUE';
		}
		if (word === 'TIMESTAMP' && this.tokens[this.i + 1].text === '(') {
			this.i++;
			return this.mark({ timestamp: this.stringArg('TIMESTAMP') }, t.pos);
		}
		if (word === 'DATE' && this.tokens[this.i + 1].text === '(') {
			this.i++;
			return this.mark({ date: this.stringArg('DATE') }, t.pos);
		}
		if (word === 'INTERVAL' && this.tokens[this.i + 1].text === '(') {
			this.i++;
			this.expect('(', '"(" after INTERVAL');
			const a = this.operand();
			this.expect(',', '"," between the start and end of the INTERVAL');
			const b = this.operand();
			this.expect(')', '")" after the INTERVAL');
			return this.mark({ interval: [a, b] }, t.pos);
		}
		const next = this.tokens[this.i + 1];
		if (
			GEOMETRY_WORDS.has(word) &&
			(next.text === '(' || (this.isWord('Z', next) && this.tokens[this.i + 2].text === '('))
		) {
			return this.geometry();
		}
		if (RESERVED.has(word)) {
			throw new Cql2Error(
				`expected a property name or a value, found the keyword ${word} (write "${t.text}" for a property of that name)`,
				t.pos
			);
		}
		this.i++;
		return this.mark({ property: t.text }, t.pos);
	}

	private position(): Position {
		const p = [this.number(), this.number()];
		if (this.t.kind === 'number' || this.isPunct('-') || this.isPunct('+')) p.push(this.number());
		return p;
	}

	/** `( item, item, … )` */
	private list<T>(item: () => T): T[] {
		this.expect('(');
		const out = [item()];
		while (this.isPunct(',')) {
			this.i++;
			out.push(item());
		}
		this.expect(')', '"," or ")"');
		return out;
	}

	private geometry(): Geometry | { bbox: number[] } {
		const t = this.t;
		const word = t.text.toUpperCase();
		this.i++;
		this.deeper(t.pos);
		// "POINT Z (…)": the Z says what a third number means; nothing more.
		if (word !== 'BBOX' && this.isWord('Z')) this.i++;
		const ring = () => this.list(() => this.position());
		const poly = () => this.list(ring);
		let g: Geometry | { bbox: number[] };
		switch (word) {
			case 'BBOX': {
				const n = this.list(() => this.number());
				if (n.length !== 4 && n.length !== 6) {
					throw new Cql2Error('BBOX takes 4 numbers (or 6 with heights)', t.pos);
				}
				g = { bbox: n };
				break;
			}
			case 'POINT': {
				const [p, ...rest] = this.list(() => this.position());
				if (rest.length) throw new Cql2Error('a POINT has one position (use MULTIPOINT)', t.pos);
				g = { type: 'Point', coordinates: p };
				break;
			}
			case 'LINESTRING':
				g = { type: 'LineString', coordinates: ring() };
				break;
			case 'POLYGON':
				g = { type: 'Polygon', coordinates: poly() };
				break;
			case 'MULTIPOINT':
				// Both MULTIPOINT (1 2, 3 4) and MULTIPOINT ((1 2), (3 4)).
				g = {
					type: 'MultiPoint',
					coordinates: this.list(() => {
						if (!this.isPunct('(')) return this.position();
						this.i++;
						const p = this.position();
						this.expect(')');
						return p;
					})
				};
				break;
			case 'MULTILINESTRING':
				g = { type: 'MultiLineString', coordinates: this.list(ring) };
				break;
			case 'MULTIPOLYGON':
				g = { type: 'MultiPolygon', coordinates: this.list(poly) };
				break;
			default: {
				const geometries = this.list(() => {
					const inner = this.t;
					if (
						!GEOMETRY_WORDS.has(inner.text.toUpperCase()) ||
						inner.text.toUpperCase() === 'BBOX'
					) {
						throw new Cql2Error(`expected a geometry, found ${describe(inner)}`, inner.pos);
					}
					return this.geometry() as Geometry;
				});
				g = { type: 'GeometryCollection', geometries };
			}
		}
		this.depth--;
		return this.mark(g, t.pos);
	}
}

/** CQL2 text → the CQL2-JSON tree (throws Cql2Error with the offending position). */
export function parseCql2Text(text: string): Parsed {
	if (text.length > MAX_FILTER_LENGTH) {
		throw new Cql2Error(`the filter is longer than ${MAX_FILTER_LENGTH} characters`);
	}
	if (text.trim() === '') throw new Cql2Error('the filter is empty');
	const p = new Parser(lex(text));
	return { expr: p.parse(), at: p.at };
}

/** A CQL2-JSON filter text → the tree (its shape is checked where it is translated). */
export function parseCql2Json(text: string): Parsed {
	if (text.length > MAX_FILTER_LENGTH) {
		throw new Cql2Error(`the filter is longer than ${MAX_FILTER_LENGTH} characters`);
	}
	let expr: unknown;
	try {
		expr = JSON.parse(text);
	} catch {
		throw new Cql2Error('filter-lang=cql2-json, but the filter is not JSON');
	}
	const depth = (v: unknown, d: number): void => {
		if (d > MAX_DEPTH * 2) throw new Cql2Error(`the filter nests deeper than ${MAX_DEPTH} levels`);
		if (v && typeof v === 'object') for (const x of Object.values(v)) depth(x, d + 1);
	};
	depth(expr, 0);
	return { expr: expr as Expr, at: new WeakMap() };
}
