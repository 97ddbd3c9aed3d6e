/**
 * The planner's invariants, checked on commit of an edit (never on pointer move) and again on
 * import and on save:
 * - the outline of the community is a valid polygon and there is at least one grid;
 * - grid ids are unique and every grid belongs to the draft's community;
 * - every grid is one valid, contiguous Polygon (no MultiPolygon, no self-intersection) with
 *   coordinates of at most `COORD_DECIMALS` decimals;
 * - the grids tile the outline: no gap, no overlap, nothing outside.
 *
 * Validity and tiling are decided by `src/lib/geo/topology.ts` (`checkPolygon`, `checkTiling`);
 * this module adds what an editor needs on top: which grids, and where to put the marker. The
 * reasons are in `reasons.ts`.
 */
import {
	area,
	difference,
	feature,
	featureCollection,
	intersect,
	kinks,
	pointOnFeature,
	union
} from '@turf/turf';
import type { Feature, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import {
	POLYGON_HOLE_OUTSIDE_SHELL,
	POLYGON_SELF_INTERSECTION,
	checkPolygon,
	checkTiling,
	type PolygonInvalidReason
} from '../geo/topology.ts';
import {
	VERTEX_EPS,
	bboxOfRings,
	nodePolygons,
	polygonOf,
	ringsOf,
	roundCoord,
	roundPt,
	type Pt
} from './geometry.ts';
import {
	COORDINATE_PRECISION,
	DUPLICATE_GRID_ID,
	GAP,
	GRID_INVALID,
	NOT_CONTIGUOUS,
	NOT_POLYGON,
	NO_GRIDS,
	OUTLINE_INVALID,
	OUTSIDE,
	OVERLAP,
	WRONG_COMMUNITY,
	type InvariantReason
} from './reasons.ts';
import type { Draft, InvariantFailure } from './types.ts';

export interface DraftCheck {
	valid: boolean;
	failures: InvariantFailure[];
	/** How the tiling was decided (see `TilingCheck.method`); null when it was not reached. */
	method: 'exact' | 'area' | null;
}

export interface ValidateOptions {
	/** Largest gap/overlap/outside area accepted, as a fraction of the community's area. */
	tolerance?: number;
}

const fail = (
	reason: InvariantReason,
	location: Pt | null,
	gridIds: string[],
	detail: PolygonInvalidReason | null = null
): InvariantFailure => ({ valid: false, reason, detail, location, gridIds });

function firstVertex(geom: Polygon): Pt | null {
	const p = geom.coordinates[0]?.[0];
	return p && Number.isFinite(p[0]) && Number.isFinite(p[1]) ? roundPt(p) : null;
}

/** A spot for the marker of an invalid polygon: the crossing, the stray hole, or a vertex. */
export function locateInvalid(geom: Polygon, reason: PolygonInvalidReason): Pt | null {
	if (reason === POLYGON_SELF_INTERSECTION) {
		try {
			const k = kinks(geom).features[0];
			if (k) return roundPt(k.geometry.coordinates);
		} catch {
			// Fall through to a vertex.
		}
	}
	if (reason === POLYGON_HOLE_OUTSIDE_SHELL) {
		const p = geom.coordinates[1]?.[0];
		if (p) return roundPt(p);
	}
	return firstVertex(geom);
}

function firstImprecise(geom: Polygon): Pt | null {
	for (const ring of geom.coordinates)
		for (const p of ring)
			if (roundCoord(p[0]) !== p[0] || roundCoord(p[1]) !== p[1]) return [p[0], p[1]];
	return null;
}

/** The polygon parts of a (Multi)Polygon, as features. */
function parts(g: Feature<Polygon | MultiPolygon>): Feature<Polygon>[] {
	const geom = g.geometry;
	const polys = geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
	return polys.map((coordinates) => feature<Polygon>({ type: 'Polygon', coordinates }));
}

function spot(g: Feature<Polygon>): Pt {
	return roundPt(pointOnFeature(g).geometry.coordinates);
}

function boxesTouch(a: number[], b: number[], pad: number): boolean {
	return !(a[2] + pad < b[0] || b[2] + pad < a[0] || a[3] + pad < b[1] || b[3] + pad < a[1]);
}

/**
 * Where the tiling breaks. Only called after `checkTiling` said it does, so clipping cost is
 * paid on failure only; pieces below `minArea` (m²) are floating-point dust and not reported.
 */
function locateTiling(
	parent: Polygon,
	children: Polygon[],
	ids: string[],
	minArea: number
): InvariantFailure[] {
	const out: InvariantFailure[] = [];
	const fs = children.map((c) => feature<Polygon>(c));
	const boxes = children.map((c) => bboxOfRings(ringsOf(c)));
	for (let i = 0; i < fs.length; i++)
		for (let j = i + 1; j < fs.length; j++) {
			if (!boxesTouch(boxes[i], boxes[j], 0)) continue;
			const x = intersect(featureCollection([fs[i], fs[j]]));
			if (!x || area(x) <= minArea) continue;
			const biggest = parts(x).sort((a, b) => area(b) - area(a))[0];
			out.push(fail(OVERLAP, spot(biggest), [ids[i], ids[j]]));
		}
	const p = feature<Polygon>(parent);
	for (let i = 0; i < fs.length; i++) {
		const d = difference(featureCollection([fs[i], p]));
		if (!d || area(d) <= minArea) continue;
		const biggest = parts(d).sort((a, b) => area(b) - area(a))[0];
		out.push(fail(OUTSIDE, spot(biggest), [ids[i]]));
	}
	const u = fs.length === 1 ? fs[0] : union(featureCollection(fs));
	const gap = u ? difference(featureCollection([p, u])) : p;
	if (gap)
		for (const piece of parts(gap)) {
			if (area(piece) <= minArea) continue;
			const box = bboxOfRings(ringsOf(piece.geometry));
			const around = ids.filter((_, i) => boxesTouch(boxes[i], box, VERTEX_EPS * 4));
			out.push(fail(GAP, spot(piece), around));
		}
	return out;
}

/** All invariant failures of a draft (empty when valid). Milliseconds for a community. */
export function validateDraft(draft: Draft, opts: ValidateOptions = {}): DraftCheck {
	const tolerance = opts.tolerance ?? 1e-9;
	const failures: InvariantFailure[] = [];
	const done = (method: DraftCheck['method'] = null): DraftCheck => ({
		valid: failures.length === 0,
		failures,
		method
	});

	const outline = checkPolygon(draft.outline);
	if (!outline.valid) {
		const reason = outline.reason ?? 'invalid';
		const geom = draft.outline as Geometry;
		const loc = geom?.type === 'Polygon' ? locateInvalid(geom, reason) : null;
		failures.push(fail(OUTLINE_INVALID, loc, [], reason));
		return done();
	}
	if (draft.grids.length === 0) {
		failures.push(fail(NO_GRIDS, null, []));
		return done();
	}

	const seen = new Set<string>();
	const ids = draft.grids.map((g) => String(g.properties?.id));
	for (const g of draft.grids) {
		const id = String(g.properties?.id);
		const geom = g.geometry as Geometry | null;
		if (seen.has(id)) failures.push(fail(DUPLICATE_GRID_ID, geom ? anyVertex(geom) : null, [id]));
		seen.add(id);
		if (g.properties?.communityId !== draft.communityId)
			failures.push(fail(WRONG_COMMUNITY, geom ? anyVertex(geom) : null, [id]));
		if (!geom || geom.type !== 'Polygon') {
			const several = geom?.type === 'MultiPolygon' && geom.coordinates.length > 1;
			failures.push(
				fail(several ? NOT_CONTIGUOUS : NOT_POLYGON, geom ? anyVertex(geom) : null, [id])
			);
			continue;
		}
		const c = checkPolygon(geom);
		if (!c.valid) {
			const reason = c.reason ?? 'invalid';
			failures.push(fail(GRID_INVALID, locateInvalid(geom, reason), [id], reason));
			continue;
		}
		const loose = firstImprecise(geom);
		if (loose) failures.push(fail(COORDINATE_PRECISION, loose, [id]));
	}
	// The tiling of broken pieces means nothing; fix those first.
	if (failures.length > 0) return done();

	// Near-duplicates and T-junctions within VERTEX_EPS are one vertex / on the edge, so the
	// exact certificate of checkTiling applies; the outline is noded with the grids' vertices.
	const noded = nodePolygons([
		ringsOf(draft.outline),
		...draft.grids.map((g) => ringsOf(g.geometry))
	]);
	const parent = polygonOf(noded[0]);
	const children = noded.slice(1).map(polygonOf);
	const tiling = checkTiling(parent, children, { tolerance });
	if (tiling.valid) return done(tiling.method);
	if (tiling.invalidChildren.length > 0) {
		// Valid on their own but not once noded: a vertex within VERTEX_EPS of the grid's own
		// boundary elsewhere (a pinch). Report it as the invalid grid it is at that scale.
		for (const i of tiling.invalidChildren) {
			const reason = checkPolygon(children[i]).reason ?? 'invalid';
			failures.push(fail(GRID_INVALID, locateInvalid(children[i], reason), [ids[i]], reason));
		}
		return done(tiling.method);
	}
	const minArea = tolerance * area(parent);
	failures.push(...locateTiling(parent, children, ids, minArea));
	if (failures.length === 0) {
		// checkTiling measured something the piecewise clipping did not find; still refuse.
		const r = tiling.reason;
		const reason = r === GAP || r === OVERLAP || r === OUTSIDE ? r : OUTLINE_INVALID;
		failures.push(fail(reason, null, ids));
	}
	return done(tiling.method);
}

function anyVertex(geom: Geometry): Pt | null {
	let p: Position | undefined;
	if (geom.type === 'Polygon') p = geom.coordinates[0]?.[0];
	else if (geom.type === 'MultiPolygon') p = geom.coordinates[0]?.[0]?.[0];
	return p && Number.isFinite(p[0]) && Number.isFinite(p[1]) ? roundPt(p) : null;
}
