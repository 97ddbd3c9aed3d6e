/**
 * Every reason a plan can be refused for, in one list: an edit that cannot be done, an invariant
 * the result would break, the server's own check (structure and PostGIS) and a plan file that
 * cannot be imported. The reason is the machine-readable part of a refusal (`EditRefused`,
 * `InvariantFailure`, a 422's `PlanProblem`); `src/lib/i18n/reasons.ts` gives each one its
 * words in every language, and a test holds that every reason here has them.
 */
import { TILING_GAP, TILING_OUTSIDE, TILING_OVERLAP } from '../geo/topology.ts';
import type { PolygonInvalidReason } from '../geo/topology.ts';
import type { Pt } from './geometry.ts';

// ── Edits (src/lib/plan/edits/) ──

/** No grid with that id in the draft. */
export const GRID_NOT_FOUND = 'grid_not_found';
/** The cut line has fewer than two distinct finite points. */
export const SPLIT_LINE_INVALID = 'split_line_invalid';
/** The cut line does not touch the grid. */
export const SPLIT_LINE_MISSES = 'split_line_misses';
/** The cut line ends inside the grid, or only grazes its boundary. */
export const SPLIT_LINE_NOT_ACROSS = 'split_line_not_across';
/** The cut would not give exactly two parts (it crosses the grid twice, or ends on a hole). */
export const SPLIT_NOT_TWO_PARTS = 'split_not_two_parts';
/** One part would be a sliver (below the minimum share of the grid and minimum area). */
export const SPLIT_SLIVER = 'split_sliver';
/** A part would not be a valid polygon (e.g. the cut line crosses itself). */
export const SPLIT_INVALID_PART = 'split_invalid_part';
export const MERGE_SAME_GRID = 'merge_same_grid';
/** The two grids only touch at a corner: no common boundary of positive length. */
export const MERGE_CORNER_ONLY = 'merge_corner_only';
/** The two grids do not touch. */
export const MERGE_NOT_ADJACENT = 'merge_not_adjacent';
/** The union is not one polygon (defensive; adjacent valid grids always give one). */
export const MERGE_NOT_CONTIGUOUS = 'merge_not_contiguous';
/** No grid vertex at (within the pick tolerance of) the given position. */
export const VERTEX_NOT_FOUND = 'vertex_not_found';
/** The edge is not an edge of two grids. */
export const EDGE_NOT_SHARED = 'edge_not_shared';
export const INVALID_POSITION = 'invalid_position';
/** A vertex on the community outline that belongs to one grid only: nothing to slide. */
export const BOUNDARY_VERTEX_FIXED = 'boundary_vertex_fixed';
/** Sliding along the outline would reach or pass the next division point on it. */
export const BOUNDARY_SLIDE_BLOCKED = 'boundary_slide_blocked';
/** The grids around this outline vertex are arranged in a way sliding does not handle. */
export const BOUNDARY_SLIDE_UNSUPPORTED = 'boundary_slide_unsupported';

export const EDIT_REASONS = [
	GRID_NOT_FOUND,
	SPLIT_LINE_INVALID,
	SPLIT_LINE_MISSES,
	SPLIT_LINE_NOT_ACROSS,
	SPLIT_NOT_TWO_PARTS,
	SPLIT_SLIVER,
	SPLIT_INVALID_PART,
	MERGE_SAME_GRID,
	MERGE_CORNER_ONLY,
	MERGE_NOT_ADJACENT,
	MERGE_NOT_CONTIGUOUS,
	VERTEX_NOT_FOUND,
	EDGE_NOT_SHARED,
	INVALID_POSITION,
	BOUNDARY_VERTEX_FIXED,
	BOUNDARY_SLIDE_BLOCKED,
	BOUNDARY_SLIDE_UNSUPPORTED
] as const;
export type EditReason = (typeof EDIT_REASONS)[number];

// ── Drafts and invariants (draft.ts, invariants.ts) ──

/** The community is in several parts (islands, an enclave): one draft plans one Polygon. */
export const OUTLINE_SEVERAL_PARTS = 'outline_several_parts';
export const OUTLINE_INVALID = 'outline_invalid';
export const NO_GRIDS = 'no_grids';
export const DUPLICATE_GRID_ID = 'duplicate_grid_id';
export const WRONG_COMMUNITY = 'wrong_community';
/** The geometry is not a Polygon (a one-part MultiPolygon counts as this too). */
export const NOT_POLYGON = 'not_polygon';
/** A MultiPolygon of several parts: the grid is not contiguous. */
export const NOT_CONTIGUOUS = 'not_contiguous';
/** `checkPolygon` (or PostGIS) refused it; `detail` says why (self_intersection, zero_area, …). */
export const GRID_INVALID = 'grid_invalid';
/** A coordinate has more decimals than the planner writes (terra-draw refuses them). */
export const COORDINATE_PRECISION = 'coordinate_precision';
export const GAP = TILING_GAP;
export const OVERLAP = TILING_OVERLAP;
export const OUTSIDE = TILING_OUTSIDE;

export const INVARIANT_REASONS = [
	OUTLINE_INVALID,
	NO_GRIDS,
	DUPLICATE_GRID_ID,
	WRONG_COMMUNITY,
	NOT_POLYGON,
	NOT_CONTIGUOUS,
	GRID_INVALID,
	COORDINATE_PRECISION,
	GAP,
	OVERLAP,
	OUTSIDE
] as const;
export type InvariantReason = (typeof INVARIANT_REASONS)[number];

// ── The server's check (src/lib/server/plans/check.ts, store.ts) ──

/** A coordinate is not a finite longitude/latitude pair. */
export const BAD_COORDINATE = 'bad_coordinate';
export const RING_NOT_CLOSED = 'ring_not_closed';
export const TOO_FEW_POSITIONS = 'too_few_positions';
/** More positions than MAX_GRID_POSITIONS / MAX_PLAN_POSITIONS (domain/plans.ts). */
export const TOO_MANY_POSITIONS = 'too_many_positions';
/** GEOS could not compute the tiling (a topology exception on degenerate input). */
export const TOPOLOGY_ERROR = 'topology_error';
/** A grid's street is not the community's. */
export const WRONG_STREET = 'wrong_street';

/**
 * What the server finds beyond the core's invariants: the structural pre-check, PostGIS's
 * validity and tiling (grid_invalid, gap, overlap, outside and not_polygon are the core's own).
 */
export const CHECK_REASONS = [
	BAD_COORDINATE,
	RING_NOT_CLOSED,
	TOO_FEW_POSITIONS,
	TOO_MANY_POSITIONS,
	TOPOLOGY_ERROR,
	WRONG_STREET
] as const;
export type CheckReason = (typeof CHECK_REASONS)[number];

// ── Plan-file import (src/lib/server/plans/files.ts) ──

export const UNREADABLE_FILE = 'unreadable_file';
export const NO_SHAPEFILE = 'no_shapefile';
export const SEVERAL_LAYERS = 'several_layers';
export const NOT_FEATURE_COLLECTION = 'not_feature_collection';
export const BAD_PROPERTY = 'bad_property';
export const TOO_LARGE_UNPACKED = 'too_large_unpacked';
export const TOO_MANY_FEATURES = 'too_many_features';
/** A vertex near the outline or a neighbour, but farther than the tolerance (not snapped). */
export const BEYOND_TOLERANCE = 'beyond_tolerance';

export const IMPORT_REASONS = [
	UNREADABLE_FILE,
	NO_SHAPEFILE,
	SEVERAL_LAYERS,
	NOT_FEATURE_COLLECTION,
	BAD_PROPERTY,
	TOO_LARGE_UNPACKED,
	TOO_MANY_FEATURES,
	BEYOND_TOLERANCE
] as const;
export type ImportReason = (typeof IMPORT_REASONS)[number];

/** Every refusal reason, each once. */
export const PLAN_REASONS = [
	...EDIT_REASONS,
	OUTLINE_SEVERAL_PARTS,
	...INVARIANT_REASONS,
	...CHECK_REASONS,
	...IMPORT_REASONS
] as const;
export type PlanReason = (typeof PLAN_REASONS)[number];

export function isPlanReason(s: string): s is PlanReason {
	return (PLAN_REASONS as readonly string[]).includes(s);
}

/**
 * A refusal with a place: what an edit, an invariant or a check answers when it says no. The
 * page puts a marker at `location` and outlines `gridIds`.
 */
export interface LocatedProblem<R extends PlanReason = PlanReason> {
	reason: R;
	/** The `checkPolygon` reason behind grid_invalid / outline_invalid / split_invalid_part. */
	detail: PolygonInvalidReason | null;
	/** Where to put the marker, [lon, lat]; null when there is no single spot. */
	location: Pt | null;
	/** The grids involved (both grids of an overlap; the grids around a gap). */
	gridIds: string[];
}

/**
 * Thrown where a refusal cannot be answered as a value (building a draft of a community that
 * cannot be planned): it carries the located problem, so a caller can show it like any other.
 */
export class PlanRefusalError extends Error {
	readonly problem: LocatedProblem;
	constructor(problem: LocatedProblem, message: string) {
		super(message);
		this.name = 'PlanRefusalError';
		this.problem = problem;
	}
}
