/**
 * Grid plans in the database (issue 7): a community's published grids (the `grid` table, the
 * live truth), its published versions (`plan_version`) and its one shared working draft
 * (`plan_draft`, every save kept in `plan_draft_revision`). Saves are optimistic: the client
 * sends the draft version it started from; a stale one is a 409 naming who changed what.
 * Every write of a community's plan first locks the community's row, so two planners' requests
 * on one community take turns on PostgreSQL as they do on PGlite.
 */
import { z } from 'zod';
import type { GridCollection, GridFeature } from '$lib/domain/city';
import type {
	PlanCommunity,
	PlanDraft,
	PlanSchedule,
	PlanState,
	PublishedPlan
} from '$lib/domain/plans';
import { MAX_LISTED_PROBLEMS, MAX_PLAN_GRIDS } from '$lib/domain/plans';
import { WRONG_STREET } from '$lib/plan';
import { recordAudit, toActor, type AuditActor } from '../audit/audit';
import type { Db, Queryable } from '../db/types';
import { ApiError } from '../http/errors';
import { clip, MAX_INT32 } from '../http/params';
import { zodError } from '../incidents/lifecycle';
import { checkGrids, type FeatureKey, type PlanProblem } from './check';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function loadCommunity(q: Queryable, cid: string): Promise<PlanCommunity> {
	// Community ids are codes: control characters (NUL cannot even reach the database) or
	// hundreds of characters name none.
	if (cid.length > 200 || [...cid].some((ch) => ch < ' ' || ch === '\u007f'))
		throw new ApiError(404, `There is no community "${clip(cid)}".`, 'cid');
	const [row] = await q.query<{
		id: string;
		name: string;
		street_id: string;
		street_name: string;
		outline: string;
		parts: number;
	}>(
		`SELECT c.id, c.name, c.street_id, s.name AS street_name, ST_AsGeoJSON(ST_GeometryN(c.geom, 1), 9) AS outline, ST_NumGeometries(c.geom) AS parts
		 FROM community c JOIN street s ON s.id = c.street_id WHERE c.id = $1`,
		[cid]
	);
	if (!row) throw new ApiError(404, `There is no community "${clip(cid)}".`, 'cid');
	if (row.parts > 1)
		throw new ApiError(
			422,
			`Community ${row.id} (${row.name}) is ${row.parts} separate pieces; the planner edits one-piece communities only. 该社区由 ${row.parts} 块组成，规划编辑器只支持单块社区。`,
			'cid'
		);
	return {
		id: row.id,
		name: row.name,
		streetId: row.street_id,
		streetName: row.street_name,
		outline: JSON.parse(row.outline)
	};
}

/** Serializes plan writes of one community (and 404s an unknown one). */
export async function lockCommunity(tx: Queryable, cid: string): Promise<void> {
	const rows = await tx.query('SELECT 1 FROM community WHERE id = $1 FOR UPDATE', [cid]);
	if (rows.length === 0) throw new ApiError(404, `There is no community "${cid}".`, 'cid');
}

/** SELECT list producing GridFeature JSON from `grid g` (as /data/grids.geojson has them). */
export const GRID_FEATURE_SQL = `json_build_object('type', 'Feature',
	'properties', json_build_object('id', g.id, 'name', g.name, 'communityId', g.community_id,
	  'streetId', g.street_id, 'population', g.population, 'households', g.households,
	  'areaKm2', g.area_km2, 'workerName', g.worker_name, 'workerPhone', g.worker_phone),
	'geometry', ST_AsGeoJSON(g.geom, 9)::json)`;

/** The community's grids as the map has them now (the published plan), in `ord` order. */
export async function publishedGrids(q: Queryable, cid: string): Promise<GridCollection> {
	const rows = await q.query<{ f: GridFeature }>(
		`SELECT ${GRID_FEATURE_SQL} AS f FROM grid g WHERE g.community_id = $1 ORDER BY g.ord`,
		[cid]
	);
	return { type: 'FeatureCollection', features: rows.map((r) => r.f) };
}

interface VersionRow {
	version: number;
	published_at: Date | null;
	published_by: string | null;
	effective_date: string | null;
}

/** The current published version's facts (0 with nulls before the first publish). */
export async function currentVersion(q: Queryable, cid: string): Promise<VersionRow> {
	const [row] = await q.query<VersionRow>(
		`SELECT version, published_at, published_by, effective_date::text AS effective_date
		 FROM plan_version WHERE community_id = $1 ORDER BY version DESC LIMIT 1`,
		[cid]
	);
	return row ?? { version: 0, published_at: null, published_by: null, effective_date: null };
}

export async function loadPublished(q: Queryable, cid: string): Promise<PublishedPlan> {
	const v = await currentVersion(q, cid);
	return {
		version: v.version,
		publishedAt: iso(v.published_at),
		publishedBy: v.published_by,
		effectiveDate: v.effective_date,
		grids: await publishedGrids(q, cid)
	};
}

interface DraftRow {
	version: number;
	base_plan_version: number;
	grids: GridCollection;
	updated_by: string;
	updated_at: Date;
	note: string;
	scheduled_for: string | null;
	scheduled_note: string | null;
	scheduled_by: string | null;
	scheduled_at: Date | null;
}

/** plan_draft's columns as DraftRow reads them. */
const DRAFT_COLUMNS = `version, base_plan_version, grids, updated_by, updated_at, note,
	scheduled_for::text AS scheduled_for, scheduled_note, scheduled_by, scheduled_at`;

const toDraft = (r: DraftRow): PlanDraft => ({
	version: r.version,
	basePlanVersion: r.base_plan_version,
	grids: r.grids,
	updatedBy: r.updated_by,
	updatedAt: r.updated_at.toISOString(),
	note: r.note,
	scheduled:
		r.scheduled_for && r.scheduled_at
			? {
					effectiveDate: r.scheduled_for,
					by: r.scheduled_by ?? 'unknown',
					at: r.scheduled_at.toISOString(),
					note: r.scheduled_note ?? ''
				}
			: null
});

export async function loadDraft(q: Queryable, cid: string): Promise<PlanDraft | null> {
	const [row] = await q.query<DraftRow>(
		`SELECT ${DRAFT_COLUMNS} FROM plan_draft WHERE community_id = $1`,
		[cid]
	);
	return row ? toDraft(row) : null;
}

/** The 409 of a change to a scheduled (frozen) draft. */
export function scheduledDraft(cid: string, version: number, s: PlanSchedule): ApiError {
	return new ApiError(
		409,
		`The draft of community ${cid} is scheduled to be published on ${s.effectiveDate} (by ${s.by}), so it cannot be changed. Cancel the schedule first (DELETE /api/plans/${cid}/schedule?version=${version}), then edit, discard or publish it.`,
		'version',
		[],
		{ scheduled: s }
	);
}

/** GET /api/plans/{cid}. */
export async function getPlan(q: Queryable, cid: string): Promise<PlanState> {
	const community = await loadCommunity(q, cid);
	return { community, published: await loadPublished(q, cid), draft: await loadDraft(q, cid) };
}

// ---------------------------------------------------------------------------------------------
// Conflicts

/** A stable text of a value with sorted keys (property order does not make a change). */
function canonical(v: unknown): string {
	if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
	if (v && typeof v === 'object')
		return (
			'{' +
			Object.keys(v)
				.sort()
				.map((k) => JSON.stringify(k) + ':' + canonical((v as Record<string, unknown>)[k]))
				.join(',') +
			'}'
		);
	return JSON.stringify(v);
}

/** Ids of grids added, removed, or changed in geometry or properties between a and b. */
export function changedGridIds(a: readonly GridFeature[], b: readonly GridFeature[]): string[] {
	const left = new Map(a.map((g) => [g.properties.id, canonical([g.properties, g.geometry])]));
	const right = new Map(b.map((g) => [g.properties.id, canonical([g.properties, g.geometry])]));
	const out: string[] = [];
	for (const [id, v] of right) if (left.get(id) !== v) out.push(id);
	for (const id of left.keys()) if (!right.has(id)) out.push(id);
	return out;
}

/** The 409 of a stale draft version: the current draft and what changed since `seen`. */
export async function staleDraft(
	q: Queryable,
	cid: string,
	current: PlanDraft | null,
	seen: number | null
): Promise<ApiError> {
	let base: readonly GridFeature[];
	if (seen === null) base = (await publishedGrids(q, cid)).features;
	else {
		const [rev] = await q.query<{ grids: GridCollection }>(
			'SELECT grids FROM plan_draft_revision WHERE community_id = $1 AND version = $2',
			[cid, seen]
		);
		base = rev ? rev.grids.features : (await publishedGrids(q, cid)).features;
	}
	const now = current ? current.grids.features : (await publishedGrids(q, cid)).features;
	let message: string;
	if (!current)
		message = `The draft of community ${cid} (version ${seen}) no longer exists: it was published or discarded. Reload the plan.`;
	else if (seen === null)
		message = `Community ${cid} already has a draft (version ${current.version}, saved by ${current.updatedBy} at ${current.updatedAt}). Reload it, or review the other planner's change.`;
	else
		message = `The draft of community ${cid} changed since your version ${seen}: ${current.updatedBy} saved version ${current.version} at ${current.updatedAt}. Reload it, or review the other planner's change.`;
	return new ApiError(409, message, 'version', [], {
		current,
		changedBy: current?.updatedBy ?? null,
		changedAt: current?.updatedAt ?? null,
		changedGridIds: changedGridIds(base, now)
	});
}

/**
 * Checks the version a client started from against the current draft (inside the lock). A
 * scheduled draft is frozen: 409 unless `scheduled` is 'allow' (the scheduler's own publish,
 * cancelling the schedule).
 */
export async function expectDraftVersion(
	tx: Queryable,
	cid: string,
	seen: number | null,
	scheduled: 'refuse' | 'allow' = 'refuse'
): Promise<PlanDraft | null> {
	const current = await loadDraft(tx, cid);
	const fine = seen === null ? current === null : current !== null && current.version === seen;
	if (!fine) throw await staleDraft(tx, cid, current, seen);
	if (current?.scheduled && scheduled === 'refuse')
		throw scheduledDraft(cid, current.version, current.scheduled);
	return current;
}

// ---------------------------------------------------------------------------------------------
// Saving

const text = (max: number) => z.string({ error: 'must be text' }).max(max);
const count = z
	.number({ error: 'must be a number' })
	.int({ error: 'must be a whole number' })
	.min(0, { error: 'must not be negative' })
	.max(10_000_000);

export const gridPropsSchema = z.object({
	id: z
		.string({ error: 'must be the grid id (text)' })
		.trim()
		.min(1, { error: 'is required' })
		.max(64)
		.regex(/^[\w.-]+$/, { error: 'may contain letters, digits, "_", "-" and "." only' }),
	name: text(100),
	communityId: z.string({ error: 'must be the community id' }),
	streetId: z.string({ error: 'must be the street id' }),
	population: count,
	households: count,
	areaKm2: z.number({ error: 'must be a number' }).min(0),
	workerName: text(50),
	workerPhone: text(30)
});

const gridFeatureSchema = z.object({
	type: z.literal('Feature', { error: 'must be "Feature"' }),
	properties: gridPropsSchema,
	// Checked by checkGrids (every problem listed, with a location), not here.
	geometry: z.unknown()
});

export const gridCollectionSchema = z.object({
	type: z.literal('FeatureCollection', { error: 'must be "FeatureCollection"' }),
	features: z
		.array(gridFeatureSchema)
		.max(MAX_PLAN_GRIDS, { error: `at most ${MAX_PLAN_GRIDS} grids` })
});

const draftVersionSchema = z
	.number({ error: 'must be the draft version you started from (an integer), or null' })
	.int({ error: 'must be an integer' })
	.min(1, { error: 'must be at least 1' })
	.max(MAX_INT32, { error: 'is larger than any draft version' })
	.nullable();

const saveSchema = z.strictObject({
	version: draftVersionSchema,
	grids: gridCollectionSchema,
	note: text(2000).optional()
});

export interface SaveInput {
	version: number | null;
	grids: GridCollection;
	note?: string;
}

/** Validates a PUT draft body's shape; throws 422 `{ message, field }`. */
export function validateSave(body: unknown): SaveInput {
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		throw new ApiError(
			422,
			'The body must be an object such as {"version":3,"grids":{"type":"FeatureCollection",…}}.'
		);
	if (!('version' in body))
		throw new ApiError(
			422,
			'version: is required (the draft version you started from, or null for a new draft)',
			'version'
		);
	const parsed = saveSchema.safeParse(body);
	if (!parsed.success) throw zodError(parsed.error, body);
	return parsed.data as SaveInput;
}

/** 422 listing every problem of a draft. */
export function invalidDraft(problems: PlanProblem[], what = 'The draft'): ApiError {
	const first = problems[0];
	const listed = problems.length > MAX_LISTED_PROBLEMS;
	const see = listed
		? ` (errors lists the first ${MAX_LISTED_PROBLEMS})`
		: problems.length > 1
			? ' (see errors for all)'
			: '';
	return new ApiError(
		422,
		`${what} breaks ${problems.length === 1 ? 'an invariant' : `${problems.length} invariants`}: ${first.message}${see}`,
		'grids',
		[],
		{ errors: problems.slice(0, MAX_LISTED_PROBLEMS) }
	);
}

/**
 * The grids checked and normalized for community `cid`: ids present, communityId/streetId
 * the community's, then checkGrids (structure, core, PostGIS). Throws 422 with every problem.
 */
export async function checkedGrids(
	q: Queryable,
	community: PlanCommunity,
	grids: readonly GridFeature[],
	key?: FeatureKey,
	what?: string
): Promise<GridCollection> {
	const { draft, problems } = await checkGrids(
		q,
		{ id: community.id, outline: community.outline },
		grids,
		key
	);
	const streets = grids.filter((g) => g.properties.streetId !== community.streetId);
	for (const g of streets)
		problems.push({
			feature: key ? key(grids.indexOf(g), g) : g.properties.id,
			reason: WRONG_STREET,
			location: null,
			message: `Grid ${g.properties.id}: streetId must be ${community.streetId} (the community's street), not "${g.properties.streetId}".`,
			gridIds: [g.properties.id]
		});
	if (problems.length) throw invalidDraft(problems, what);
	return { type: 'FeatureCollection', features: draft.grids.slice() };
}

/**
 * Stores checked grids as the community's draft, if `seen` is still the current version
 * (null: there must be no draft yet). The caller checked the grids outside the transaction.
 */
export async function storeDraft(
	tx: Queryable,
	cid: string,
	seen: number | null,
	grids: GridCollection,
	note: string | undefined,
	actor: AuditActor | string,
	action: 'plan.save_draft' | 'plan.import' = 'plan.save_draft'
): Promise<PlanDraft> {
	const who = toActor(actor);
	await lockCommunity(tx, cid);
	const current = await expectDraftVersion(tx, cid, seen);
	const [{ next }] = await tx.query<{ next: number }>(
		`SELECT coalesce(max(version), 0) + 1 AS next FROM plan_draft_revision WHERE community_id = $1`,
		[cid]
	);
	const base = current ? current.basePlanVersion : (await currentVersion(tx, cid)).version;
	const json = JSON.stringify(grids);
	await tx.query(
		`INSERT INTO plan_draft_revision (community_id, version, grids, updated_by)
		 VALUES ($1, $2, $3::jsonb, $4)`,
		[cid, next, json, who.displayName]
	);
	const [row] = await tx.query<DraftRow>(
		`INSERT INTO plan_draft (community_id, version, base_plan_version, grids, note, updated_by, updated_at)
		 VALUES ($1, $2, $3, $4::jsonb, $5, $6, now())
		 ON CONFLICT (community_id) DO UPDATE SET version = excluded.version, grids = excluded.grids,
		   note = excluded.note, updated_by = excluded.updated_by, updated_at = excluded.updated_at
		 RETURNING ${DRAFT_COLUMNS}`,
		[cid, next, base, json, note ?? current?.note ?? '', who.displayName]
	);
	// The audit entry names the draft revisions (plan_draft_revision keeps every state in full).
	await recordAudit(tx, {
		actor: who,
		action,
		targetType: 'plan',
		targetId: cid,
		before: current ? draftSummary(current.version, current.grids) : null,
		after: draftSummary(next, grids)
	});
	return toDraft(row);
}

/** PUT /api/plans/{cid}/draft: check (core + PostGIS), then store if the version still holds. */
export async function saveDraft(
	db: Db,
	cid: string,
	input: SaveInput,
	actor: AuditActor | string
): Promise<PlanDraft> {
	const community = await loadCommunity(db, cid);
	// A stale version is answered before the (costlier) geometry check.
	await expectDraftVersion(db, cid, input.version);
	const grids = await checkedGrids(db, community, input.grids.features);
	return db.transaction((tx) =>
		storeDraft(tx, cid, input.version, grids, input.note?.trim(), actor)
	);
}

/** DELETE /api/plans/{cid}/draft?version=N. */
export async function discardDraft(
	db: Db,
	cid: string,
	seen: number,
	actor: AuditActor | string
): Promise<void> {
	await db.transaction(async (tx) => {
		await loadCommunity(tx, cid); // 404 for no such community, not a 409
		await lockCommunity(tx, cid);
		const current = await expectDraftVersion(tx, cid, seen);
		await tx.query('DELETE FROM plan_draft WHERE community_id = $1', [cid]);
		await recordAudit(tx, {
			actor: toActor(actor),
			action: 'plan.discard_draft',
			targetType: 'plan',
			targetId: cid,
			before: current ? draftSummary(current.version, current.grids) : null,
			after: null
		});
	});
}

/** What an audit entry keeps of a draft: its version and grid ids (the revision has the rest). */
export function draftSummary(version: number, grids: GridCollection) {
	return { draftVersion: version, grids: grids.features.map((f) => f.properties.id) };
}
