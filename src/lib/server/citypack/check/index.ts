/**
 * The city pack checker: a read pack (ParsedPack) → a report and, when nothing is refused, the
 * clean pack the importer writes. Each level is checked and repaired as a coverage with PostGIS
 * in the checker's own in-memory PGlite (PostGIS 3.6, whose ST_CoverageClean the CI's
 * PostgreSQL lacks; the app's database is never touched by a check):
 *
 * - validity: invalid rings are repaired (ST_MakeValid) when the repair is no wider than the
 *   tolerance, else refused; empty geometries refused; duplicate vertices dropped;
 * - neighbours: overlaps and gaps no wider than the tolerance are cleaned (ST_CoverageClean),
 *   wider ones refused, each located;
 * - hierarchy: children are clipped and snapped to their parent within the tolerance; what lies
 *   outside or stays uncovered beyond it is refused; parents without children are refused;
 * - derived levels are the union of their children, copyParent levels copies of their parent;
 * - grids are one piece each; hazmat sites are placed in their grid.
 *
 * "Wider than the tolerance" is measured as the diameter of the largest circle inside the piece
 * (ST_MaximumInscribedCircle), so a long hair-thin sliver is noise while a small square is not.
 * The work happens in a local metric frame: lon/lat scaled by the metres per degree at the
 * pack's mean latitude (an equirectangular projection; within 1 % over a city's extent, plenty
 * for tolerances of metres). Units nothing touched keep their coordinates exactly.
 */
import type {
	CleanPack,
	CleanUnit,
	OnProgress,
	PackLevel,
	PackMessage,
	PackReport,
	ParsedPack
} from '$lib/domain/cityPack';
import { PACK_LEVELS } from '$lib/domain/cityPack';
import { readIncidentArrow } from '../../city/cityData';
import { openPglite } from '../../db/pglite';
import type { Db } from '../../db/types';
import { levelName } from '../read/messages';
import { checkMessage, formatArea, type CheckCode } from './messages';

/** At most this many messages of one code are listed; the rest are counted. */
const MAX_PER_CODE = 200;
/** Pieces smaller than this (m²) are floating-point dust, not noise worth a word. */
const DUST_M2 = 0.01;

let engine: Promise<Db> | null = null;
let queue: Promise<unknown> = Promise.resolve();

/** The checker's own in-memory PostGIS, opened once per process. */
function geometryEngine(): Promise<Db> {
	engine ??= openPglite(null).then(async (db) => {
		await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
		return db;
	});
	return engine;
}

/** Closes the in-memory database (tests, CLI exit). */
export async function closeChecker(): Promise<void> {
	const e = engine;
	engine = null;
	if (e) await (await e).close();
}

interface Frame {
	kx: number;
	ky: number;
}

type Geo = GeoJSON.Polygon | GeoJSON.MultiPolygon;

class Messages {
	readonly errors: PackMessage[] = [];
	readonly repairs: PackMessage[] = [];
	readonly notes: PackMessage[] = [];
	private counts = new Map<string, number>();
	private over = new Map<string, number>();

	add(m: PackMessage): void {
		const n = (this.counts.get(m.code) ?? 0) + 1;
		this.counts.set(m.code, n);
		if (n > MAX_PER_CODE) {
			this.over.set(m.code, (this.over.get(m.code) ?? 0) + 1);
			return;
		}
		(m.severity === 'error'
			? this.errors
			: m.severity === 'repair'
				? this.repairs
				: this.notes
		).push(m);
	}

	finish(): void {
		for (const [code, count] of this.over)
			this.errors.push({
				...checkMessage('more-problems', { count }),
				zh: `${code}：另有 ${count} 条未列出。`,
				en: `${code}: ${count} more not listed.`
			});
	}
}

const unitRef = (u: { level: PackLevel; id: string; name: string }) => ({
	level: u.level,
	id: u.id,
	name: u.name
});
const lv = (level: PackLevel) => levelName(level);

function frameOf(pack: ParsedPack): Frame {
	let sum = 0;
	let n = 0;
	for (const level of PACK_LEVELS)
		for (const u of pack.units[level]) {
			const g = u.geometry;
			if (!g) continue;
			const ring = g.type === 'Polygon' ? g.coordinates[0] : g.coordinates[0]?.[0];
			if (ring?.length) {
				sum += ring[0][1];
				n++;
			}
		}
	const lat = n ? sum / n : 35;
	return { kx: 111_320 * Math.cos((lat * Math.PI) / 180), ky: 110_574 };
}

const TO_M = (f: Frame, g: string) => `ST_Scale(${g}, ${f.kx}, ${f.ky})`;
const TO_DEG = (f: Frame, g: string) => `ST_Scale(${g}, ${1 / f.kx}, ${1 / f.ky})`;
/** Width of a piece: the diameter of the largest circle inside it (metres). */
const WIDTH = (g: string) => `coalesce(2 * (ST_MaximumInscribedCircle(${g})).radius, 0)`;

/**
 * `opts.db`: a database with PostGIS ≥ 3.6 to do the geometry work in (temporary tables only),
 * e.g. the app's own PGlite — opening a fresh in-memory PGlite with PostGIS takes ~30 s here.
 */
export async function checkPack(
	pack: ParsedPack,
	opts: { onProgress?: OnProgress; db?: Db } = {}
): Promise<{ report: PackReport; clean: CleanPack | null }> {
	const run = queue.then(() => check(pack, opts));
	queue = run.catch(() => undefined);
	return run;
}

async function check(
	pack: ParsedPack,
	opts: { onProgress?: OnProgress; db?: Db }
): Promise<{ report: PackReport; clean: CleanPack | null }> {
	const t0 = performance.now();
	let tl = t0;
	const lap = (what: string) => {
		if (process.env.ONEMAP_CHECK_TIMINGS) console.log(what, Math.round(performance.now() - tl));
		tl = performance.now();
	};
	const db = opts.db ?? (await geometryEngine());
	const m = new Messages();
	for (const note of pack.notes) m.add(note);
	const tol = pack.manifest.toleranceM;
	const f = frameOf(pack);
	const levels = pack.manifest.levels;
	const progress = (fraction: number, zh: string, en: string) =>
		opts.onProgress?.({ step: 'check', fraction: 0.2 + fraction * 0.5, message: { zh, en } });

	await db.exec(
		`DROP TABLE IF EXISTS pcu; CREATE TEMP TABLE pcu (level text, i int, id text, parent text, g geometry, changed boolean DEFAULT false, copied boolean DEFAULT false, PRIMARY KEY (level, i)); CREATE INDEX ON pcu USING gist (g);`
	);

	// Ids unique per level.
	for (const level of PACK_LEVELS) {
		const seen = new Map<string, number>();
		for (const u of pack.units[level]) seen.set(u.id, (seen.get(u.id) ?? 0) + 1);
		for (const [id, count] of seen)
			if (count > 1)
				m.add(
					checkMessage('id-duplicate', { level: lv(level), id, count }, { unit: { level, id } })
				);
	}

	// Derived levels: union of the raw children, bottom up.
	const raw: Record<PackLevel, (Geo | null)[]> = Object.fromEntries(
		PACK_LEVELS.map((l) => [l, pack.units[l].map((u) => u.geometry)])
	) as Record<PackLevel, (Geo | null)[]>;
	for (let li = levels.length - 2; li >= 0; li--) {
		const l = levels[li];
		if (!l.derive) continue;
		const child = levels[li + 1].level;
		for (const [i, u] of pack.units[l.level].entries()) {
			const parts = pack.units[child]
				.map((c, ci) => (c.parentId === u.id ? raw[child][ci] : null))
				.filter((g): g is Geo => !!g);
			if (!parts.length) continue;
			const [row] = await db.query<{ g: string }>(
				`SELECT ST_AsGeoJSON(ST_Multi(ST_UnaryUnion(ST_Collect(ST_MakeValid(ST_GeomFromGeoJSON(x))))), 9) AS g
				 FROM unnest($1::text[]) AS x`,
				[parts.map((p) => JSON.stringify(p))]
			);
			raw[l.level][i] = JSON.parse(row.g) as Geo;
		}
	}

	const final: Record<PackLevel, CleanUnit[]> = {
		district: [],
		street: [],
		community: [],
		grid: []
	};

	for (const [li, l] of levels.entries()) {
		const level = l.level;
		const units = pack.units[level];
		const parent = li > 0 ? levels[li - 1].level : null;
		progress(li / levels.length, `检查${lv(level).zh}`, `Checking ${lv(level).en.toLowerCase()}`);
		await db.query('DELETE FROM pcu WHERE level = $1', [level]);

		if (l.copyParent && parent) {
			// Copies of the (already checked) parent: nothing to check but grid pieces.
			const pmap = new Map(final[parent].map((p) => [p.id, p]));
			const rows = units.flatMap((u, i) => {
				const p = pmap.get(u.parentId ?? '');
				return p ? [{ i, id: u.id, parent: p.id, g: JSON.stringify(p.geometry) }] : [];
			});
			await db.query(
				`INSERT INTO pcu (level, i, id, parent, g, copied)
				 SELECT $1, i, id, parent, ${TO_M(f, 'ST_SetSRID(ST_GeomFromGeoJSON(g), 0)')}, true
				 FROM unnest($2::int[], $3::text[], $4::text[], $5::text[]) AS t(i, id, parent, g)`,
				[
					level,
					rows.map((r) => r.i),
					rows.map((r) => r.id),
					rows.map((r) => r.parent),
					rows.map((r) => r.g)
				]
			);
		} else {
			const rows: { i: number; id: string; parent: string | null; g: string }[] = [];
			for (const [i, u] of units.entries()) {
				const g = raw[level][i];
				const empty =
					!g ||
					g.coordinates.length === 0 ||
					(g.type === 'MultiPolygon' && g.coordinates.every((p) => p.length === 0));
				if (empty) {
					m.add(
						checkMessage(
							'geometry-empty',
							{ level: lv(level), id: u.id, name: u.name },
							{ source: u.source, unit: unitRef(u) }
						)
					);
					continue;
				}
				rows.push({ i, id: u.id, parent: u.parentId, g: JSON.stringify(g) });
			}
			await db.query(
				`INSERT INTO pcu (level, i, id, parent, g)
				 SELECT $1, i, id, parent, ${TO_M(f, 'ST_SetSRID(ST_GeomFromGeoJSON(g), 0)')}
				 FROM unnest($2::int[], $3::text[], $4::text[], $5::text[]) AS t(i, id, parent, g)`,
				[
					level,
					rows.map((r) => r.i),
					rows.map((r) => r.id),
					rows.map((r) => r.parent),
					rows.map((r) => r.g)
				]
			);
			lap(`${level} insert`);
			await validity(db, m, level, tol, f, units);
			lap(`${level} validity`);
			await coverage(db, m, level, tol, f, units);
			lap(`${level} coverage`);
		}
		if (parent) await hierarchy(db, m, level, parent, tol, f, units, final[parent]);
		lap(`${level} hierarchy`);
		if (level === 'grid') await onePiece(db, m, tol, f, units, !!l.copyParent);

		final[level] = await collect(db, level, f, units, raw[level]);
		lap(`${level} collect`);
	}

	// Registers.
	progress(0.95, '检查台账', 'Checking the registers');
	const hazmatSites: CleanPack['hazmatSites'] = [];
	for (const s of pack.hazmatSites) {
		const [row] = await db.query<{ id: string | null }>(
			`SELECT id FROM pcu WHERE level = 'grid' AND ST_Contains(g, ${TO_M(f, 'ST_MakePoint($1, $2)')}) LIMIT 1`,
			[s.lon, s.lat]
		);
		if (!row?.id) {
			m.add(
				checkMessage(
					'site-outside',
					{ id: s.id, name: s.name },
					{ source: s.source, at: [s.lon, s.lat] }
				)
			);
			continue;
		}
		hazmatSites.push({ ...s, gridId: row.id });
	}
	const lineOk = (what: { zh: string; en: string }, list: ParsedPack['hazmatLanes']) => {
		for (const line of list) {
			const distinct = new Set(line.geometry.coordinates.map((c) => `${c[0]},${c[1]}`));
			if (distinct.size < 2)
				m.add(
					checkMessage(
						'line-invalid',
						{ what, id: line.id, name: line.name },
						{ source: line.source }
					)
				);
		}
	};
	lineOk({ zh: '危化品运输通道', en: 'Hazmat lane' }, pack.hazmatLanes);
	lineOk({ zh: '巡逻路线', en: 'Patrol route' }, pack.patrolRoutes);
	const routes = new Set(pack.patrolRoutes.map((r) => r.id));
	for (const u of pack.patrolUnits)
		if (!routes.has(u.routeId))
			m.add(
				checkMessage(
					'route-unknown',
					{ id: u.id, name: u.callsign, route: u.routeId },
					{ source: u.source }
				)
			);

	m.finish();
	const incidentsAsset = pack.manifest.incidents ? pack.assets[pack.manifest.incidents.file] : null;
	const report: PackReport = {
		ok: m.errors.length === 0,
		pack: {
			name: pack.manifest.city.name.zh,
			code: pack.manifest.city.code,
			version: pack.manifest.version,
			hash: pack.hash,
			synthetic: pack.manifest.city.synthetic
		},
		counts: {
			district: final.district.length,
			street: final.street.length,
			community: final.community.length,
			grid: final.grid.length,
			hazmatSites: hazmatSites.length,
			hazmatLanes: pack.hazmatLanes.length,
			patrolRoutes: pack.patrolRoutes.length,
			patrolUnits: pack.patrolUnits.length,
			incidents: incidentsAsset ? readIncidentArrow(incidentsAsset).length : 0
		},
		errors: m.errors,
		repairs: m.repairs,
		notes: m.notes,
		seconds: Math.round(performance.now() - t0) / 1000
	};
	opts.onProgress?.({
		step: 'check',
		fraction: 0.7,
		message: report.ok
			? { zh: '检查通过', en: 'Check passed' }
			: { zh: `检查发现 ${m.errors.length} 个问题`, en: `${m.errors.length} problem(s) found` }
	});
	if (!report.ok) return { report, clean: null };
	return {
		report,
		clean: {
			manifest: pack.manifest,
			hash: pack.hash,
			units: final,
			hazmatSites,
			hazmatLanes: pack.hazmatLanes,
			patrolRoutes: pack.patrolRoutes,
			patrolUnits: pack.patrolUnits,
			assets: pack.assets,
			report
		}
	};
}

type Units = ParsedPack['units'][PackLevel];

async function validity(
	db: Db,
	m: Messages,
	level: PackLevel,
	tol: number,
	f: Frame,
	units: Units
): Promise<void> {
	// Duplicate vertices.
	const [dup] = await db.query<{ units: number; removed: number }>(
		`WITH d AS (
			SELECT i, ST_NPoints(g) - ST_NPoints(ST_RemoveRepeatedPoints(g)) AS removed
			FROM pcu WHERE level = $1),
		 u AS (
			UPDATE pcu SET g = ST_RemoveRepeatedPoints(pcu.g), changed = true
			FROM d WHERE pcu.level = $1 AND pcu.i = d.i AND d.removed > 0 RETURNING d.removed)
		 SELECT count(*)::int AS units, coalesce(sum(removed), 0)::int AS removed FROM u`,
		[level]
	);
	if (dup.units > 0)
		m.add(
			checkMessage('vertices-duplicate', { level: lv(level), count: dup.removed, units: dup.units })
		);

	const bad = await db.query<{
		i: number;
		reason: string;
		moved: number;
		width: number;
		x: number;
		y: number;
	}>(
		`WITH b AS (
			SELECT i, g, ST_IsValidReason(g) AS reason,
			       ST_Multi(ST_CollectionExtract(ST_MakeValid(g), 3)) AS v
			FROM pcu WHERE level = $1 AND NOT ST_IsValid(g))
		 SELECT i, reason, ST_Area(ST_SymDifference(g, v)) AS moved,
		        ${WIDTH('ST_SymDifference(g, v)')} AS width,
		        ST_X(${TO_DEG(f, 'ST_PointOnSurface(g)')}) AS x, ST_Y(${TO_DEG(f, 'ST_PointOnSurface(g)')}) AS y
		 FROM b`,
		[level]
	);
	for (const b of bad) {
		const u = units[b.i];
		const reason = b.reason.replace(/\[.*\]/, '').trim();
		const where = { source: u.source, unit: unitRef(u), areaM2: b.moved };
		if (b.width <= tol) {
			await db.query(
				`UPDATE pcu SET g = ST_Multi(ST_CollectionExtract(ST_MakeValid(g), 3)), changed = true WHERE level = $1 AND i = $2`,
				[level, b.i]
			);
			m.add(
				checkMessage(
					'geometry-repaired',
					{ level: lv(level), id: u.id, name: u.name, reason, area: formatArea(b.moved) },
					where
				)
			);
		} else
			m.add(
				checkMessage(
					'geometry-invalid',
					{ level: lv(level), id: u.id, name: u.name, reason, area: formatArea(b.moved) },
					{ ...where, at: [b.x, b.y] }
				)
			);
	}
}

async function coverage(
	db: Db,
	m: Messages,
	level: PackLevel,
	tol: number,
	f: Frame,
	units: Units
): Promise<void> {
	const overlaps = await db.query<{
		a: number;
		b: number;
		area: number;
		width: number;
		x: number;
		y: number;
	}>(
		`WITH o AS (
			SELECT a.i AS a, b.i AS b, ST_CollectionExtract(ST_Intersection(a.g, b.g), 3) AS x
			FROM pcu a JOIN pcu b ON a.level = b.level AND a.i < b.i AND a.g && b.g AND ST_Intersects(a.g, b.g)
			WHERE a.level = $1 AND ST_IsValid(a.g) AND ST_IsValid(b.g))
		 SELECT a, b, ST_Area(x) AS area, ${WIDTH('x')} AS width,
		        ST_X(${TO_DEG(f, 'ST_PointOnSurface(x)')}) AS x, ST_Y(${TO_DEG(f, 'ST_PointOnSurface(x)')}) AS y
		 FROM o WHERE ST_Area(x) > ${DUST_M2}`,
		[level]
	);
	let repair = false;
	for (const o of overlaps) {
		if (o.width <= tol) {
			repair = true;
			continue;
		}
		const a = units[o.a];
		const b = units[o.b];
		m.add(
			checkMessage(
				'coverage-overlap',
				{
					level: lv(level),
					a: `${a.id}（${a.name}）`,
					b: `${b.id}（${b.name}）`,
					area: formatArea(o.area),
					width: Math.round(o.width),
					tolerance: tol
				},
				{ source: a.source, unit: unitRef(a), at: [o.x, o.y], areaM2: o.area }
			)
		);
	}
	// Narrow gaps between neighbours: holes of the level's union no wider than the tolerance.
	// (Wider holes are the parent's business: `parent-not-covered`, or a real enclave at the top.)
	const [gaps] = await db.query<{ n: number }>(
		`WITH u AS (SELECT (ST_Dump(ST_UnaryUnion(ST_Collect(g)))).geom AS p FROM pcu WHERE level = $1 AND ST_IsValid(g)),
		      h AS (SELECT ST_MakePolygon(ST_InteriorRingN(p, n)) AS hole FROM u, generate_series(1, ST_NumInteriorRings(p)) AS n)
		 SELECT count(*)::int AS n FROM h WHERE ST_Area(hole) > ${DUST_M2} AND ${WIDTH('hole')} <= ${tol}`,
		[level]
	);
	if (gaps.n > 0) repair = true;
	if (!repair || m.errors.some((e) => e.unit?.level === level)) return;

	// Everything found is within the tolerance: clean the coverage and say what moved.
	const moved = await db.query<{ i: number; moved: number }>(
		`WITH c AS (
			SELECT i, g, ST_CoverageClean(g, ${tol}, ${tol}) OVER () AS cg FROM pcu WHERE level = $1),
		 u AS (
			UPDATE pcu SET g = ST_Multi(ST_CollectionExtract(c.cg, 3)), changed = true
			FROM c WHERE pcu.level = $1 AND pcu.i = c.i AND NOT ST_Equals(c.g, c.cg)
			RETURNING pcu.i, ST_Area(ST_SymDifference(c.g, c.cg)) AS moved)
		 SELECT i, moved FROM u`,
		[level]
	);
	for (const r of moved) {
		if (r.moved <= DUST_M2) continue;
		const u = units[r.i];
		m.add(
			checkMessage(
				'coverage-repaired',
				{ level: lv(level), id: u.id, name: u.name, area: formatArea(r.moved) },
				{ source: u.source, unit: unitRef(u), areaM2: r.moved }
			)
		);
	}
}

async function hierarchy(
	db: Db,
	m: Messages,
	level: PackLevel,
	parentLevel: PackLevel,
	tol: number,
	f: Frame,
	units: Units,
	parents: CleanUnit[]
): Promise<void> {
	const ids = new Set(parents.map((p) => p.id));
	for (const u of units)
		if (!ids.has(u.parentId ?? ''))
			m.add(
				checkMessage(
					'parent-unknown',
					{
						level: lv(level),
						id: u.id,
						name: u.name,
						parent: u.parentId ?? '—',
						parentLevel: lv(parentLevel)
					},
					{ source: u.source, unit: unitRef(u) }
				)
			);
	const withChildren = new Set(units.map((u) => u.parentId));
	for (const p of parents)
		if (!withChildren.has(p.id))
			m.add(
				checkMessage(
					'parent-without-children',
					{ level: lv(level), parentLevel: lv(parentLevel), parent: p.id, name: p.name },
					{ unit: unitRef(p), at: p.label }
				)
			);

	await db.query(`DELETE FROM pcu WHERE level = '~parent'`);
	await db.query(
		`INSERT INTO pcu (level, i, id, g)
		 SELECT '~parent', i - 1, id, ${TO_M(f, 'ST_SetSRID(ST_GeomFromGeoJSON(g), 0)')}
		 FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(id, g, i)`,
		[parents.map((p) => p.id), parents.map((p) => JSON.stringify(p.geometry))]
	);

	// Pieces of children outside their parent.
	const outside = await db.query<{ i: number; area: number; width: number; x: number; y: number }>(
		`WITH d AS (
			SELECT c.i, ST_CollectionExtract(ST_Difference(c.g, p.g), 3) AS x
			FROM pcu c JOIN pcu p ON p.level = '~parent' AND p.id = c.parent
			WHERE c.level = $1 AND NOT c.copied AND ST_IsValid(c.g) AND NOT ST_CoveredBy(c.g, p.g))
		 SELECT i, ST_Area(x) AS area, ${WIDTH('x')} AS width,
		        ST_X(${TO_DEG(f, 'ST_PointOnSurface(x)')}) AS x, ST_Y(${TO_DEG(f, 'ST_PointOnSurface(x)')}) AS y
		 FROM d WHERE ST_Area(x) > ${DUST_M2}`,
		[level]
	);
	for (const o of outside) {
		const u = units[o.i];
		if (o.width <= tol) {
			await db.query(
				`UPDATE pcu c SET g = ST_Multi(ST_CollectionExtract(ST_Intersection(c.g, p.g), 3)), changed = true
				 FROM pcu p WHERE p.level = '~parent' AND p.id = c.parent AND c.level = $1 AND c.i = $2`,
				[level, o.i]
			);
			m.add(
				checkMessage(
					'snapped-to-parent',
					{
						level: lv(level),
						id: u.id,
						name: u.name,
						parent: u.parentId ?? '',
						area: formatArea(o.area)
					},
					{ source: u.source, unit: unitRef(u), areaM2: o.area }
				)
			);
		} else
			m.add(
				checkMessage(
					'child-outside-parent',
					{
						level: lv(level),
						id: u.id,
						name: u.name,
						parent: u.parentId ?? '',
						area: formatArea(o.area),
						width: Math.round(o.width)
					},
					{ source: u.source, unit: unitRef(u), at: [o.x, o.y], areaM2: o.area }
				)
			);
	}

	// Parts of a parent no child covers: narrow ones go to the child with the longest border.
	const uncovered = await db.query<{
		pi: number;
		k: number;
		area: number;
		width: number;
		x: number;
		y: number;
		piece: string;
	}>(
		`WITH u AS (
			SELECT p.i AS pi, p.g AS pg, ST_UnaryUnion(ST_Collect(c.g)) AS cg
			FROM pcu p JOIN pcu c ON c.level = $1 AND c.parent = p.id AND ST_IsValid(c.g)
			WHERE p.level = '~parent' GROUP BY p.i, p.g),
		 d AS (SELECT pi, (ST_Dump(ST_CollectionExtract(ST_Difference(pg, cg), 3))).geom AS x FROM u WHERE NOT ST_CoveredBy(pg, cg)),
		 k AS (SELECT pi, row_number() OVER (PARTITION BY pi)::int AS k, x FROM d WHERE ST_Area(x) > ${DUST_M2})
		 SELECT pi, k, ST_Area(x) AS area, ${WIDTH('x')} AS width, ST_AsEWKT(x) AS piece,
		        ST_X(${TO_DEG(f, 'ST_PointOnSurface(x)')}) AS x, ST_Y(${TO_DEG(f, 'ST_PointOnSurface(x)')}) AS y
		 FROM k`,
		[level]
	);
	for (const piece of uncovered) {
		const p = parents[piece.pi];
		if (piece.width > tol) {
			m.add(
				checkMessage(
					'parent-not-covered',
					{
						level: lv(level),
						parentLevel: lv(parentLevel),
						parent: p.id,
						name: p.name,
						area: formatArea(piece.area),
						width: Math.round(piece.width)
					},
					{ unit: unitRef(p), at: [piece.x, piece.y], areaM2: piece.area }
				)
			);
			continue;
		}
		const [best] = await db.query<{ i: number }>(
			`SELECT c.i FROM pcu c WHERE c.level = $1 AND c.parent = $2 AND ST_Intersects(c.g, ST_GeomFromEWKT($3))
			 ORDER BY ST_Length(ST_Intersection(ST_Boundary(c.g), ST_Boundary(ST_GeomFromEWKT($3)))) DESC LIMIT 1`,
			[level, p.id, piece.piece]
		);
		if (!best) continue;
		await db.query(
			`UPDATE pcu SET g = ST_Multi(ST_CollectionExtract(ST_UnaryUnion(ST_Collect(g, ST_GeomFromEWKT($3))), 3)), changed = true
			 WHERE level = $1 AND i = $2`,
			[level, best.i, piece.piece]
		);
		const u = units[best.i];
		m.add(
			checkMessage(
				'snapped-to-parent',
				{ level: lv(level), id: u.id, name: u.name, parent: p.id, area: formatArea(piece.area) },
				{ source: u.source, unit: unitRef(u), areaM2: piece.area }
			)
		);
	}
}

/** A grid is one piece: crumbs within the tolerance are dropped; copies of a multi-part parent
 * become one grid per piece; any other multi-part grid is refused. */
async function onePiece(
	db: Db,
	m: Messages,
	tol: number,
	f: Frame,
	units: Units,
	copied: boolean
): Promise<void> {
	const multi = await db.query<{ i: number; parts: number }>(
		`SELECT i, ST_NumGeometries(g)::int AS parts FROM pcu WHERE level = 'grid' AND ST_NumGeometries(g) > 1`
	);
	for (const { i } of multi) {
		const u = units[i];
		const parts = await db.query<{ k: number; area: number; width: number }>(
			`SELECT d.path[1] AS k, ST_Area(d.geom) AS area, ${WIDTH('d.geom')} AS width
			 FROM pcu, ST_Dump(g) AS d WHERE level = 'grid' AND i = $1 ORDER BY ST_Area(d.geom) DESC`,
			[i]
		);
		const crumbs = parts.filter((p) => p.width <= tol);
		const real = parts.filter((p) => p.width > tol);
		if (crumbs.length && real.length) {
			await db.query(
				`UPDATE pcu SET g = (SELECT ST_Collect(d.geom) FROM ST_Dump(g) AS d WHERE d.path[1] = ANY($2::int[])), changed = true
				 WHERE level = 'grid' AND i = $1`,
				[i, real.map((p) => p.k)]
			);
			m.add(
				checkMessage(
					'grid-part-dropped',
					{ id: u.id, name: u.name, area: formatArea(crumbs.reduce((s, p) => s + p.area, 0)) },
					{ source: u.source, unit: unitRef(u) }
				)
			);
		}
		if (real.length > 1 && !copied)
			m.add(
				checkMessage(
					'grid-multipart',
					{ id: u.id, name: u.name, parts: real.length },
					{ source: u.source, unit: unitRef(u) }
				)
			);
	}
	void f;
}

/** The level's final units, in file order; a copied multi-part grid becomes one grid per piece. */
async function collect(
	db: Db,
	level: PackLevel,
	f: Frame,
	units: Units,
	raw: (Geo | null)[]
): Promise<CleanUnit[]> {
	const rows = await db.query<{
		i: number;
		k: number;
		changed: boolean;
		copied: boolean;
		g: string;
		area: number;
		x: number;
		y: number;
	}>(
		`SELECT pcu.i, d.path[1] AS k, pcu.changed, pcu.copied, ST_AsGeoJSON(${TO_DEG(f, 'd.geom')}, 9) AS g,
		        ST_Area(d.geom) AS area,
		        ST_X(${TO_DEG(f, 'ST_PointOnSurface(d.geom)')}) AS x, ST_Y(${TO_DEG(f, 'ST_PointOnSurface(d.geom)')}) AS y
		 FROM pcu, ST_Dump(pcu.g) AS d WHERE pcu.level = $1 ORDER BY pcu.i, d.path[1]`,
		[level]
	);
	// Group the pieces back per unit (ST_Dump of a collection gives one row per polygon).
	const byUnit = new Map<number, typeof rows>();
	for (const r of rows) byUnit.set(r.i, [...(byUnit.get(r.i) ?? []), r]);
	const out: CleanUnit[] = [];
	for (const [i, pieces] of [...byUnit.entries()].sort((a, b) => a[0] - b[0])) {
		const u = units[i];
		const kind = kindOf(level, u.kind, u.name);
		const base = {
			...u,
			kind,
			population: u.population,
			households: u.households
		};
		if (level === 'grid' && pieces[0].copied && pieces.length > 1) {
			pieces.forEach((p, k) =>
				out.push({
					...base,
					id: `${u.id}-${k + 1}`,
					name: `${u.name}（${k + 1}）`,
					geometry: JSON.parse(p.g) as GeoJSON.Polygon,
					areaKm2: p.area / 1e6,
					label: [p.x, p.y],
					population: k === 0 ? u.population : 0,
					households: k === 0 ? u.households : 0
				})
			);
			continue;
		}
		const polys = pieces.map((p) => (JSON.parse(p.g) as GeoJSON.Polygon).coordinates);
		const biggest = pieces.reduce((a, b) => (b.area > a.area ? b : a));
		const changed = pieces[0].changed || pieces[0].copied || !raw[i];
		const geometry: Geo = !changed
			? (raw[i] as Geo)
			: polys.length === 1
				? { type: 'Polygon', coordinates: polys[0] }
				: { type: 'MultiPolygon', coordinates: polys };
		out.push({
			...base,
			geometry:
				level === 'grid' && geometry.type === 'MultiPolygon'
					? { type: 'Polygon', coordinates: geometry.coordinates[0] }
					: geometry,
			areaKm2: pieces.reduce((s, p) => s + p.area, 0) / 1e6,
			label: [biggest.x, biggest.y]
		});
	}
	return out;
}

function kindOf(level: PackLevel, given: string | undefined, name: string): string {
	const k = (given ?? '').trim().toLowerCase();
	if (level === 'street') {
		if (k === 'subdistrict' || k === 'town') return k;
		if (/街道/.test(k)) return 'subdistrict';
		if (/镇|乡/.test(k)) return 'town';
		return /[镇乡]$/.test(name) ? 'town' : 'subdistrict';
	}
	if (level === 'community') {
		if (k === 'community' || k === 'village') return k;
		if (/村/.test(k)) return 'village';
		if (/社区|居委/.test(k)) return 'community';
		return /村(委会)?$/.test(name) ? 'village' : 'community';
	}
	return level;
}

export type { CheckCode };
