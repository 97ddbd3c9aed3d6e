/**
 * Pure topology checks (turf-based), shared by the data generator's tests and the app:
 * - `checkPolygon`: is a geometry a valid (Multi)Polygon, and if not, why;
 * - `checkTiling`: do child polygons tile a parent polygon (no gaps, no overlaps, nothing
 *   outside), up to a tolerance relative to the parent's area.
 */
import {
	area,
	booleanValid,
	difference,
	featureCollection,
	feature as turfFeature,
	intersect,
	kinks,
	union
} from '@turf/turf';
import type { Feature, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { bboxOf } from './bbox';

export const POLYGON_NOT_POLYGON = 'not_polygon';
export const POLYGON_EMPTY = 'empty';
export const POLYGON_TOO_FEW_POSITIONS = 'too_few_positions';
export const POLYGON_NON_FINITE = 'non_finite_coordinate';
export const POLYGON_RING_NOT_CLOSED = 'ring_not_closed';
export const POLYGON_ZERO_AREA = 'zero_area';
export const POLYGON_SELF_INTERSECTION = 'self_intersection';
export const POLYGON_HOLE_OUTSIDE_SHELL = 'hole_outside_shell';
/** turf.booleanValid rejected it for another reason (spike, puncture, crossing parts). */
export const POLYGON_INVALID = 'invalid';

export const POLYGON_INVALID_REASONS = [
	POLYGON_NOT_POLYGON,
	POLYGON_EMPTY,
	POLYGON_TOO_FEW_POSITIONS,
	POLYGON_NON_FINITE,
	POLYGON_RING_NOT_CLOSED,
	POLYGON_ZERO_AREA,
	POLYGON_SELF_INTERSECTION,
	POLYGON_HOLE_OUTSIDE_SHELL,
	POLYGON_INVALID
] as const;
export type PolygonInvalidReason = (typeof POLYGON_INVALID_REASONS)[number];

export interface PolygonCheck {
	valid: boolean;
	reason: PolygonInvalidReason | null;
}

export interface PolygonCheckOptions {
	/** Accept MultiPolygon geometries too (default false: a single Polygon is required). */
	allowMultiPolygon?: boolean;
}

type PolygonLike = Polygon | MultiPolygon | Feature<Polygon | MultiPolygon>;

const ok: PolygonCheck = { valid: true, reason: null };
const fail = (reason: PolygonInvalidReason): PolygonCheck => ({ valid: false, reason });

function geometryOf(input: unknown): Geometry | null {
	if (!input || typeof input !== 'object') return null;
	const o = input as { type?: unknown; geometry?: unknown };
	if (o.type === 'Feature') return geometryOf(o.geometry);
	if (typeof o.type === 'string' && 'coordinates' in (o as object)) return o as Geometry;
	return null;
}

function ringArea(ring: Position[]): number {
	let s = 0;
	for (let i = 0; i + 1 < ring.length; i++)
		s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
	return s / 2;
}

function pointInRing(p: Position, ring: Position[]): boolean {
	let inside = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const [xi, yi] = ring[i];
		const [xj, yj] = ring[j];
		if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi)
			inside = !inside;
	}
	return inside;
}

function checkRings(rings: unknown): PolygonInvalidReason | null {
	if (!Array.isArray(rings) || rings.length === 0) return POLYGON_EMPTY;
	for (const ring of rings) {
		if (!Array.isArray(ring) || ring.length < 4) return POLYGON_TOO_FEW_POSITIONS;
		for (const p of ring)
			if (!Array.isArray(p) || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1]))
				return POLYGON_NON_FINITE;
		const a = ring[0];
		const b = ring[ring.length - 1];
		if (a[0] !== b[0] || a[1] !== b[1]) return POLYGON_RING_NOT_CLOSED;
	}
	return null;
}

function checkAreas(rings: Position[][]): PolygonInvalidReason | null {
	for (const ring of rings) if (ringArea(ring) === 0) return POLYGON_ZERO_AREA;
	const shell = rings[0];
	for (const hole of rings.slice(1))
		if (!hole.some((p) => pointInRing(p, shell))) return POLYGON_HOLE_OUTSIDE_SHELL;
	return null;
}

/** Validity of a Polygon (or MultiPolygon when allowed), with the first reason found. */
export function checkPolygon(input: unknown, opts: PolygonCheckOptions = {}): PolygonCheck {
	const geom = geometryOf(input);
	if (!geom) return fail(POLYGON_NOT_POLYGON);
	let polygons: unknown[];
	if (geom.type === 'Polygon') polygons = [geom.coordinates];
	else if (geom.type === 'MultiPolygon' && opts.allowMultiPolygon) polygons = geom.coordinates;
	else return fail(POLYGON_NOT_POLYGON);
	if (polygons.length === 0) return fail(POLYGON_EMPTY);
	for (const rings of polygons) {
		const reason = checkRings(rings);
		if (reason) return fail(reason);
	}
	const g = geom as Polygon | MultiPolygon;
	if (kinks(g).features.length > 0) return fail(POLYGON_SELF_INTERSECTION);
	for (const rings of polygons) {
		const reason = checkAreas(rings as Position[][]);
		if (reason) return fail(reason);
	}
	if (!booleanValid(g)) return fail(POLYGON_INVALID);
	return ok;
}

export const TILING_GAP = 'gap';
export const TILING_OVERLAP = 'overlap';
export const TILING_OUTSIDE = 'outside';
export const TILING_INVALID_PARENT = 'invalid_parent';
export const TILING_INVALID_CHILD = 'invalid_child';
export const TILING_NO_CHILDREN = 'no_children';

export const TILING_REASONS = [
	TILING_GAP,
	TILING_OVERLAP,
	TILING_OUTSIDE,
	TILING_INVALID_PARENT,
	TILING_INVALID_CHILD,
	TILING_NO_CHILDREN
] as const;
export type TilingReason = (typeof TILING_REASONS)[number];

export interface TilingCheck {
	valid: boolean;
	/** First failing reason (null when valid). */
	reason: TilingReason | null;
	reasons: TilingReason[];
	/**
	 * How it was decided: 'exact' when the children's boundaries cancel exactly against each
	 * other and add up to the parent's boundary (a proof of exact tiling, no area arithmetic);
	 * 'area' when it fell back to measuring gap/overlap/outside areas with polygon clipping;
	 * null when the inputs were rejected.
	 */
	method: 'exact' | 'area' | null;
	/** Areas relative to the parent's area (0 for 'exact', NaN when not computed). */
	gapRatio: number;
	overlapRatio: number;
	outsideRatio: number;
	/** Indexes of invalid children. */
	invalidChildren: number[];
}

export interface TilingOptions {
	/** Largest acceptable gap/overlap/outside area as a fraction of the parent area. */
	tolerance?: number;
	/** Try the exact boundary-cancellation certificate first (default true). */
	exact?: boolean;
}

function asFeature(g: PolygonLike): Feature<Polygon | MultiPolygon> {
	return g.type === 'Feature' ? g : turfFeature(g);
}

function polygonsOf(g: PolygonLike): Position[][][] {
	const geom = g.type === 'Feature' ? g.geometry : g;
	return geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
}

/**
 * Add the directed edges of a polygon (outer rings counter-clockwise, holes clockwise) to a
 * chain, with the given sign.
 */
function addChain(chain: Map<string, number>, g: PolygonLike, sign: 1 | -1): void {
	for (const rings of polygonsOf(g)) {
		rings.forEach((ring, k) => {
			const ccw = ringArea(ring) > 0;
			const flip = (k === 0) !== ccw;
			for (let i = 0; i + 1 < ring.length; i++) {
				let a = ring[i];
				let b = ring[i + 1];
				if (a[0] === b[0] && a[1] === b[1]) continue;
				if (flip) [a, b] = [b, a];
				// Store each undirected edge once; the sign carries the direction.
				const forward = a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
				const key = forward ? `${a[0]},${a[1]},${b[0]},${b[1]}` : `${b[0]},${b[1]},${a[0]},${a[1]}`;
				const v = (chain.get(key) ?? 0) + (forward ? sign : -sign);
				if (v === 0) chain.delete(key);
				else chain.set(key, v);
			}
		});
	}
}

/**
 * Exact certificate: every child is a valid simple polygon, so its winding number is 1 inside
 * and 0 outside. If the sum of the children's boundary chains equals the parent's boundary
 * chain (edge by edge, exact coordinates), the winding numbers add up to the parent's: every
 * point of the parent is in exactly one child and no child reaches outside.
 */
function boundariesCancel(parent: PolygonLike, children: PolygonLike[]): boolean {
	const chain = new Map<string, number>();
	addChain(chain, parent, -1);
	for (const c of children) addChain(chain, c, 1);
	return chain.size === 0;
}

/**
 * Do `children` tile `parent`: their union covers it (no gap), they do not overlap each other,
 * and nothing lies outside it — each up to `tolerance` × parent area (default 1e-9).
 */
export function checkTiling(
	parent: PolygonLike,
	children: PolygonLike[],
	opts: TilingOptions = {}
): TilingCheck {
	const tolerance = opts.tolerance ?? 1e-9;
	const result = (
		reasons: TilingReason[],
		method: TilingCheck['method'],
		gap = NaN,
		overlap = NaN,
		outside = NaN,
		invalid: number[] = []
	): TilingCheck => ({
		valid: reasons.length === 0,
		reason: reasons[0] ?? null,
		reasons,
		method,
		gapRatio: gap,
		overlapRatio: overlap,
		outsideRatio: outside,
		invalidChildren: invalid
	});
	if (!checkPolygon(parent, { allowMultiPolygon: true }).valid)
		return result([TILING_INVALID_PARENT], null);
	if (children.length === 0) return result([TILING_NO_CHILDREN], null);
	const invalid: number[] = [];
	children.forEach((c, i) => {
		if (!checkPolygon(c, { allowMultiPolygon: true }).valid) invalid.push(i);
	});
	if (invalid.length > 0) return result([TILING_INVALID_CHILD], null, NaN, NaN, NaN, invalid);

	const singleParts = children.every((c) => polygonsOf(c).length === 1);
	if (opts.exact !== false && singleParts && boundariesCancel(parent, children))
		return result([], 'exact', 0, 0, 0);

	const p = asFeature(parent);
	const cs = children.map(asFeature);
	const parentArea = area(p);
	const u = cs.length === 1 ? cs[0] : union(featureCollection(cs));
	const gapGeom = u ? difference(featureCollection([p, u])) : p;
	const outsideGeom = u ? difference(featureCollection([u, p])) : null;
	const gap = (gapGeom ? area(gapGeom) : 0) / parentArea;
	const outside = (outsideGeom ? area(outsideGeom) : 0) / parentArea;
	let overlapArea = 0;
	const boxes = children.map((c) => bboxOf('geometry' in c ? c.geometry : c));
	for (let i = 0; i < cs.length; i++)
		for (let j = i + 1; j < cs.length; j++) {
			const a = boxes[i];
			const b = boxes[j];
			if (a[2] < b[0] || b[2] < a[0] || a[3] < b[1] || b[3] < a[1]) continue;
			const x = intersect(featureCollection([cs[i], cs[j]]));
			if (x) overlapArea += area(x);
		}
	const overlap = overlapArea / parentArea;
	const reasons: TilingReason[] = [];
	if (gap > tolerance) reasons.push(TILING_GAP);
	if (overlap > tolerance) reasons.push(TILING_OVERLAP);
	if (outside > tolerance) reasons.push(TILING_OUTSIDE);
	return result(reasons, 'area', gap, overlap, outside);
}
