/**
 * The grid-plan HTTP API's shapes (issue 7, docs/plans-api.md), shared by the server
 * (src/lib/server/plans) and the /plan page. Grids are GridFeatures (src/lib/domain/city.ts),
 * WGS84, coordinates with at most 9 decimals.
 */
import type { Polygon } from 'geojson';
import type { GridCollection } from './city';

export interface PlanCommunity {
	id: string;
	name: string;
	streetId: string;
	streetName: string;
	outline: Polygon;
}

export interface PublishedPlan {
	/** 0 = the generated city, until the community's first publish. */
	version: number;
	/** ISO 8601; null for version 0. */
	publishedAt: string | null;
	publishedBy: string | null;
	/** YYYY-MM-DD; null for version 0. */
	effectiveDate: string | null;
	grids: GridCollection;
}

export interface PlanDraft {
	/** Optimistic version: send it back with the next save, publish or discard. */
	version: number;
	/** The published plan version the draft started from. */
	basePlanVersion: number;
	grids: GridCollection;
	updatedBy: string;
	/** ISO 8601. */
	updatedAt: string;
	note: string;
	/** Set while the draft is scheduled to be published on a later day (then it is frozen). */
	scheduled: PlanSchedule | null;
}

/**
 * How an import moved vertices within the tolerance (issue 12): onto the community outline or a
 * neighbouring grid's vertex or edge. Distances in metres (mm precision).
 */
export interface PlanImportSnaps {
	/** Vertices within this distance snapped; farther ones were left and refused. */
	toleranceM: number;
	/** Vertices moved, in all grids. */
	vertices: number;
	/** The largest move (0 when none). */
	maxDistanceM: number;
	/** Each grid that had a vertex moved (its id in the draft), in file order. */
	grids: { id: string; vertices: number; maxDistanceM: number }[];
}

/** POST /api/plans/{cid}/import. */
export interface PlanImportResult {
	draft: PlanDraft;
	snaps: PlanImportSnaps;
}

/** A draft's scheduled publish (POST …/publish with an effective date after today, CST). */
export interface PlanSchedule {
	/** YYYY-MM-DD (CST): the server publishes the draft on this day. */
	effectiveDate: string;
	/** Who scheduled it (the publish is theirs). */
	by: string;
	/** ISO 8601: when it was scheduled. */
	at: string;
	note: string;
}

/** POST /api/plans/{cid}/publish with a future effective date → 202. */
export interface ScheduleResult {
	scheduled: { effectiveDate: string; by: string; at: string; draftVersion: number };
}

/** GET /api/plans/{cid}. */
export interface PlanState {
	community: PlanCommunity;
	published: PublishedPlan;
	draft: PlanDraft | null;
}

/** One published version (history, publish answer). */
export interface PlanVersionInfo {
	version: number;
	publishedAt: string | null;
	publishedBy: string | null;
	effectiveDate: string | null;
	note: string;
	added: string[];
	removed: string[];
	reshaped: string[];
}

/** POST /api/plans/{cid}/publish. */
export interface PublishResult {
	plan: PlanVersionInfo;
	/** Incidents whose grid changed: open ones got a case-audit entry, closed ones just moved. */
	reassigned: { open: number; closed: number };
}

/**
 * One broken invariant or unreadable feature (422 `errors`). The server answers with
 * `PlanProblem<PlanReason>` (src/lib/plan/reasons.ts, the one list of refusal reasons); a
 * client reads `string`, since a newer server may know more reasons than it does.
 */
export interface PlanProblem<Reason extends string = string> {
	/** Grid id (save, publish), or the feature's index or id in an imported file; null: none. */
	feature: string | number | null;
	/** Machine-readable: a refusal reason of src/lib/plan/reasons.ts. */
	reason: Reason;
	/** Where to put the marker, [lon, lat] WGS84; null when there is no single spot. */
	location: [number, number] | null;
	message: string;
	/** Every grid involved (both grids of an overlap, the grids around a gap). */
	gridIds?: string[];
}

/** The 409 of a stale draft version (PUT/DELETE draft, import, publish). */
export interface DraftConflict {
	message: string;
	field: 'version';
	current: PlanDraft | null;
	changedBy: string | null;
	changedAt: string | null;
	changedGridIds: string[];
}

/** GET /api/plans/{cid}/diff. */
export interface PlanDiff {
	added: string[];
	removed: string[];
	reshaped: string[];
	unchanged: string[];
}

/** GET /api/plans/{cid}/incidents: parallel columns. */
export interface PlanIncidents {
	/** Epoch ms, the window [from, to]. */
	from: number;
	to: number;
	lon: number[];
	lat: number[];
	ts: number[];
}

export const PLAN_CRS = ['wgs84', 'gcj02', 'bd09'] as const;
export type PlanCrs = (typeof PLAN_CRS)[number];
export const PLAN_FORMATS = ['geojson', 'shapefile'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

/** Largest bodies: a draft save (JSON) and an imported file. */
export const PLAN_SAVE_MAX_BYTES = 5 * 1024 * 1024;
export const PLAN_IMPORT_MAX_BYTES = 10 * 1024 * 1024;

/**
 * Most positions (all rings) of one grid, and of one community's whole plan. The invariant check
 * (src/lib/plan validateDraft) grows with the square of them and runs on the server's one
 * thread: at the caps it takes ≈ 0.5 s; a 20,000-position grid would block the server for 30 s.
 * The demo city's grids have at most 32 positions, its communities at most 51.
 */
export const MAX_GRID_POSITIONS = 2000;
export const MAX_PLAN_POSITIONS = 5000;
/** Most grids in one community's plan (a draft, an imported file). */
export const MAX_PLAN_GRIDS = 2000;
/**
 * Most bytes a zipped Shapefile may unpack to (all its files together). A grid plan within the
 * limits above is well under 2 MiB; a 200 KB "zip bomb" would otherwise unpack to gigabytes.
 */
export const MAX_UNZIPPED_BYTES = 16 * 1024 * 1024;
/** A 422 lists at most this many problems (and says how many there were). */
export const MAX_LISTED_PROBLEMS = 200;

/**
 * Shapefile attribute names (dBase: at most 10 characters) for the GridProps keys, used by
 * export and, with the GridProps names themselves, accepted on import.
 */
export const SHAPEFILE_FIELDS = {
	id: 'id',
	name: 'name',
	communityId: 'community',
	streetId: 'street',
	population: 'population',
	households: 'households',
	areaKm2: 'area_km2',
	workerName: 'worker',
	workerPhone: 'phone'
} as const;
