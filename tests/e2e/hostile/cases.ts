/**
 * The hostile-input case table: for every API route, inputs a client should never send, with
 * the answer each must get (status, and what the JSON message must say). Pure data, built from
 * a few ids of the running demo city (see `HostileContext`); hostile.spec.ts sends them.
 */

export const CATEGORIES = [
	'malformed-json',
	'content-type',
	'wrong-types',
	'huge-payload',
	'geometry',
	'sql-injection',
	'path-traversal',
	'method',
	'forged-auth'
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface Answer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
	json: unknown;
	ms: number;
}

export interface HostileCase {
	category: Category;
	name: string;
	method: string;
	/** Request target, sent as written when `raw`. */
	path: string;
	headers?: Record<string, string>;
	body?: string | Buffer;
	/** Chunked upload without Content-Length (always raw). */
	chunks?: Buffer[];
	/** Send with the plain HTTP client: exact path, no Content-Type added. */
	raw?: boolean;
	/** A stream (SSE): only the status is read. */
	headersOnly?: boolean;
	/** Acceptable statuses. */
	status: number[];
	/** Answers JSON `{ message }` (the API's error shape); false for pages and 405s. */
	jsonError?: boolean;
	/** Extra check on the answer; returns what is wrong, or null. */
	check?: (a: Answer) => string | null;
	/** Sent without the suite's signed-in session: only this case's own headers (forged auth). */
	anonymous?: boolean;
	/** Answer within this many ms (default 5000). */
	maxMs?: number;
	/** While it runs, the server must still answer GET /data/manifest.json quickly. */
	probe?: boolean;
}

export interface HostileContext {
	/** An incident of the demo city, and where it lies (a point inside the jurisdiction). */
	incidentId: number;
	incidentVersion: number;
	lon: number;
	lat: number;
	/** An alert id (a real one when there is one). */
	alertId: number;
	/** Credentials to forge from, once sign-in exists (/api/session). */
	auth: null | {
		origin: string;
		/** The suite's own session cookie value. */
		session: string;
		/** A signed-out session's cookie value (what an expired session looks like: gone). */
		revokedSession: string;
		/** A revoked device token. */
		revokedToken: string;
		/** An active device token (wall), for the kiosk link's redirect cases. */
		kioskToken: string;
	};
	/** A community with a grid plan, when /api/plans exists: its published grids. */
	plans: null | {
		communityId: string;
		grids: GridFeatureLike[];
		/** A zipped Shapefile of a few hundred KB that unpacks to hundreds of MB. */
		zipBomb: Buffer;
	};
}

export interface GridFeatureLike {
	type: 'Feature';
	id?: string | number;
	geometry: { type: string; coordinates: unknown };
	properties: Record<string, unknown>;
}

const KIB = 1024;
const MIB = 1024 * KIB;
const JSON_CT = { 'content-type': 'application/json' };

/** Injection strings tried in every filter, search and path parameter. */
export const SQLI: string[] = [
	`' OR 1=1 --`,
	`1; DROP TABLE incident`,
	`1') UNION SELECT id, id, id FROM incident --`,
	`1 OR 1=1`,
	`’ OR ‘1’=‘1`,
	`1\u0000`,
	`'; SELECT pg_sleep(5) --`,
	`$1`,
	`x`.repeat(4000)
];

const enc = encodeURIComponent;

/** The message says something a person can act on, naming the field when one is given. */
export function clearMessage(a: Answer, field?: string): string | null {
	const body = a.json as { message?: unknown; field?: unknown } | null;
	if (!body || typeof body !== 'object') return `no JSON error body: ${a.text.slice(0, 120)}`;
	if (typeof body.message !== 'string' || body.message.trim().length < 8)
		return `no clear message: ${a.text.slice(0, 160)}`;
	if (/internal error/i.test(body.message)) return `internal error: ${body.message}`;
	if (field !== undefined) {
		const named = body.field === field || body.message.includes(field);
		if (!named) return `message does not name "${field}": ${a.text.slice(0, 200)}`;
	}
	return null;
}

const names = (field: string) => (a: Answer) => clearMessage(a, field);

/** An OGC page of no features (a hostile value that was bound, matching nothing). */
function emptyPage(a: Answer): string | null {
	return (a.json as { numberReturned?: number } | null)?.numberReturned === 0
		? null
		: `not an empty page: ${a.text.slice(0, 160)}`;
}

/** Never a file from outside the data set. */
function noLeak(a: Answer): string | null {
	if (/"devDependencies"|root:x:0:0|"compilerOptions"|\[fonts\]|PRIVATE KEY/.test(a.text))
		return 'served a file outside the data set';
	return null;
}

function jsonBody(v: unknown): string {
	return JSON.stringify(v);
}

interface BodyRoute {
	label: string;
	method: string;
	path: string;
	limit: number;
	/** A body the route accepts in shape (it may still be refused for its content). */
	sample: () => unknown;
	/** Statuses a well-formed but wrong-content body may get (422, 404 for unknown ids…). */
	content: number[];
}

function bodyRoutes(ctx: HostileContext): BodyRoute[] {
	const id = ctx.incidentId;
	const routes: BodyRoute[] = [
		{
			label: 'incident intake',
			method: 'POST',
			path: '/api/incidents',
			limit: 500 * KIB,
			sample: () => ({ type: 'dispute', lon: ctx.lon, lat: ctx.lat, priority: 9 }),
			content: [422]
		},
		{
			label: 'incident status (PATCH)',
			method: 'PATCH',
			path: `/api/incidents/${id}`,
			limit: 16 * KIB,
			sample: () => ({ status: 'no-such-status' }),
			content: [422]
		},
		{
			label: 'case transition',
			method: 'POST',
			path: `/api/incidents/${id}/transitions`,
			limit: 64 * KIB,
			sample: () => ({ action: 'no-such-action', actor: 'hostile', version: 1 }),
			content: [422]
		},
		{
			label: 'dispatch nearest',
			method: 'POST',
			path: `/api/incidents/${id}/dispatch-nearest`,
			limit: 16 * KIB,
			sample: () => ({ actor: '', version: 1 }),
			content: [422]
		},
		{
			label: 'alert ack',
			method: 'POST',
			// Never a real alert: no body at all is a valid acknowledgement.
			path: '/api/alerts/9007199254740991/ack',
			limit: ctx.auth ? 1 * KIB : 4 * KIB,
			sample: () => ({ actor: 5 }),
			content: [422]
		},
		{
			label: 'wall follow',
			method: 'POST',
			path: '/api/wall/follow',
			limit: 4 * KIB,
			sample: () => ({ center: [ctx.lon, ctx.lat], zoom: 99 }),
			content: [422]
		}
	];
	if (ctx.auth) {
		routes.push(
			{
				label: 'sign-in',
				method: 'POST',
				path: '/api/session',
				limit: 4 * KIB,
				sample: () => ({ username: 5, password: 'x' }),
				content: [422]
			},
			{
				label: 'new user',
				method: 'POST',
				path: '/api/admin/users',
				limit: 4 * KIB,
				sample: () => ({ username: 'Bad Name!', displayName: 'x', role: 'god', password: 'x' }),
				content: [422]
			},
			{
				label: 'user change',
				method: 'PATCH',
				path: '/api/admin/users/9007199254740991',
				limit: 4 * KIB,
				sample: () => ({ role: 'god' }),
				content: [422]
			},
			{
				label: 'new device token',
				method: 'POST',
				path: '/api/admin/devices',
				limit: 4 * KIB,
				sample: () => ({ name: 5, role: 'admin' }),
				content: [422]
			}
		);
	}
	if (ctx.plans) {
		const cid = enc(ctx.plans.communityId);
		routes.push(
			{
				label: 'plan draft',
				method: 'PUT',
				path: `/api/plans/${cid}/draft`,
				limit: 5 * MIB,
				sample: () => ({ version: 'stale', grids: { type: 'FeatureCollection', features: [] } }),
				content: [422]
			},
			{
				label: 'plan publish',
				method: 'POST',
				path: `/api/plans/${cid}/publish`,
				limit: 16 * KIB,
				sample: () => ({ version: 'x', effectiveDate: 'not a date' }),
				content: [422]
			}
		);
	}
	return routes;
}

function malformed(r: BodyRoute): HostileCase[] {
	const c = (name: string, body: string | Buffer, status: number[]): HostileCase => ({
		category: 'malformed-json',
		name: `${r.label}: ${name}`,
		method: r.method,
		path: r.path,
		headers: JSON_CT,
		body,
		status
	});
	const sample = jsonBody(r.sample());
	const deep = '['.repeat(1500) + ']'.repeat(1500);
	return [
		c('truncated JSON', sample.slice(0, Math.max(1, sample.length - 5)), [400]),
		c('trailing garbage', sample + ' xyz', [400]),
		c('two documents', sample + sample, [400]),
		c('empty body', '', r.label === 'alert ack' ? [400, 404] : [400]),
		c('only whitespace', '   \n\t ', [400]),
		c('single quotes', sample.replaceAll('"', "'"), [400]),
		c('a comment', '/* hi */' + sample, [400]),
		c('NaN literal', '{"lon": NaN}', [400]),
		c('unquoted key', '{actor: "x"}', [400]),
		c(
			'invalid UTF-8',
			Buffer.concat([
				Buffer.from('{"actor":"'),
				Buffer.from([0xff, 0xfe, 0xc3]),
				Buffer.from('"}')
			]),
			[400]
		),
		c(
			'BOM before JSON',
			Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(sample)]),
			r.content
		),
		c('null', 'null', [422]),
		c('a string', '"hello"', [422]),
		c('a number', '42', [422]),
		c('true', 'true', [422]),
		c('an empty array', '[]', [422]),
		c('an array of the object', `[${sample}]`, r.label === 'incident intake' ? [422] : [422]),
		c('1500-deep nested arrays', deep, [413, 422]),
		c('__proto__ key', `{"__proto__":{"admin":true},"polluted":1}`, [422]),
		c('NUL escape in a string', `{"actor":"a\\u0000b","comment":"\\u0000"}`, [400, 422])
	];
}

function contentTypes(r: BodyRoute): HostileCase[] {
	const body = jsonBody(r.sample());
	const c = (name: string, headers: Record<string, string>, status: number[]): HostileCase => ({
		category: 'content-type',
		name: `${r.label}: ${name}`,
		method: r.method,
		path: r.path,
		headers,
		body,
		raw: true,
		status
	});
	return [
		c('no Content-Type', {}, r.label === 'alert ack' ? [404, 415] : [415]),
		// Form types: SvelteKit's own CSRF guard may answer first (403, plain text).
		...['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'].map(
			(type): HostileCase => ({
				...c(type.split(';')[0], { 'content-type': type }, [403, 415]),
				jsonError: false,
				check: (a) =>
					a.status === 403
						? /forbidden/i.test(a.text)
							? null
							: `403 without a reason: ${a.text.slice(0, 100)}`
						: clearMessage(a)
			})
		),
		c('application/xml', { 'content-type': 'application/xml' }, [415]),
		c('application/jsonp', { 'content-type': 'application/jsonp' }, [415])
	];
}

/** Over the limit with a declared length, over it chunked, and just under it (still parsed). */
function huge(r: BodyRoute): HostileCase[] {
	const over = r.limit + 1024;
	const pad = (n: number) => {
		// A JSON object padded with spaces: valid JSON of exactly n bytes.
		const core = jsonBody(r.sample());
		return Buffer.from(core.slice(0, -1) + ' '.repeat(Math.max(0, n - core.length)) + '}');
	};
	const big = pad(over);
	const chunk = 64 * KIB;
	const chunks: Buffer[] = [];
	for (let i = 0; i < big.length; i += chunk) chunks.push(big.subarray(i, i + chunk));
	return [
		{
			category: 'huge-payload',
			name: `${r.label}: ${over} bytes with Content-Length`,
			method: r.method,
			path: r.path,
			headers: JSON_CT,
			body: big,
			raw: true,
			status: [413]
		},
		{
			category: 'huge-payload',
			name: `${r.label}: ${over} bytes chunked, no Content-Length`,
			method: r.method,
			path: r.path,
			headers: JSON_CT,
			chunks,
			status: [413]
		},
		{
			category: 'huge-payload',
			name: `${r.label}: just under the limit (${r.limit - 64} bytes) is parsed`,
			method: r.method,
			path: r.path,
			headers: JSON_CT,
			body: pad(r.limit - 64),
			status: r.content
		}
	];
}

function intakeTypes(ctx: HostileContext): HostileCase[] {
	const ok = { type: 'dispute', lon: ctx.lon, lat: ctx.lat };
	const out: HostileCase[] = [];
	const bad = (field: string, value: unknown, category: Category = 'wrong-types') =>
		out.push({
			category,
			name: `incident intake: ${field} = ${JSON.stringify(value)?.slice(0, 40)}`,
			method: 'POST',
			path: '/api/incidents',
			headers: JSON_CT,
			body: jsonBody({ ...ok, [field]: value }),
			status: [422],
			check: names(field)
		});
	for (const v of [5, {}, [], true, null, 'nope', 'DISPUTE ']) bad('type', v);
	for (const v of ['117.7', true, [ctx.lon], {}, null, '']) bad('lon', v);
	for (const v of ['39', false, [ctx.lat, ctx.lat], { lat: 1 }]) bad('lat', v);
	for (const v of ['yesterday', 1.5, -1, 1e20, '2026-13-45T99:00:00Z', {}, 'NaN']) bad('ts', v);
	for (const v of ['1', 1.5, 0, 5, -1, null]) bad('priority', v);
	for (const v of [5, {}, ['a'], 'x'.repeat(2001), true]) bad('description', v);
	for (const v of [5, 'mercator', {}]) bad('crs', v);
	for (const v of [5, 'carrier pigeon']) bad('source', v);
	// Geometry as numbers: NaN/Infinity as strings, out of range, wrong nesting.
	for (const v of ['NaN', 'Infinity', '-Infinity', 181, -180.0001, [ctx.lon, ctx.lat]])
		bad('lon', v, 'geometry');
	for (const v of ['NaN', 'Infinity', 90.0001, -91, { type: 'Point', coordinates: [1, 2] }])
		bad('lat', v, 'geometry');
	const raw = (name: string, body: string, field: string | null, status = [422]): HostileCase => ({
		category: 'geometry',
		name: `incident intake: ${name}`,
		method: 'POST',
		path: '/api/incidents',
		headers: JSON_CT,
		body,
		status,
		check: field ? names(field) : undefined
	});
	out.push(
		raw('lon = 1e999 (Infinity)', `{"type":"dispute","lon":1e999,"lat":${ctx.lat}}`, 'lon'),
		raw('lat = -1e999', `{"type":"dispute","lon":${ctx.lon},"lat":-1e999}`, 'lat'),
		raw(
			'lon = 1e-999 rounds to 0, outside the city',
			`{"type":"dispute","lon":1e-999,"lat":0}`,
			null
		),
		raw('a point in the sea off Africa (0, 0)', `{"type":"dispute","lon":0,"lat":0}`, null),
		raw(
			'a GeoJSON Point instead of lon/lat',
			jsonBody({ type: 'dispute', geometry: { type: 'Point', coordinates: [ctx.lon, ctx.lat] } }),
			null
		)
	);
	out.push(
		{
			category: 'wrong-types',
			name: 'incident intake: missing type',
			method: 'POST',
			path: '/api/incidents',
			headers: JSON_CT,
			body: jsonBody({ lon: ctx.lon, lat: ctx.lat }),
			status: [422],
			check: names('type')
		},
		{
			category: 'wrong-types',
			name: 'incident intake: missing lat',
			method: 'POST',
			path: '/api/incidents',
			headers: JSON_CT,
			body: jsonBody({ type: 'dispute', lon: ctx.lon }),
			status: [422],
			check: names('lat')
		},
		{
			category: 'wrong-types',
			name: 'incident intake: unknown field',
			method: 'POST',
			path: '/api/incidents',
			headers: JSON_CT,
			body: jsonBody({ ...ok, id: 1, status: 'closed' }),
			status: [422],
			check: names('id')
		},
		{
			category: 'wrong-types',
			name: 'incident intake: a batch with one bad item stores none',
			method: 'POST',
			path: '/api/incidents',
			headers: JSON_CT,
			body: jsonBody([ok, ok, { ...ok, lat: 'north' }]),
			status: [422],
			check: names('[2].lat')
		},
		{
			category: 'wrong-types',
			name: 'incident intake: a batch of 1001',
			method: 'POST',
			path: '/api/incidents',
			headers: JSON_CT,
			body: jsonBody(Array.from({ length: 1001 }, () => ({}))),
			status: [413]
		},
		{
			category: 'wrong-types',
			name: 'incident intake: a batch of nested arrays',
			method: 'POST',
			path: '/api/incidents',
			headers: JSON_CT,
			body: jsonBody([[ok], [[ok]]]),
			status: [422],
			check: names('[0]')
		},
		{
			category: 'wrong-types',
			name: 'incident intake: 1000 bad items list at most 20 errors',
			method: 'POST',
			path: '/api/incidents',
			headers: JSON_CT,
			body: jsonBody(Array.from({ length: 1000 }, () => ({ ...ok, type: 1 }))),
			status: [422],
			check: (a) => {
				const e = (a.json as { errors?: unknown[] }).errors;
				return Array.isArray(e) && e.length <= 20 ? null : 'errors not capped at 20';
			}
		}
	);
	return out;
}

function objectTypes(
	label: string,
	method: string,
	path: string,
	ok: Record<string, unknown>,
	wrong: Record<string, unknown[]>,
	status = [422],
	/** Fields that may be left out: without them the request is still refused (409, stale). */
	optional: string[] = [],
	/** Fields never to leave out (without them the request would be applied). */
	keep: string[] = []
): HostileCase[] {
	const out: HostileCase[] = [];
	for (const [field, values] of Object.entries(wrong)) {
		for (const v of values) {
			out.push({
				category: 'wrong-types',
				name: `${label}: ${field} = ${JSON.stringify(v)?.slice(0, 40)}`,
				method,
				path,
				headers: JSON_CT,
				body: jsonBody({ ...ok, [field]: v }),
				status,
				check: names(field.split('.')[0])
			});
		}
	}
	for (const field of Object.keys(ok)) {
		if (keep.includes(field)) continue;
		const rest = { ...ok };
		delete rest[field];
		out.push({
			category: 'wrong-types',
			name: `${label}: missing ${field}`,
			method,
			path,
			headers: JSON_CT,
			body: jsonBody(rest),
			status: optional.includes(field) ? [409, ...status] : status
		});
	}
	out.push({
		category: 'wrong-types',
		name: `${label}: unknown field`,
		method,
		path,
		headers: JSON_CT,
		body: jsonBody({ ...ok, isAdmin: true }),
		status,
		check: names('isAdmin')
	});
	return out;
}

function caseTypes(ctx: HostileContext): HostileCase[] {
	const id = ctx.incidentId;
	// A stale version: whatever else is right, nothing may be applied (409).
	const stale = ctx.incidentVersion + 1000;
	const text = [5, {}, ['a'], true];
	return [
		...objectTypes(
			'PATCH incident',
			'PATCH',
			`/api/incidents/${id}`,
			{ status: 'closed', version: stale },
			{
				status: [5, null, 'CLOSED', 'nope', ['closed']],
				comment: text,
				version: ['1', 1.5, {}, true, null],
				actor: ['hostile', 5]
			},
			[422],
			['comment'],
			['version']
		),
		...objectTypes(
			'transition',
			'POST',
			`/api/incidents/${id}/transitions`,
			{ action: 'close', version: stale },
			{
				action: [5, null, 'CLOSE', 'drop table', ['close']],
				to: [5, 'nowhere', {}],
				assignees: [
					'x',
					[5],
					[{ kind: 'wizard', name: 'x' }],
					[{ kind: 'unit' }],
					Array(21).fill({ kind: 'person', name: 'x' })
				],
				comment: [...text, 'x'.repeat(2001)],
				version: ['1', 0, -1, 1.5, null, [1]],
				// The actor is the signed-in user: naming one is refused.
				actor: ['hostile', 5]
			},
			[422],
			['comment']
		),
		...objectTypes(
			'dispatch nearest',
			'POST',
			`/api/incidents/${id}/dispatch-nearest`,
			{ version: stale },
			{
				version: ['1', 0, 1.5, null],
				mode: [5, 'submarine', {}],
				comment: text,
				actor: ['hostile', 5]
			},
			[422]
		),
		...[{ actor: 'hostile' }, { isAdmin: true }, [], 'null', '"x"'].map((v): HostileCase => ({
			category: 'wrong-types',
			name: `alert ack: body ${JSON.stringify(v)}`,
			method: 'POST',
			path: '/api/alerts/9007199254740991/ack',
			headers: JSON_CT,
			body: typeof v === 'string' ? v : jsonBody(v),
			status: [422],
			check: (a) => clearMessage(a)
		})),
		...objectTypes(
			'wall follow',
			'POST',
			'/api/wall/follow',
			{ center: [ctx.lon, ctx.lat], zoom: 12 },
			{
				center: [
					`${ctx.lon},${ctx.lat}`,
					[ctx.lon],
					[ctx.lon, ctx.lat, 5],
					[String(ctx.lon), String(ctx.lat)],
					{},
					null
				],
				zoom: ['12', 2, 21, null, [12]],
				// Who pushed the view is the signed-in user, not a field.
				by: ['hostile', 5]
			}
		),
		// The version check comes before anything is written: a big or stale version is a 409.
		{
			category: 'wrong-types',
			name: 'transition: version = 2^31 (beyond a 32-bit column)',
			method: 'POST',
			path: `/api/incidents/${id}/transitions`,
			headers: JSON_CT,
			body: jsonBody({ action: 'close', version: 2 ** 31 }),
			status: [409, 422]
		},
		{
			category: 'wrong-types',
			name: 'transition: version = 2^53 + 2',
			method: 'POST',
			path: `/api/incidents/${id}/transitions`,
			headers: JSON_CT,
			body: '{"action":"close","version":9007199254740994}',
			status: [409, 422]
		},
		{
			category: 'wrong-types',
			name: 'PATCH incident: version = 2^31',
			method: 'PATCH',
			path: `/api/incidents/${id}`,
			headers: JSON_CT,
			body: jsonBody({ status: 'closed', version: 2 ** 31 }),
			status: [409, 422]
		}
	];
}

function wallGeometry(ctx: HostileContext): HostileCase[] {
	const c = (name: string, body: string, field: string): HostileCase => ({
		category: 'geometry',
		name: `wall follow: ${name}`,
		method: 'POST',
		path: '/api/wall/follow',
		headers: JSON_CT,
		body,
		status: [422],
		check: names(field)
	});
	return [
		c('center lon 1e999', `{"center":[1e999,${ctx.lat}],"zoom":12}`, 'center'),
		c('center lat -1e999', `{"center":[${ctx.lon},-1e999],"zoom":12}`, 'center'),
		c('center ["NaN","NaN"]', `{"center":["NaN","NaN"],"zoom":12}`, 'center'),
		c('center [200, 0]', `{"center":[200,0],"zoom":12}`, 'center'),
		c('center [0, 89] (beyond Web Mercator)', `{"center":[0,89],"zoom":12}`, 'center'),
		c('center [[lon, lat]]', `{"center":[[${ctx.lon},${ctx.lat}]],"zoom":12}`, 'center'),
		c('zoom 1e999', `{"center":[${ctx.lon},${ctx.lat}],"zoom":1e999}`, 'zoom')
	];
}

const ID_PATH_VALUES = [
	'abc',
	'-1',
	'0',
	'1.5',
	'1e3',
	'0x10',
	'%201',
	'1%00',
	'9'.repeat(30),
	'9007199254740993',
	...SQLI.map(enc)
];

function pathIds(ctx: HostileContext): HostileCase[] {
	const out: HostileCase[] = [];
	const targets: { label: string; method: string; path: (id: string) => string; body?: string }[] =
		[
			{ label: 'GET incident', method: 'GET', path: (id) => `/api/incidents/${id}` },
			{ label: 'nearest units', method: 'GET', path: (id) => `/api/incidents/${id}/nearest-units` },
			{
				label: 'PATCH incident',
				method: 'PATCH',
				path: (id) => `/api/incidents/${id}`,
				body: jsonBody({ status: 'closed' })
			},
			{
				label: 'transition',
				method: 'POST',
				path: (id) => `/api/incidents/${id}/transitions`,
				body: jsonBody({ action: 'close', version: 1 })
			},
			{
				label: 'dispatch nearest',
				method: 'POST',
				path: (id) => `/api/incidents/${id}/dispatch-nearest`,
				body: jsonBody({ version: 1 })
			},
			{
				label: 'alert ack',
				method: 'POST',
				path: (id) => `/api/alerts/${id}/ack`,
				body: '{}'
			}
		];
	for (const t of targets) {
		for (const v of ID_PATH_VALUES) {
			out.push({
				category: 'sql-injection',
				name: `${t.label}: id "${decodeURIComponent(v).slice(0, 40)}"`,
				method: t.method,
				path: t.path(v),
				headers: t.body ? JSON_CT : undefined,
				body: t.body,
				raw: true,
				status: [400, 404],
				check: (a) => clearMessage(a)
			});
		}
		// A well-formed id that does not exist, as large as ids go.
		out.push({
			category: 'sql-injection',
			name: `${t.label}: id 9007199254740991 (no such record)`,
			method: t.method,
			path: t.path('9007199254740991'),
			headers: t.body ? JSON_CT : undefined,
			body: t.body,
			status: [404],
			check: (a) => clearMessage(a)
		});
	}
	void ctx;
	return out;
}

function queries(ctx: HostileContext): HostileCase[] {
	const out: HostileCase[] = [];
	const q = (
		label: string,
		path: string,
		param: string,
		status = [400],
		extra: Partial<HostileCase> = {}
	) => {
		for (const v of SQLI) {
			out.push({
				category: 'sql-injection',
				name: `${label}: ${param}="${v.slice(0, 40)}"`,
				method: 'GET',
				path: `${path}${path.includes('?') ? '&' : '?'}${param}=${enc(v)}`,
				status,
				check: (a) => clearMessage(a, param),
				...extra
			});
		}
	};
	q('overdue list', '/api/incidents?overdue=1', 'limit');
	q('overdue list', '/api/incidents', 'overdue');
	q('alerts', '/api/alerts', 'open');
	q('alerts', '/api/alerts?open=1', 'limit');
	q('nearest units', `/api/incidents/${ctx.incidentId}/nearest-units`, 'mode');
	q('nearest units', `/api/incidents/${ctx.incidentId}/nearest-units`, 'limit');
	q('live stream', '/api/stream', 'since', [400], {
		headersOnly: true,
		raw: true,
		check: undefined
	});
	for (const coll of ['incidents', 'grids']) {
		const items = `/ogc/collections/${coll}/items`;
		q(`ogc ${coll} items`, items, 'bbox');
		q(`ogc ${coll} items`, items, 'datetime');
		q(`ogc ${coll} items`, items, 'limit');
		q(`ogc ${coll} items`, items, 'after');
		q(`ogc ${coll} items`, items, 'f');
		// Filters this API does not offer are refused by name, not ignored.
		q(`ogc ${coll} items`, items, 'offset');
		q(`ogc ${coll} items`, items, coll === 'incidents' ? 'name' : 'type');
		// A queryable as a parameter (Part 3): the hostile text is a bound value matching nothing.
		q(`ogc ${coll} items`, items, coll === 'incidents' ? 'type' : 'name', [200, 400], {
			jsonError: undefined,
			check: (a) => (a.status === 200 ? emptyPage(a) : clearMessage(a))
		});
		for (const p of ['filter', 'sortby', 'properties', 'filter-lang', 'filter-crs']) {
			q(`ogc ${coll} items`, items, p);
		}
	}
	q('ogc landing', '/ogc', 'f');
	q('ogc collections', '/ogc/collections', 'f');
	for (const v of SQLI) {
		const s = v.slice(0, 40);
		out.push(
			{
				category: 'sql-injection',
				name: `ogc collection id "${s}"`,
				method: 'GET',
				path: `/ogc/collections/${enc(v)}`,
				status: [404],
				check: (a) => clearMessage(a)
			},
			{
				category: 'sql-injection',
				name: `ogc items of collection "${s}"`,
				method: 'GET',
				path: `/ogc/collections/${enc(v)}/items`,
				status: [404],
				check: (a) => clearMessage(a)
			},
			{
				category: 'sql-injection',
				name: `ogc grid feature id "${s}"`,
				method: 'GET',
				path: `/ogc/collections/grids/items/${enc(v)}`,
				status: [404],
				check: (a) => clearMessage(a)
			},
			{
				category: 'sql-injection',
				name: `ogc incident feature id "${s}"`,
				method: 'GET',
				path: `/ogc/collections/incidents/items/${enc(v)}`,
				status: [404],
				check: (a) => clearMessage(a)
			}
		);
	}
	const ogcBad = (name: string, query: string, param: string, coll = 'incidents') =>
		out.push({
			category: 'wrong-types',
			name: `ogc ${coll} items: ${name}`,
			method: 'GET',
			path: `/ogc/collections/${coll}/items?${query}`,
			status: [400],
			check: (a) => clearMessage(a, param)
		});
	ogcBad('bbox with 1e999', 'bbox=1e999,0,1,1', 'bbox');
	ogcBad('bbox NaN', 'bbox=NaN,NaN,NaN,NaN', 'bbox');
	ogcBad('bbox of 3 numbers', 'bbox=1,2,3', 'bbox');
	ogcBad('bbox out of range', 'bbox=-200,0,200,10', 'bbox');
	ogcBad('bbox south above north', 'bbox=0,50,10,10', 'bbox');
	ogcBad('bbox empty', 'bbox=', 'bbox');
	ogcBad('bbox repeated', 'bbox=0,0,1,1&bbox=1,1,2,2', 'bbox');
	ogcBad('datetime month 13', 'datetime=2026-13-45', 'datetime');
	ogcBad('datetime ../..', 'datetime=../..', 'datetime');
	ogcBad('datetime reversed', 'datetime=2026-02-01/2025-01-01', 'datetime');
	ogcBad('datetime hour 99', 'datetime=2026-01-01T99:00:00Z', 'datetime');
	ogcBad('limit 0', 'limit=0', 'limit');
	ogcBad('limit -1', 'limit=-1', 'limit');
	ogcBad('limit 1e3', 'limit=1e3', 'limit');
	ogcBad('limit 1.5', 'limit=1.5', 'limit');
	for (const after of ['9007199254740991', '2147483648'])
		out.push({
			category: 'wrong-types',
			name: `ogc grids items: after=${after} (beyond a 32-bit key) is an empty page`,
			method: 'GET',
			path: `/ogc/collections/grids/items?after=${after}`,
			status: [200],
			jsonError: false,
			check: (a) =>
				(a.json as { numberReturned?: number })?.numberReturned === 0 ? null : 'not an empty page'
		});
	ogcBad('after -1e30', 'after=-1000000000000000000000000000000', 'after', 'grids');
	ogcBad('after 2^31 (incidents)', 'after=9007199254740993', 'after');
	// CQL2 (Part 3): values are bound and names whitelisted, so an injection either matches
	// nothing or is refused with where it went wrong; nothing reaches the SQL as text.
	const cql = (name: string, filter: string, status: number[], lang = 'cql2-text') =>
		out.push({
			category: 'sql-injection',
			name: `ogc incidents filter: ${name}`,
			method: 'GET',
			path: `/ogc/collections/incidents/items?filter-lang=${lang}&filter=${enc(filter)}`,
			status,
			jsonError: status.includes(200) ? false : undefined,
			check: (a) => (a.status === 200 ? emptyPage(a) : clearMessage(a, 'filter'))
		});
	cql('quote-closing value', "type = '''; DROP TABLE incident; --'", [200]);
	cql('LIKE with a quote', "description LIKE '%'' OR 1=1 --'", [200]);
	cql('IN with a statement', "type IN ('a''); DELETE FROM incident; --')", [200]);
	cql('NUL in a value', "type = 'a\u0000b'", [400]);
	cql('a statement after the filter', "type = 'x'; DROP TABLE incident", [400]);
	cql('a quoted name with SQL', '"type"" = 1; DROP TABLE incident; --" = 1', [400]);
	cql('a qualified column', '"t.id" = 1', [400]);
	cql('a function call', 'pg_sleep(5) = 1', [400]);
	cql('a subquery', 'type IN (SELECT type FROM incident)', [400]);
	cql('a comment', "type = 'x' /* */", [400]);
	cql('a text against a number', "priority = '1 OR 1=1'", [400]);
	cql('8,200 characters', `type = '${'x'.repeat(8200)}'`, [400]);
	cql('NOT ×2000', 'NOT '.repeat(2000) + "type = 'x'", [400]);
	cql('50 parentheses', '('.repeat(50) + "type = 'x'" + ')'.repeat(50), [400]);
	cql('an unclosed polygon', 'S_INTERSECTS(geometry, POLYGON((0 0, 1 1, 1 0, 2 2)))', [400]);
	cql('a polygon of NaN', 'S_INTERSECTS(geometry, POLYGON((NaN 0, 1 1, 1 0, NaN 0)))', [400]);
	cql(
		'a JSON property with SQL',
		'{"op":"=","args":[{"property":"type) OR (1=1"},"x"]}',
		[400],
		'cql2-json'
	);
	cql(
		'a JSON operator with SQL',
		'{"op":"= 1 OR 1","args":[{"property":"type"},"x"]}',
		[400],
		'cql2-json'
	);
	cql(
		'a JSON operator from the object prototype',
		'{"op":"constructor","args":[{"property":"ts"},{"timestamp":"2026-11-01T00:00:00Z"}]}',
		[400],
		'cql2-json'
	);
	cql('JSON that is not JSON', "{'op': '='}", [400], 'cql2-json');
	ogcBad('sortby with a statement', `sortby=${enc('ts;DROP TABLE incident')}`, 'sortby');
	ogcBad('sortby a quoted name', `sortby=${enc('-"ts"')}`, 'sortby');
	ogcBad('properties with a quote', `properties=${enc("type,'x")}`, 'properties');
	ogcBad(
		'a forged sorted-page key',
		`sortby=ts&after=${Buffer.from('["x"]').toString('base64url')}`,
		'after'
	);
	// A long URL is refused by the HTTP layer, not by a crash.
	out.push({
		category: 'sql-injection',
		name: 'ogc items: a 40,000-character query',
		method: 'GET',
		path: `/ogc/collections/incidents/items?bbox=${'9'.repeat(40_000)}`,
		raw: true,
		status: [400, 414, 431],
		jsonError: false
	});
	return out;
}

const LEAKY = [
	'/data/../../package.json',
	'/data/..%2f..%2fpackage.json',
	'/data/%2e%2e%2f%2e%2e%2fpackage.json',
	'/data/%2e%2e/%2e%2e/package.json',
	'/data/%252e%252e%252fpackage.json',
	'/data/..%252f..%252fpackage.json',
	'/data/..\\..\\package.json',
	'/data/..%5c..%5cpackage.json',
	'/data/%2fetc%2fpasswd',
	'/data//etc/passwd',
	'/data/%2Fetc%2Fpasswd',
	'/data/C:%5cWindows%5cwin.ini',
	'/data/manifest.json%00.png',
	'/data/manifest.json%00',
	'/data/%00',
	'/data/.env',
	'/data/..',
	'/data/%2e%2e',
	'/data/manifest.json/..%2f..%2f..%2fpackage.json',
	'/data/..%c0%af..%c0%afpackage.json',
	'/data/%c0%ae%c0%ae/package.json',
	'/data/' + '..%2f'.repeat(20) + 'etc%2fpasswd',
	'/_app/../package.json',
	'/_app/%2e%2e/%2e%2e/package.json',
	'/_app/immutable/..%2f..%2f..%2f..%2fpackage.json',
	'/_app/immutable/%2e%2e%2f%2e%2e%2f%2e%2e%2ftsconfig.json',
	'/..%2f..%2fpackage.json',
	'/../../../../etc/passwd',
	'/%2e%2e/%2e%2e/etc/passwd',
	'/favicon.png/..%2f..%2fpackage.json',
	'/ogc/collections/..%2f..%2fpackage.json',
	'/ogc/collections/grids/items/..%2f..%2f..%2fpackage.json'
];

function traversal(): HostileCase[] {
	return LEAKY.map((path) => {
		// `/data/..` and `/data/%2e%2e` are `/` by the URL standard: the app's own page is right.
		const resolvesHome = new URL(path, 'http://x').pathname === '/';
		return {
			category: 'path-traversal',
			name: `GET ${path.slice(0, 70)}`,
			method: 'GET',
			path,
			raw: true,
			status: resolvesHome ? [200, 400, 404] : [400, 404],
			jsonError: false,
			check: (a) =>
				noLeak(a) ??
				(a.status === 200 && !String(a.headers['content-type']).startsWith('text/html')
					? `served ${a.headers['content-type']}`
					: null)
		};
	});
}

function methods(ctx: HostileContext): HostileCase[] {
	const list: [string, string][] = [
		['PUT', '/api/incidents'],
		['DELETE', '/api/incidents'],
		['DELETE', `/api/incidents/${ctx.incidentId}`],
		['PUT', `/api/incidents/${ctx.incidentId}`],
		['GET', `/api/incidents/${ctx.incidentId}/transitions`],
		['GET', `/api/incidents/${ctx.incidentId}/dispatch-nearest`],
		['POST', `/api/incidents/${ctx.incidentId}/nearest-units`],
		['POST', '/api/alerts'],
		['DELETE', '/api/alerts'],
		['GET', `/api/alerts/${ctx.alertId}/ack`],
		['PUT', '/api/wall/follow'],
		['POST', '/api/stream'],
		['POST', '/data/manifest.json'],
		['DELETE', '/data/grids.geojson'],
		['POST', '/ogc/collections'],
		['PUT', '/ogc/collections/incidents/items'],
		['DELETE', `/ogc/collections/incidents/items/${ctx.incidentId}`]
	];
	return list.map(([method, path]) => ({
		category: 'method',
		name: `${method} ${path}`,
		method,
		path,
		headers: JSON_CT,
		body: method === 'GET' ? undefined : '{}',
		// Deny by default answers 403 before SvelteKit's 405; either names the methods offered.
		status: [403, 405],
		jsonError: false,
		check: (a) => (a.headers['allow'] ? null : `${a.status} without an Allow header`)
	}));
}

// ---------------------------------------------------------------------------------------------
// Grid plans (issue 7): only once the routes exist.

/** A square ring around (x, y) of half-width d, closed. */
function square(x: number, y: number, d: number): number[][] {
	return [
		[x - d, y - d],
		[x + d, y - d],
		[x + d, y + d],
		[x - d, y + d],
		[x - d, y - d]
	];
}

function planCases(ctx: HostileContext): HostileCase[] {
	if (!ctx.plans) return [];
	const cid = enc(ctx.plans.communityId);
	const [grid, ...others] = ctx.plans.grids;
	const gridId = String(grid.properties.id);
	// The published plan with the first grid's geometry replaced: only that grid is wrong.
	const draft = (geometry: unknown) =>
		jsonBody({
			version: null,
			grids: { type: 'FeatureCollection', features: [{ ...grid, geometry }, ...others] }
		});
	// Near the grid's first vertex, so the shapes are in the community.
	const first = (grid.geometry.coordinates as number[][][])[0][0];
	const [x, y] = first;
	/** The 422 lists its problems, one of them about the changed grid (not a vague refusal). */
	const aboutGrid = (a: Answer) => {
		if (a.status !== 422) return clearMessage(a);
		const errors = (a.json as { errors?: { feature?: unknown }[] } | null)?.errors;
		if (!Array.isArray(errors) || errors.length === 0) return clearMessage(a, 'geometry');
		return errors.some((e) => e.feature === gridId || e.feature === 0)
			? null
			: `no problem names grid ${gridId}: ${a.text.slice(0, 200)}`;
	};
	const ring = square(x, y, 0.001);
	const geoms: [string, string][] = [
		['an unclosed ring', draft({ type: 'Polygon', coordinates: [ring.slice(0, 4)] })],
		[
			'a self-intersecting bow-tie',
			draft({
				type: 'Polygon',
				coordinates: [
					[
						[x, y],
						[x + 0.002, y + 0.002],
						[x + 0.002, y],
						[x, y + 0.002],
						[x, y]
					]
				]
			})
		],
		['a ring of 3 points', draft({ type: 'Polygon', coordinates: [[ring[0], ring[1], ring[0]]] })],
		[
			'NaN as a string',
			draft({ type: 'Polygon', coordinates: [[['NaN', 'NaN'], ...ring.slice(1)]] })
		],
		[
			'Infinity as 1e999',
			draft({ type: 'Polygon', coordinates: [ring] }).replace(`[${ring[1][0]},`, '[1e999,')
		],
		['out-of-range coordinates', draft({ type: 'Polygon', coordinates: [square(200, 95, 1)] })],
		['wrong nesting (a bare ring)', draft({ type: 'Polygon', coordinates: ring })],
		['wrong nesting (too deep)', draft({ type: 'Polygon', coordinates: [[ring]] })],
		['empty coordinates', draft({ type: 'Polygon', coordinates: [] })],
		['an empty ring', draft({ type: 'Polygon', coordinates: [[]] })],
		['a Point', draft({ type: 'Point', coordinates: [x, y] })],
		['a GeometryCollection', draft({ type: 'GeometryCollection', geometries: [] })],
		['geometry null', draft(null)],
		[
			'coordinates as strings',
			draft({ type: 'Polygon', coordinates: [ring.map((p) => p.map(String))] })
		],
		[
			'3D positions with junk',
			draft({ type: 'Polygon', coordinates: [ring.map((p) => [...p, 'x'])] })
		]
	];
	const out: HostileCase[] = geoms.map(([name, body]) => ({
		category: 'geometry',
		name: `plan draft: ${name}`,
		method: 'PUT',
		path: `/api/plans/${cid}/draft`,
		headers: JSON_CT,
		body,
		status: [400, 422],
		check: aboutGrid
	}));
	// 100,000 vertices on a circle: well-formed, but beyond any grid; must not stall the server.
	const n = 100_000;
	const circle: number[][] = [];
	for (let i = 0; i < n; i++) {
		const a = (2 * Math.PI * i) / n;
		circle.push([+(x + 0.003 * Math.cos(a)).toFixed(7), +(y + 0.003 * Math.sin(a)).toFixed(7)]);
	}
	circle.push(circle[0]);
	out.push({
		category: 'geometry',
		name: 'plan draft: a 100,000-vertex polygon',
		method: 'PUT',
		path: `/api/plans/${cid}/draft`,
		headers: JSON_CT,
		body: draft({ type: 'Polygon', coordinates: [circle] }),
		status: [413, 422],
		maxMs: 5000,
		probe: true,
		check: (a) =>
			a.status === 413 || /too_many_positions/.test(a.text)
				? aboutGrid(a)
				: `not refused for its size: ${a.text.slice(0, 200)}`
	});
	const fc = (features: unknown[]) => jsonBody({ type: 'FeatureCollection', features });
	const imp = (
		name: string,
		body: string | Buffer,
		ct: string,
		status = [400, 422]
	): HostileCase => ({
		category: 'geometry',
		name: `plan import: ${name}`,
		method: 'POST',
		path: `/api/plans/${cid}/import?crs=wgs84&version=none`,
		headers: { 'content-type': ct },
		body,
		status
	});
	out.push(
		imp(
			'an unclosed ring',
			fc([
				{
					type: 'Feature',
					geometry: { type: 'Polygon', coordinates: [ring.slice(0, 4)] },
					properties: {}
				}
			]),
			'application/geo+json'
		),
		imp(
			'a bow-tie',
			fc([
				{
					type: 'Feature',
					geometry: {
						type: 'Polygon',
						coordinates: [
							[
								[x, y],
								[x + 0.002, y + 0.002],
								[x + 0.002, y],
								[x, y + 0.002],
								[x, y]
							]
						]
					},
					properties: {}
				}
			]),
			'application/geo+json'
		),
		imp('an empty FeatureCollection', fc([]), 'application/geo+json'),
		imp(
			'a bare Polygon',
			jsonBody({ type: 'Polygon', coordinates: [ring] }),
			'application/geo+json'
		),
		imp(
			'features not an array',
			jsonBody({ type: 'FeatureCollection', features: {} }),
			'application/geo+json'
		),
		imp('truncated GeoJSON', fc([]).slice(0, 10), 'application/geo+json'),
		imp(
			'a zip that is not a zip',
			Buffer.from('PK\u0003\u0004 not really a zip'),
			'application/zip'
		),
		imp('random bytes as a zip', Buffer.alloc(2048, 7), 'application/zip'),
		{
			...imp('a zip bomb (unpacks to 200 MiB)', ctx.plans.zipBomb, 'application/zip', [413, 422]),
			probe: true,
			check: (a) =>
				/too_large_unpacked|unpacks/.test(a.text)
					? null
					: `not refused for its size: ${a.text.slice(0, 200)}`
		},
		imp(
			'5000 features without geometry',
			fc(Array.from({ length: 5000 }, () => ({ type: 'Feature', geometry: null, properties: {} }))),
			'application/geo+json',
			[413, 422]
		),
		imp('a PNG', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 'image/png', [400, 415]),
		{
			...imp('over 10 MiB with Content-Length', '', 'application/geo+json', [413]),
			category: 'huge-payload',
			raw: true,
			body: Buffer.alloc(10 * MIB + 1024, 0x20)
		},
		{
			...imp('over 10 MiB chunked', '', 'application/geo+json', [413]),
			category: 'huge-payload',
			body: undefined,
			chunks: Array.from({ length: 11 * 16 }, () => Buffer.alloc(64 * KIB, 0x20))
		}
	);
	for (const v of SQLI) {
		const s = v.slice(0, 40);
		const emptyFc = jsonBody({ type: 'FeatureCollection', features: [] });
		for (const [method, sub, body, ct] of [
			['GET', '', undefined, undefined],
			['GET', '/history', undefined, undefined],
			['GET', '/versions/0', undefined, undefined],
			['GET', '/diff?from=0&to=draft', undefined, undefined],
			['GET', '/incidents?days=90', undefined, undefined],
			['GET', '/export?format=geojson&crs=wgs84', undefined, undefined],
			[
				'PUT',
				'/draft',
				jsonBody({ version: null, grids: JSON.parse(emptyFc) }),
				'application/json'
			],
			['DELETE', '/draft?version=1', undefined, undefined],
			[
				'POST',
				'/publish',
				jsonBody({ version: 1, effectiveDate: '2026-12-01' }),
				'application/json'
			],
			['POST', '/import?crs=wgs84&version=none', emptyFc, 'application/geo+json']
		] as const)
			out.push({
				category: 'sql-injection',
				name: `plan community id "${s}": ${method} …${sub.split('?')[0] || '/'}`,
				method,
				path: `/api/plans/${enc(v)}${sub}`,
				headers: ct ? { 'content-type': ct } : undefined,
				body,
				status: [400, 404, 422],
				check: (a) => clearMessage(a)
			});
		out.push(
			{
				category: 'sql-injection',
				name: `plan version "${s}" (DELETE draft)`,
				method: 'DELETE',
				path: `/api/plans/${cid}/draft?version=${enc(v)}`,
				status: [400],
				check: (a) => clearMessage(a, 'version')
			},
			{
				category: 'sql-injection',
				name: `plan version "${s}"`,
				method: 'GET',
				path: `/api/plans/${cid}/versions/${enc(v)}`,
				status: [400, 404],
				check: (a) => clearMessage(a)
			}
		);
		for (const [sub, param] of [
			['diff?to=draft', 'from'],
			['diff?from=0', 'to'],
			['incidents', 'days'],
			['export?format=geojson&crs=wgs84', 'source'],
			['export?crs=wgs84', 'format'],
			['export?format=geojson', 'crs']
		] as const) {
			out.push({
				category: 'sql-injection',
				name: `plan ${sub.split('?')[0]}: ${param}="${s}"`,
				method: 'GET',
				path: `/api/plans/${cid}/${sub}${sub.includes('?') ? '&' : '?'}${param}=${enc(v)}`,
				status: [400, 404, 422],
				check: (a) => clearMessage(a)
			});
		}
		out.push({
			category: 'sql-injection',
			name: `plan import: crs="${s}"`,
			method: 'POST',
			path: `/api/plans/${cid}/import?crs=${enc(v)}&version=none`,
			headers: { 'content-type': 'application/geo+json' },
			body: fc([]),
			status: [400, 422],
			check: (a) => clearMessage(a)
		});
	}
	for (const v of ['2147483648', '9007199254740991'])
		out.push(
			{
				category: 'wrong-types',
				name: `plan version ${v} (beyond the 32-bit column)`,
				method: 'GET',
				path: `/api/plans/${cid}/versions/${v}`,
				status: [400, 404],
				check: (a) => clearMessage(a)
			},
			{
				category: 'wrong-types',
				name: `plan diff from=${v}`,
				method: 'GET',
				path: `/api/plans/${cid}/diff?from=${v}&to=draft`,
				status: [400, 404],
				check: (a) => clearMessage(a)
			},
			{
				category: 'wrong-types',
				name: `plan export source=${v}`,
				method: 'GET',
				path: `/api/plans/${cid}/export?format=geojson&crs=wgs84&source=${v}`,
				status: [400, 404],
				check: (a) => clearMessage(a)
			},
			{
				category: 'wrong-types',
				name: `discard draft version=${v}`,
				method: 'DELETE',
				path: `/api/plans/${cid}/draft?version=${v}`,
				status: [400, 404, 409],
				check: (a) => clearMessage(a)
			},
			{
				category: 'wrong-types',
				name: `plan draft save with version ${v}`,
				method: 'PUT',
				path: `/api/plans/${cid}/draft`,
				headers: JSON_CT,
				body: `{"version":${v},"grids":{"type":"FeatureCollection","features":[]}}`,
				status: [404, 409, 422],
				check: (a) => clearMessage(a)
			},
			{
				category: 'wrong-types',
				name: `plan publish with version ${v}`,
				method: 'POST',
				path: `/api/plans/${cid}/publish`,
				headers: JSON_CT,
				body: `{"version":${v},"effectiveDate":"2026-12-01"}`,
				status: [404, 409, 422],
				check: (a) => clearMessage(a)
			},
			{
				category: 'wrong-types',
				name: `plan import with version=${v}`,
				method: 'POST',
				path: `/api/plans/${cid}/import?crs=wgs84&version=${v}`,
				headers: { 'content-type': 'application/geo+json' },
				body: jsonBody({ type: 'FeatureCollection', features: others }),
				status: [400, 404, 409, 422],
				check: (a) => clearMessage(a)
			}
		);
	out.push(
		...objectTypes(
			'plan draft',
			'PUT',
			`/api/plans/${cid}/draft`,
			{ version: null, grids: { type: 'FeatureCollection', features: [] }, note: 'x' },
			{
				version: ['1', 1.5, -1, {}, true],
				grids: ['x', [], null, { type: 'Feature' }, { type: 'FeatureCollection', features: 'x' }],
				note: [5, {}, 'x'.repeat(100_000)]
			},
			[400, 409, 422],
			['note'],
			['version']
		),
		...objectTypes(
			'plan publish',
			'POST',
			`/api/plans/${cid}/publish`,
			{ version: 999_999, effectiveDate: '2026-12-01', note: 'x' },
			{
				version: ['1', 1.5, null, {}],
				effectiveDate: [5, '2026-13-45', 'tomorrow', '2026-02-30', null],
				note: [5, {}]
			},
			[400, 404, 409, 422],
			['note']
		)
	);
	return out;
}

/** Sign-in, users, device tokens, the audit log and the kiosk link (once auth exists). */
function authCases(ctx: HostileContext): HostileCase[] {
	if (!ctx.auth) return [];
	const out: HostileCase[] = [];
	const body = (
		category: Category,
		name: string,
		method: string,
		path: string,
		value: unknown,
		status = [422]
	) =>
		out.push({
			category,
			name,
			method,
			path,
			headers: JSON_CT,
			body: typeof value === 'string' ? value : jsonBody(value),
			status,
			check: (a) => clearMessage(a)
		});
	// Sign-in: refused by shape before any attempt is counted against the rate limit.
	for (const [field, v] of [
		['username', 5],
		['username', ['admin']],
		['username', { $ne: null }],
		['username', 'x'.repeat(65)],
		['password', 5],
		['password', ''],
		['password', { $gt: '' }],
		['password', 'x'.repeat(201)],
		['role', 'admin']
	] as const)
		body(
			'wrong-types',
			`sign-in: ${field} = ${JSON.stringify(v).slice(0, 30)}`,
			'POST',
			'/api/session',
			{
				username: 'admin',
				password: 'wrong',
				[field]: v
			}
		);
	body(
		'sql-injection',
		'sign-in: username with a NUL',
		'POST',
		'/api/session',
		'{"username":"admin\u0000","password":"x"}',
		[400, 422]
	);
	// New users: never a valid one (that would be stored).
	const user = {
		username: 'Bad Name!',
		displayName: 'x',
		role: 'planner',
		password: 'long enough pass'
	};
	for (const [field, values] of Object.entries({
		username: [5, '', "admin' --", 'a', 'x'.repeat(40), 'ADMIN'],
		displayName: [5, {}, 'x'.repeat(500)],
		role: ['god', 5, ['admin'], 'ADMIN'],
		password: [5, '', 'short']
	}))
		for (const v of values)
			body(
				'wrong-types',
				`new user: ${field} = ${JSON.stringify(v).slice(0, 30)}`,
				'POST',
				'/api/admin/users',
				{
					...user,
					[field]: v
				}
			);
	body('wrong-types', 'new user: unknown field', 'POST', '/api/admin/users', {
		...user,
		isAdmin: true
	});
	for (const v of [{ role: 'god' }, { disabled: 'yes' }, { password: 5 }, {}, { id: 1 }])
		body('wrong-types', `user change: ${JSON.stringify(v)}`, 'PATCH', '/api/admin/users/1', v);
	for (const v of [
		{ name: 5 },
		{ name: '' },
		{ name: 'x', role: 'admin' },
		{ name: 'x'.repeat(500) },
		{ role: 'wall' }
	])
		body(
			'wrong-types',
			`new device token: ${JSON.stringify(v).slice(0, 40)}`,
			'POST',
			'/api/admin/devices',
			v
		);
	for (const v of ID_PATH_VALUES) {
		const shown = decodeURIComponent(v).slice(0, 40);
		out.push(
			{
				category: 'sql-injection',
				name: `user change: id "${shown}"`,
				method: 'PATCH',
				path: `/api/admin/users/${v}`,
				headers: JSON_CT,
				body: jsonBody({ role: 'planner' }),
				raw: true,
				status: [400, 404],
				check: (a) => clearMessage(a)
			},
			{
				category: 'sql-injection',
				name: `revoke device: id "${shown}"`,
				method: 'DELETE',
				path: `/api/admin/devices/${v}`,
				raw: true,
				status: [400, 404],
				check: (a) => clearMessage(a)
			}
		);
	}
	out.push(
		{
			category: 'sql-injection',
			name: 'user change: id 9007199254740991 (no such user)',
			method: 'PATCH',
			path: '/api/admin/users/9007199254740991',
			headers: JSON_CT,
			body: jsonBody({ role: 'planner' }),
			status: [404],
			check: (a) => clearMessage(a)
		},
		{
			category: 'sql-injection',
			name: 'revoke device: id 9007199254740991 (no such device)',
			method: 'DELETE',
			path: '/api/admin/devices/9007199254740991',
			status: [404],
			check: (a) => clearMessage(a)
		}
	);
	// The audit log's filters: free text finds nothing (not everything); numbers are checked.
	const none = (a: Answer) => {
		const e = (a.json as { entries?: unknown[] } | null)?.entries;
		return Array.isArray(e) && e.length === 0 ? null : `the filter matched ${e?.length} entries`;
	};
	for (const v of SQLI) {
		const shown = v.slice(0, 40);
		const special = v.length > 100 || v.includes('\u0000');
		for (const param of ['actor', 'action', 'targetType', 'targetId'])
			out.push({
				category: 'sql-injection',
				name: `audit log: ${param}="${shown}"`,
				method: 'GET',
				path: `/api/audit?${param}=${enc(v)}`,
				status: special ? [400] : [200],
				jsonError: !special ? false : undefined,
				check: special ? (a) => clearMessage(a, param) : none
			});
		for (const param of ['from', 'to', 'before', 'limit'])
			out.push({
				category: 'sql-injection',
				name: `audit log: ${param}="${shown}"`,
				method: 'GET',
				path: `/api/audit?${param}=${enc(v)}`,
				status: [400],
				check: (a) => clearMessage(a, param)
			});
		out.push({
			category: 'sql-injection',
			name: `kiosk link: token "${shown}"`,
			method: 'GET',
			path: `/kiosk/${enc(v)}`,
			status: [303],
			jsonError: false,
			anonymous: true,
			check: (a) =>
				String(a.headers['location']).startsWith('/login')
					? null
					: `went to ${a.headers['location']}`
		});
	}
	for (const [param, v] of [
		['from', '99999999999999999999'],
		['to', '-99999999999999999999'],
		['from', '275760-09-13'],
		['before', '99999999999999999999'],
		['limit', '99999999999999999999']
	])
		out.push({
			category: 'wrong-types',
			name: `audit log: ${param}=${v}`,
			method: 'GET',
			path: `/api/audit?${param}=${v}`,
			status: [200, 400],
			jsonError: false,
			check: (a) => (a.status === 200 ? none(a) : clearMessage(a, param))
		});
	// The kiosk link's `next` must stay on this site, however it is spelled.
	for (const next of [
		'//evil.example/',
		'/\\evil.example/',
		'/%09/evil.example',
		'/%5cevil.example',
		'https://evil.example/',
		'/%2f%2fevil.example',
		'\\\\evil.example',
		// Dot segments that leave `//host` once removed (issue 16).
		'/.//evil.example',
		'/%2e//evil.example',
		'/..//evil.example',
		'/.%5c/evil.example',
		'/./%5c%5cevil.example'
	])
		out.push({
			category: 'path-traversal',
			name: `kiosk link: next=${next}`,
			method: 'GET',
			path: `/kiosk/${ctx.auth.kioskToken}?next=${next}`,
			raw: true,
			anonymous: true,
			status: [303],
			jsonError: false,
			check: (a) => {
				const location = String(a.headers['location'] ?? '');
				const target = new URL(location, ctx.auth!.origin);
				return target.origin === ctx.auth!.origin && !/^\/[/\\]/.test(location)
					? null
					: `redirects off the site: Location ${JSON.stringify(location)}`;
			}
		});
	return out;
}

/** Forged credentials on routes that need a signed-in user: 401, and nothing is done. */
function forgedAuth(ctx: HostileContext): HostileCase[] {
	if (!ctx.auth) return [];
	const { origin, session, revokedSession, revokedToken } = ctx.auth;
	const random = 'A'.repeat(10) + 'b'.repeat(33);
	const creds: [string, Record<string, string>][] = [
		['no credentials', {}],
		['a random session cookie', { cookie: `onemap_session=${random}` }],
		['a truncated session cookie', { cookie: `onemap_session=${session.slice(0, -3)}` }],
		['a session cookie with extra characters', { cookie: `onemap_session=${session}xyz` }],
		['a signed-out (expired) session cookie', { cookie: `onemap_session=${revokedSession}` }],
		[
			'a JWT with alg none as the cookie',
			{ cookie: 'onemap_session=eyJhbGciOiJub25lIn0.eyJyb2xlIjoiYWRtaW4ifQ.' }
		],
		['SQL in the session cookie', { cookie: `onemap_session=${enc("' OR 1=1 --")}` }],
		['a 4000-character session cookie', { cookie: `onemap_session=${'a'.repeat(4000)}` }],
		['a random device cookie', { cookie: `onemap_device=${random}` }],
		['a revoked device cookie', { cookie: `onemap_device=${revokedToken}` }],
		['the session cookie under another name', { cookie: `session=${session}; sid=${session}` }],
		['a random Bearer token', { authorization: `Bearer ${random}` }],
		['a revoked Bearer token', { authorization: `Bearer ${revokedToken}` }],
		['the session cookie as a Bearer token', { authorization: `Bearer ${session.slice(0, -1)}x` }],
		['an empty Bearer token', { authorization: 'Bearer ' }],
		[
			'Basic with the demo password',
			{ authorization: `Basic ${Buffer.from('admin:onemap-admin').toString('base64')}` }
		],
		['SQL as a Bearer token', { authorization: "Bearer ' OR 1=1 --" }]
	];
	const targets: [string, string, string?][] = [
		['GET', '/api/alerts'],
		['GET', `/api/incidents/${ctx.incidentId}`],
		['POST', '/api/incidents', jsonBody({ type: 'dispute', lon: ctx.lon, lat: ctx.lat })],
		['POST', `/api/alerts/${ctx.alertId}/ack`, jsonBody({ actor: 'forger' })],
		['POST', '/api/wall/follow', jsonBody({ center: [ctx.lon, ctx.lat], zoom: 12 })],
		['GET', '/ogc/collections/incidents/items?limit=1'],
		['GET', '/data/incidents.arrow'],
		['GET', '/api/stream'],
		['GET', '/api/audit'],
		['POST', '/api/admin/devices', jsonBody({ name: 'forged', role: 'officer' })]
	];
	if (ctx.plans) targets.push(['GET', `/api/plans/${enc(ctx.plans.communityId)}`]);
	const out: HostileCase[] = [];
	for (const [credName, headers] of creds)
		for (const [method, path, b] of targets)
			out.push({
				category: 'forged-auth',
				name: `${credName}: ${method} ${path.split('?')[0]}`,
				method,
				path,
				// A forger can send the right Origin: then only the credential decides.
				headers: { origin, ...headers, ...(b ? JSON_CT : {}) },
				body: b,
				anonymous: true,
				headersOnly: path === '/api/stream',
				status: [401],
				check: (a) => (path === '/api/stream' ? null : clearMessage(a))
			});
	return out;
}

/** Injection strings inside JSON bodies: enums refuse them, free text never reaches SQL as code. */
function bodyInjection(ctx: HostileContext): HostileCase[] {
	const out: HostileCase[] = [];
	const stale = ctx.incidentVersion + 1000;
	for (const v of SQLI) {
		const s = v.slice(0, 40);
		const nul = v.includes('\u0000');
		out.push(
			{
				category: 'sql-injection',
				name: `incident intake: type="${s}"`,
				method: 'POST',
				path: '/api/incidents',
				headers: JSON_CT,
				body: jsonBody({ type: v, lon: ctx.lon, lat: ctx.lat }),
				status: nul ? [400, 422] : [422],
				check: names('type')
			},
			{
				category: 'sql-injection',
				name: `incident intake: source="${s}", crs="${s}"`,
				method: 'POST',
				path: '/api/incidents',
				headers: JSON_CT,
				body: jsonBody({ type: 'dispute', lon: ctx.lon, lat: ctx.lat, source: v, crs: v }),
				status: nul ? [400, 422] : [422],
				check: (a) => clearMessage(a)
			},
			{
				category: 'sql-injection',
				name: `transition (stale version): comment, assignee = "${s}"`,
				method: 'POST',
				path: `/api/incidents/${ctx.incidentId}/transitions`,
				headers: JSON_CT,
				body: jsonBody({
					action: 'dispatch',
					comment: v.slice(0, 2000),
					assignees: [{ kind: 'patrol_unit', name: v.slice(0, 200), unitId: v.slice(0, 64) }],
					version: stale
				}),
				status: nul ? [400, 409, 422] : [409, 422],
				check: (a) => clearMessage(a)
			}
		);
	}
	return out;
}

export function buildCases(ctx: HostileContext): HostileCase[] {
	const routes = bodyRoutes(ctx);
	return [
		...routes.flatMap(malformed),
		...routes.flatMap(contentTypes),
		...routes.flatMap(huge),
		...intakeTypes(ctx),
		...caseTypes(ctx),
		...wallGeometry(ctx),
		...pathIds(ctx),
		...bodyInjection(ctx),
		...queries(ctx),
		...traversal(),
		...methods(ctx),
		...planCases(ctx),
		...authCases(ctx),
		...forgedAuth(ctx)
	];
}
