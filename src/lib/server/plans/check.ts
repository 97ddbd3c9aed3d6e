/**
 * The server's check of a draft before it is stored (save, import) or published. Two
 * independent opinions, and the draft must pass both:
 * 1. the planner's pure core (src/lib/plan: createDraft renodes, validateDraft checks every
 *    invariant) — the very code the browser ran, so its refusals read the same;
 * 2. PostGIS, whatever the client or the core said: ST_IsValidDetail for each grid (reason and
 *    location), a single Polygon per grid, no overlap between grids, nothing outside the
 *    community and no gap (ST_Difference of the outline and the union), each piece counted only
 *    above a tiny area (AREA_EPS_FRACTION of the community's area: floating-point dust).
 * Every problem found is listed with the grid, a reason, a spot and a sentence.
 */
import type { Polygon, Position } from 'geojson';
import type { GridFeature } from '$lib/domain/city';
import {
	MAX_GRID_POSITIONS,
	MAX_PLAN_POSITIONS,
	type PlanProblem as AnyPlanProblem
} from '$lib/domain/plans';
import {
	BAD_COORDINATE,
	GAP,
	GRID_INVALID,
	NOT_CONTIGUOUS,
	NOT_POLYGON,
	NO_GRIDS,
	OUTSIDE,
	OVERLAP,
	RING_NOT_CLOSED,
	TOO_FEW_POSITIONS,
	TOO_MANY_POSITIONS,
	TOPOLOGY_ERROR,
	createDraft,
	validateDraft,
	type Draft,
	type InvariantFailure,
	type PlanReason
} from '$lib/plan';
import type { Queryable } from '../db/types';

/** A problem the server reports: its reason is one of src/lib/plan/reasons.ts. */
export type PlanProblem = AnyPlanProblem<PlanReason>;

/** A gap, overlap or outside piece smaller than this fraction of the community's area is dust. */
export const AREA_EPS_FRACTION = 1e-6;

type Pt = [number, number];
const round9 = (x: number) => Math.round(x * 1e9) / 1e9;
const pt = (p: Position): Pt => [round9(p[0]), round9(p[1])];

export interface CommunityShape {
	id: string;
	outline: Polygon;
}

/** A label for a feature in messages: its id, or "#index" in a file. */
export type FeatureKey = (index: number, grid: GridFeature) => string | number;
const byId: FeatureKey = (_i, g) => String(g.properties?.id ?? '');

function firstPosition(geometry: unknown): Pt | null {
	let c: unknown = (geometry as { coordinates?: unknown } | null)?.coordinates;
	while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
	if (Array.isArray(c) && c.length >= 2) {
		const [x, y] = c as number[];
		if (Number.isFinite(x) && Number.isFinite(y) && Math.abs(x) <= 180 && Math.abs(y) <= 90)
			return pt([x, y]);
	}
	return null;
}

/** Positions of all rings of a Polygon-like geometry (0 when it has none). */
function positionCount(geometry: unknown): number {
	const rings = (geometry as { coordinates?: unknown } | null)?.coordinates;
	if (!Array.isArray(rings)) return 0;
	return rings.reduce((n: number, r: unknown) => n + (Array.isArray(r) ? r.length : 0), 0);
}

/**
 * What no geometry library can be asked about: not a Polygon, non-numeric, non-finite or
 * out-of-range coordinates (NaN, 1e300), rings with fewer than 4 positions or not closed.
 */
export function structuralProblems(
	grids: readonly GridFeature[],
	key: FeatureKey = byId
): PlanProblem[] {
	const out: PlanProblem[] = [];
	grids.forEach((g, i) => {
		const feature = key(i, g);
		const name = typeof feature === 'number' ? `Feature #${feature}` : `Grid ${feature}`;
		const geom = g.geometry as { type?: unknown; coordinates?: unknown } | null;
		const problem = (reason: PlanReason, location: Pt | null, message: string) =>
			out.push({ feature, reason, location, message: `${name}: ${message}` });
		if (!geom || typeof geom !== 'object') {
			problem(NOT_POLYGON, null, 'has no geometry; every grid must be a Polygon.');
			return;
		}
		if (geom.type === 'MultiPolygon') {
			problem(
				NOT_CONTIGUOUS,
				firstPosition(geom),
				'is a MultiPolygon; a grid must be one contiguous Polygon (split it into several grids).'
			);
			return;
		}
		if (geom.type !== 'Polygon') {
			problem(
				NOT_POLYGON,
				firstPosition(geom),
				`is a ${String(geom.type)}; every grid must be a Polygon.`
			);
			return;
		}
		const rings = geom.coordinates;
		if (!Array.isArray(rings) || rings.length === 0) {
			problem(TOO_FEW_POSITIONS, null, 'has no rings.');
			return;
		}
		const positions = positionCount(geom);
		if (positions > MAX_GRID_POSITIONS) {
			problem(
				TOO_MANY_POSITIONS,
				firstPosition(geom),
				`has ${positions} positions; a grid may have at most ${MAX_GRID_POSITIONS} (simplify it).`
			);
			return;
		}
		for (const [r, ring] of rings.entries()) {
			const what = r === 0 ? 'its outer ring' : `hole ${r}`;
			if (!Array.isArray(ring) || ring.length < 4) {
				problem(
					TOO_FEW_POSITIONS,
					firstPosition({ coordinates: ring }),
					`${what} has ${Array.isArray(ring) ? ring.length : 0} positions; a ring needs at least 4 (closed).`
				);
				continue;
			}
			const bad = ring.findIndex(
				(p: unknown) =>
					!Array.isArray(p) ||
					p.length < 2 ||
					typeof p[0] !== 'number' ||
					typeof p[1] !== 'number' ||
					!Number.isFinite(p[0]) ||
					!Number.isFinite(p[1]) ||
					Math.abs(p[0]) > 180 ||
					Math.abs(p[1]) > 90
			);
			if (bad >= 0) {
				problem(
					BAD_COORDINATE,
					firstPosition({ coordinates: ring }),
					`${what}, position ${bad}: ${JSON.stringify(ring[bad])} is not a longitude/latitude pair (finite, |lon| ≤ 180, |lat| ≤ 90).`
				);
				continue;
			}
			const [a, z] = [ring[0] as number[], ring[ring.length - 1] as number[]];
			if (a[0] !== z[0] || a[1] !== z[1])
				problem(
					RING_NOT_CLOSED,
					pt(z),
					`${what} is not closed: it ends at ${JSON.stringify(z)}, not at its first position ${JSON.stringify(a)}.`
				);
		}
	});
	return out;
}

const CORE_MESSAGES: Record<InvariantFailure['reason'], string> = {
	outline_invalid: 'the community outline is not a valid polygon',
	no_grids: 'the plan has no grids',
	duplicate_grid_id: 'two grids have this id; ids must be unique',
	wrong_community: 'belongs to another community',
	not_polygon: 'is not a Polygon',
	not_contiguous: 'is not contiguous (several parts)',
	grid_invalid: 'is not a valid polygon',
	coordinate_precision: 'has a coordinate with more than 9 decimals',
	gap: 'a gap between grids: part of the community belongs to no grid',
	overlap: 'grids overlap',
	outside: 'reaches outside the community'
};

function coreProblem(f: InvariantFailure, key: (id: string) => string | number): PlanProblem {
	const ids = f.gridIds;
	const what = CORE_MESSAGES[f.reason];
	const at = f.location ? ` at ${f.location[0].toFixed(6)}, ${f.location[1].toFixed(6)}` : '';
	const detail = f.detail ? ` (${f.detail.replace(/_/g, ' ')})` : '';
	let message: string;
	if (f.reason === OVERLAP) message = `Grids ${ids.join(' and ')} overlap${at}.`;
	else if (f.reason === GAP)
		message = `Gap${at}: part of the community belongs to no grid${ids.length ? ` (between ${ids.join(', ')})` : ''}.`;
	else if (ids.length) message = `Grid ${ids.join(', ')} ${what}${detail}${at}.`;
	else message = `The plan: ${what}${detail}${at}.`;
	return {
		feature: f.reason === GAP || ids.length === 0 ? null : key(ids[0]),
		reason: f.reason,
		location: f.location ? [f.location[0], f.location[1]] : null,
		message,
		gridIds: ids
	};
}

interface ValidityRow {
	n: number;
	type: string;
	valid: boolean;
	reason: string | null;
	lon: number | null;
	lat: number | null;
}

interface PieceRow {
	reason: string;
	a: string | null;
	b: string | null;
	lon: number;
	lat: number;
	area: number;
	around: string[] | null;
}

/**
 * PostGIS's own verdict on grids that passed the structural check, independent of the core.
 * Overlaps and pieces outside are judged among the valid Polygons; gaps only when every grid
 * is one.
 */
export async function postgisProblems(
	q: Queryable,
	community: CommunityShape,
	grids: readonly GridFeature[],
	key: (id: string) => string | number = (id) => id
): Promise<PlanProblem[]> {
	if (grids.length === 0) return [];
	const ids = grids.map((g) => String(g.properties.id));
	const json = grids.map((g) => JSON.stringify(g.geometry));
	const out: PlanProblem[] = [];
	let validity: ValidityRow[];
	try {
		validity = await q.query<ValidityRow>(
			`SELECT t.n::int AS n, GeometryType(s.g) AS type, d.valid, d.reason,
			   ST_X(d.location) AS lon, ST_Y(d.location) AS lat
			 FROM unnest($1::text[]) WITH ORDINALITY AS t(gj, n)
			 CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_GeomFromGeoJSON(t.gj), 4326) AS g) s
			 CROSS JOIN LATERAL ST_IsValidDetail(s.g) AS d
			 ORDER BY t.n`,
			[json]
		);
	} catch (err) {
		return [
			{
				feature: null,
				reason: TOPOLOGY_ERROR,
				location: null,
				message: `PostGIS could not read the grids: ${(err as Error).message}`
			}
		];
	}
	for (const v of validity) {
		const id = ids[v.n - 1];
		if (v.type !== 'POLYGON')
			out.push({
				feature: key(id),
				reason: NOT_POLYGON,
				location: null,
				message: `Grid ${id} is a ${v.type}; every grid must be a single Polygon.`,
				gridIds: [id]
			});
		else if (!v.valid) {
			const at = v.lon !== null && v.lat !== null ? pt([v.lon, v.lat]) : null;
			out.push({
				feature: key(id),
				reason: GRID_INVALID,
				location: at,
				message: `Grid ${id} is not a valid polygon (PostGIS: ${v.reason ?? 'invalid'}).`,
				gridIds: [id]
			});
		}
	}
	// The tiling of the valid grids (the invalid ones are listed; the gaps they leave are not).
	const ok = validity.filter((v) => v.type === 'POLYGON' && v.valid).map((v) => v.n - 1);
	const partial = ok.length < grids.length;
	if (ok.length === 0) return out;

	let pieces: PieceRow[];
	try {
		pieces = await q.query<PieceRow>(
			`WITH o AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS geom),
			 g AS (
			   SELECT t.n, t.id, ST_SetSRID(ST_GeomFromGeoJSON(t.gj), 4326) AS geom
			   FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(id, gj, n)
			 ),
			 eps AS (SELECT ST_Area(o.geom) * $4::float8 AS e FROM o),
			 pieces AS (
			   SELECT 'overlap' AS reason, a.id AS a, b.id AS b, x.geom
			   FROM g a JOIN g b ON a.n < b.n AND a.geom && b.geom AND ST_Intersects(a.geom, b.geom)
			   CROSS JOIN LATERAL ST_Dump(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 3)) x
			   UNION ALL
			   SELECT 'outside', g.id, NULL, x.geom
			   FROM g, o CROSS JOIN LATERAL ST_Dump(ST_CollectionExtract(ST_Difference(g.geom, o.geom), 3)) x
			   UNION ALL
			   SELECT 'gap', NULL, NULL, x.geom
			   FROM o CROSS JOIN LATERAL ST_Dump(ST_CollectionExtract(
			     ST_Difference(o.geom, (SELECT ST_Union(geom) FROM g)), 3)) x
			 )
			 SELECT p.reason, p.a, p.b, ST_X(s.pt) AS lon, ST_Y(s.pt) AS lat, p.area,
			   CASE WHEN p.reason = 'gap' THEN (
			     SELECT array_agg(g.id ORDER BY g.n) FROM g WHERE ST_DWithin(g.geom, p.geom, 1e-9)
			   ) END AS around
			 FROM (SELECT pieces.*, ST_Area(pieces.geom) AS area FROM pieces) p
			 CROSS JOIN LATERAL (SELECT ST_PointOnSurface(p.geom) AS pt) s, eps
			 WHERE p.area > eps.e
			 ORDER BY p.area DESC`,
			[
				JSON.stringify(community.outline),
				ok.map((i) => ids[i]),
				ok.map((i) => json[i]),
				AREA_EPS_FRACTION
			]
		);
	} catch (err) {
		return [
			{
				feature: null,
				reason: TOPOLOGY_ERROR,
				location: null,
				message: `PostGIS could not compute how the grids tile the community: ${(err as Error).message}`
			}
		];
	}
	for (const p of pieces) {
		const at = pt([p.lon, p.lat]);
		const where = `at ${at[0].toFixed(6)}, ${at[1].toFixed(6)}`;
		const m2 = Math.round(p.area * 111_320 * 111_320 * Math.cos((at[1] * Math.PI) / 180));
		if (p.reason === 'overlap')
			out.push({
				feature: key(p.a!),
				reason: OVERLAP,
				location: at,
				message: `Grids ${p.a} and ${p.b} overlap ${where} (about ${m2} m²).`,
				gridIds: [p.a!, p.b!]
			});
		else if (p.reason === 'outside')
			out.push({
				feature: key(p.a!),
				reason: OUTSIDE,
				location: at,
				message: `Grid ${p.a} reaches outside community ${community.id} ${where} (about ${m2} m²).`,
				gridIds: [p.a!]
			});
		else if (!partial)
			out.push({
				feature: null,
				reason: GAP,
				location: at,
				message: `Gap ${where} (about ${m2} m²): part of community ${community.id} belongs to no grid${p.around?.length ? ` (between ${p.around.join(', ')})` : ''}.`,
				gridIds: p.around ?? []
			});
	}
	return out;
}

export interface CheckResult {
	/** The grids as the core renoded them (what is stored). */
	draft: Draft;
	problems: PlanProblem[];
}

/**
 * Everything the server checks before a draft is kept: structure, the core invariants, then
 * PostGIS. Problems PostGIS finds that the core already reported (same reason and grid) are
 * not listed twice.
 */
export async function checkGrids(
	q: Queryable,
	community: CommunityShape,
	grids: readonly GridFeature[],
	key: FeatureKey = byId
): Promise<CheckResult> {
	const structural = structuralProblems(grids, key);
	const keyOfId = (id: string) => {
		const i = grids.findIndex((g) => String(g.properties?.id) === id);
		return i >= 0 ? key(i, grids[i]) : id;
	};
	const sound = grids.filter((_, i) => !structural.some((p) => p.feature === key(i, grids[i])));
	const total = sound.reduce((n, g) => n + positionCount(g.geometry), 0);
	if (total > MAX_PLAN_POSITIONS) {
		// Too costly to check (see MAX_PLAN_POSITIONS): refused before the core runs.
		const problem: PlanProblem = {
			feature: null,
			reason: TOO_MANY_POSITIONS,
			location: null,
			message: `The plan has ${total} positions in all; a community's plan may have at most ${MAX_PLAN_POSITIONS} (simplify its grids).`
		};
		return {
			draft: createDraft({ id: community.id, geometry: community.outline }, []),
			problems: [...structural, problem]
		};
	}
	const draft = createDraft({ id: community.id, geometry: community.outline }, sound);
	const core = validateDraft(draft).failures.map((f) => coreProblem(f, keyOfId));
	// Broken grids are left out of the check; the gaps they leave are not worth listing.
	const coreKept = structural.length
		? core.filter((p) => p.reason !== GAP && p.reason !== NO_GRIDS)
		: core;
	const seen = new Set(coreKept.map((p) => `${p.reason}|${p.feature ?? ''}`));
	const db = await postgisProblems(q, community, draft.grids, keyOfId);
	const extra = db.filter((p) => {
		if (structural.length && p.reason === GAP) return false;
		const k = `${p.reason}|${p.feature ?? ''}`;
		if (seen.has(k)) return false;
		// One gap reported by the core covers PostGIS's view of the same gaps.
		if (p.reason === GAP && coreKept.some((c) => c.reason === GAP)) return false;
		seen.add(k);
		return true;
	});
	return { draft, problems: [...structural, ...coreKept, ...extra] };
}
