/**
 * Publishing a community's draft (issue 7), in one transaction:
 * 1. the draft version must be current and the published plan unchanged since the draft began
 *    (else 409); the grids are checked again (core + PostGIS, else 422);
 * 2. the community's rows of `grid` are replaced: kept ids keep their row (and `ord`), new grids
 *    get fresh ids (community id + 2 digits, never used before in the community) and `ord` after
 *    the city's largest, removed grids are deleted once nothing refers to them;
 * 3. every incident of the community is placed again with the intake's rule (the grid that
 *    contains it; on a shared border the first in `ord` order), open ones that moved get a
 *    `reassign_grid` audit entry; hazmat sites in the community's grids are placed again;
 * 4. the version is recorded (plan_version, with added/removed/reshaped), the draft removed and
 *    the city version bumped, so /data/grids.geojson and the incident snapshot change ETag.
 * The caller publishes the moved open cases and a `plan` event on the live bus after the commit.
 */
import { z } from 'zod';
import type { GridFeature } from '$lib/domain/city';
import type { CaseRecord, PlanPublishedEvent } from '$lib/domain/live';
import type { PlanDraft, PlanVersionInfo, PublishResult } from '$lib/domain/plans';
import { recordAudit, toActor, type AuditActor } from '../audit/audit';
import { bumpCityVersion } from '../city/load';
import type { Db, Queryable } from '../db/types';
import { ApiError } from '../http/errors';
import { MAX_INT32 } from '../http/params';
import { zodError } from '../incidents/lifecycle';
import { CASE_COLUMNS } from '../incidents/records';
import type { LiveBus } from '../live/bus';
import {
	checkedGrids,
	currentVersion,
	expectDraftVersion,
	loadCommunity,
	lockCommunity,
	publishedGrids
} from './store';

export interface PublishInput {
	version: number;
	effectiveDate: string;
	note: string;
}

const publishSchema = z.strictObject({
	version: z
		.number({ error: 'must be the draft version you are publishing (an integer)' })
		.int({ error: 'must be an integer' })
		.min(1, { error: 'must be at least 1' })
		.max(MAX_INT32, { error: 'is larger than any draft version' }),
	effectiveDate: z
		.string({ error: 'must be a date, YYYY-MM-DD' })
		.regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date, YYYY-MM-DD' })
		// 2026-13-45 is no Date at all (toISOString would throw): compare the time value first.
		.refine(
			(s) => {
				const d = new Date(s + 'T00:00:00Z');
				return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
			},
			{
				error: 'is not a calendar date'
			}
		),
	note: z.string({ error: 'must be text' }).max(2000).optional()
});

export function validatePublish(body: unknown): PublishInput {
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		throw new ApiError(
			422,
			'The body must be an object such as {"version":3,"effectiveDate":"2026-12-01"}.'
		);
	const parsed = publishSchema.safeParse(body);
	if (!parsed.success) throw zodError(parsed.error, body);
	return { ...parsed.data, note: (parsed.data.note ?? '').trim() };
}

export interface PublishOutcome extends PublishResult {
	/** Draft grid id → published id, for grids that got a fresh id. */
	renamed: Record<string, string>;
	/** Open cases moved to another grid (with their new rev/version): publish them. */
	moved: CaseRecord[];
}

/**
 * Every grid id the community has used: published now or in any published version, and (with
 * `draft`) in its draft.
 */
export async function usedGridIds(tx: Queryable, cid: string, draft = true): Promise<Set<string>> {
	const [row] = await tx.query<{ used: string[] | null }>(
		`SELECT array_agg(DISTINCT id) AS used FROM (
		   SELECT id FROM grid WHERE id LIKE $1 || '%' OR community_id = $1
		   UNION ALL
		   SELECT f -> 'properties' ->> 'id' FROM plan_version v,
		     jsonb_array_elements(v.grids -> 'features') f WHERE v.community_id = $1
		   UNION ALL
		   SELECT f -> 'properties' ->> 'id' FROM plan_draft d,
		     jsonb_array_elements(d.grids -> 'features') f WHERE d.community_id = $1 AND $2
		 ) u`,
		[cid, draft]
	);
	return new Set(row.used ?? []);
}

/** Is `id` a grid id in the city's format for community `cid` (community id + 2+ digits)? */
export const isCanonicalId = (cid: string, id: string) =>
	id.startsWith(cid) && /^\d{2,}$/.test(id.slice(cid.length));

/**
 * `n` fresh ids for new grids: the community id and the next two-digit numbers after every one
 * used before (see usedGridIds), so an id never names two different grids over time. Grid ids
 * start with their community's id, so they are unique city-wide too.
 */
export function allocateIds(cid: string, used: ReadonlySet<string>, n: number): string[] {
	let max = 0;
	for (const id of used)
		if (isCanonicalId(cid, id)) max = Math.max(max, Number(id.slice(cid.length)));
	const out: string[] = [];
	for (let k = max + 1; out.length < n; k++) {
		const id = cid + String(k).padStart(2, '0');
		if (!used.has(id)) out.push(id);
	}
	return out;
}

/** An incident placed in another grid: what applyPlan and a city update report. */
export interface Moved {
	id: number;
	old: string;
	new: string;
	status: string;
	version: number;
}

/** Places every incident of the community in the community's grids `ids` (intake's rule). */
async function replaceIncidents(tx: Queryable, cid: string, ids: string[]): Promise<Moved[]> {
	return tx.query<Moved>(
		`WITH p AS (
		   SELECT i.id, i.grid_id AS old, ng.id AS new
		   FROM incident i
		   CROSS JOIN LATERAL (
		     SELECT g.id FROM grid g WHERE g.id = ANY($2::text[])
		     ORDER BY ST_Contains(g.geom, i.geom) DESC, ST_Intersects(g.geom, i.geom) DESC,
		       ST_Distance(g.geom, i.geom), g.ord
		     LIMIT 1
		   ) ng
		   WHERE i.community_id = $1
		 )
		 UPDATE incident AS i SET grid_id = p.new FROM p
		 WHERE i.id = p.id AND p.new <> p.old
		 RETURNING i.id, p.old, p.new, i.status, i.version`,
		[cid, ids]
	);
}

export function versionInfo(r: {
	version: number;
	published_at: Date | null;
	published_by: string | null;
	effective_date: string | null;
	note: string;
	added: string[];
	removed: string[];
	reshaped: string[];
}): PlanVersionInfo {
	return {
		version: r.version,
		publishedAt: r.published_at ? r.published_at.toISOString() : null,
		publishedBy: r.published_by,
		effectiveDate: r.effective_date,
		note: r.note,
		added: r.added,
		removed: r.removed,
		reshaped: r.reshaped
	};
}

export const VERSION_COLUMNS = `version, published_at, published_by,
	effective_date::text AS effective_date, note, added, removed, reshaped`;

/**
 * 409 unless the published plan is still the one the draft began from (else the draft would
 * silently undo the other publish); answers the current version's facts.
 */
export async function expectCurrentBase(tx: Queryable, cid: string, draft: PlanDraft) {
	const current = await currentVersion(tx, cid);
	if (draft.basePlanVersion !== current.version)
		throw new ApiError(
			409,
			`The published plan of community ${cid} changed since this draft began (from version ${draft.basePlanVersion} to ${current.version}, by ${current.published_by ?? 'unknown'}). Discard the draft and start again from the published plan.`,
			'version',
			[],
			{
				current: draft,
				changedBy: current.published_by,
				changedAt: current.published_at?.toISOString() ?? null,
				changedGridIds: []
			}
		);
	return current;
}

/**
 * POST /api/plans/{cid}/publish (an effective date today or earlier), and the plan scheduler's
 * publish of a scheduled draft (`fromSchedule`; any other publish of a scheduled draft is 409).
 */
export async function publishPlan(
	db: Db,
	cid: string,
	input: PublishInput,
	by: AuditActor | string,
	at: number = Date.now(),
	fromSchedule = false
): Promise<PublishOutcome> {
	const who = toActor(by);
	const scheduled = fromSchedule ? 'allow' : 'refuse';
	const community = await loadCommunity(db, cid);
	// Stale versions first (cheap), then the geometry check outside the transaction; the
	// transaction checks the version again, so what was checked is what is published.
	const seen = await expectDraftVersion(db, cid, input.version, scheduled);
	const grids = await checkedGrids(db, community, seen!.grids.features, undefined, 'The draft');

	return db.transaction(async (tx) => {
		await lockCommunity(tx, cid);
		const draft = (await expectDraftVersion(tx, cid, input.version, scheduled))!;
		const current = await expectCurrentBase(tx, cid, draft);
		return applyPlan(tx, cid, grids.features, {
			who,
			at,
			current,
			effectiveDate: input.effectiveDate,
			note: input.note || draft.note,
			draftVersion: draft.version
		});
	});
}

export interface ApplyPlanOptions {
	who: AuditActor;
	/** Epoch ms of the publish. */
	at: number;
	/** The community's current published version (currentVersion). */
	current: { version: number; published_by?: string | null };
	effectiveDate: string;
	note: string;
	/** The draft being published; none for a city-pack import (issue 12), whose draft stays. */
	draftVersion?: number;
	/** Keep every grid id as given (a city pack's own codes) instead of allocating fresh ones. */
	keepIds?: boolean;
	/** Extra facts for the audit entry (e.g. the city pack import). */
	audit?: Record<string, unknown>;
}

/**
 * Makes `features` the community's published grids, inside the caller's transaction (the
 * community row locked): the rows of `grid` replaced, incidents and hazmat sites re-placed,
 * moved open cases audited, the version recorded, the city version bumped. Shared by the
 * planner's publish and the city-pack import (server/citypack/import.ts).
 */
export async function applyPlan(
	tx: Queryable,
	cid: string,
	features: GridFeature[],
	o: ApplyPlanOptions
): Promise<PublishOutcome> {
	const { who, at, current } = o;
	const actor = who.displayName;
	const grids = { features };
	const before = await publishedGrids(tx, cid);
	if (current.version === 0) {
		// The generated city's grids become version 0 of the record.
		await tx.query(
			`INSERT INTO plan_version (community_id, version, grids) VALUES ($1, 0, $2::jsonb)
				 ON CONFLICT DO NOTHING`,
			[cid, JSON.stringify(before)]
		);
	}
	const oldIds = new Set(before.features.map((f) => f.properties.id));
	// New grids keep an id already in the city's format and never used (an import's), the
	// others (a split's "…a", "…b") get fresh ones.
	const used = await usedGridIds(tx, cid, false);
	const keep = (id: string) => o.keepIds || (isCanonicalId(cid, id) && !used.has(id));
	const news = grids.features.filter((f) => !oldIds.has(f.properties.id));
	const taken = new Set([...used, ...grids.features.map((f) => f.properties.id)]);
	const fresh = allocateIds(cid, taken, news.filter((f) => !keep(f.properties.id)).length);
	const renamed: Record<string, string> = {};
	for (const f of news) if (!keep(f.properties.id)) renamed[f.properties.id] = fresh.shift()!;
	const finals: GridFeature[] = grids.features.map((f) => {
		const id = renamed[f.properties.id] ?? f.properties.id;
		return { ...f, properties: { ...f.properties, id, communityId: cid } };
	});
	const finalIds = finals.map((f) => f.properties.id);
	const removed = [...oldIds].filter((id) => !finalIds.includes(id));

	// Reshaped: kept grids whose geometry is not ST_Equals the published one.
	const [{ reshaped }] = await tx.query<{ reshaped: string[] | null }>(
		`SELECT array_agg(g.id ORDER BY g.ord) AS reshaped
			 FROM unnest($1::text[], $2::text[]) AS t(id, gj)
			 JOIN grid g ON g.id = t.id
			 WHERE NOT ST_Equals(g.geom, ST_SetSRID(ST_GeomFromGeoJSON(t.gj), 4326))`,
		[finalIds, finals.map((f) => JSON.stringify(f.geometry))]
	);

	// New rows after the city's last ord, kept rows updated in place.
	const props = (key: keyof GridFeature['properties']) => finals.map((f) => f.properties[key]);
	await tx.query(
		`WITH t AS (
			   SELECT * FROM unnest($2::text[], $3::text[], $4::int[], $5::int[], $6::text[],
			     $7::text[], $8::text[]) WITH ORDINALITY
			     AS t(id, name, population, households, worker_name, worker_phone, gj, n)
			 ),
			 base AS (SELECT coalesce(max(ord), 0) AS m FROM grid),
			 ins AS (
			   SELECT t.*, row_number() OVER (ORDER BY t.n) AS k
			   FROM t WHERE NOT EXISTS (SELECT 1 FROM grid g WHERE g.id = t.id)
			 )
			 INSERT INTO grid (id, ord, name, community_id, street_id, population, households,
			   area_km2, worker_name, worker_phone, geom)
			 SELECT ins.id, base.m + ins.k, ins.name, $1, c.street_id, ins.population, ins.households,
			   round((ST_Area(ST_SetSRID(ST_GeomFromGeoJSON(ins.gj), 4326)::geography) / 1e6)::numeric, 3),
			   ins.worker_name, ins.worker_phone, ST_SetSRID(ST_GeomFromGeoJSON(ins.gj), 4326)
			 FROM ins, base, community c WHERE c.id = $1`,
		[
			cid,
			finalIds,
			props('name'),
			props('population'),
			props('households'),
			props('workerName'),
			props('workerPhone'),
			finals.map((f) => JSON.stringify(f.geometry))
		]
	);
	await tx.query(
		`UPDATE grid AS g SET name = t.name, population = t.population, households = t.households,
			   worker_name = t.worker_name, worker_phone = t.worker_phone, geom = t.geom,
			   area_km2 = round((ST_Area(t.geom::geography) / 1e6)::numeric, 3)
			 FROM (
			   SELECT id, name, population, households, worker_name, worker_phone,
			     ST_SetSRID(ST_GeomFromGeoJSON(gj), 4326) AS geom
			   FROM unnest($2::text[], $3::text[], $4::int[], $5::int[], $6::text[], $7::text[],
			     $8::text[]) AS t(id, name, population, households, worker_name, worker_phone, gj)
			 ) t
			 WHERE g.id = t.id AND g.community_id = $1`,
		[
			cid,
			finalIds,
			props('name'),
			props('population'),
			props('households'),
			props('workerName'),
			props('workerPhone'),
			finals.map((f) => JSON.stringify(f.geometry))
		]
	);

	const version = current.version + 1;
	const moved = await replaceIncidents(tx, cid, finalIds);
	const open = moved.filter((m) => m.status !== 'closed');
	if (open.length) {
		await tx.query(
			`INSERT INTO incident_event (incident_id, at, actor, action, from_status, to_status,
				   comment, version)
				 SELECT id, to_timestamp($2 / 1000.0), $3, 'reassign_grid', status, status,
				   format('网格方案 v%s（%s 生效）：%s → %s', $4::int, $5::text, old, new), version
				 FROM unnest($1::int8[], $6::text[], $7::text[], $8::text[], $9::int[])
				   AS t(id, status, old, new, version)`,
			[
				open.map((m) => m.id),
				at,
				actor,
				version,
				o.effectiveDate,
				open.map((m) => m.status),
				open.map((m) => m.old),
				open.map((m) => m.new),
				open.map((m) => m.version)
			]
		);
	}
	// Hazmat sites that were in the community's grids.
	await tx.query(
		`UPDATE hazmat_site AS h SET grid_id = ng.id
			 FROM hazmat_site s CROSS JOIN LATERAL (
			   SELECT g.id FROM grid g WHERE g.id = ANY($2::text[])
			   ORDER BY ST_Contains(g.geom, s.geom) DESC, ST_Intersects(g.geom, s.geom) DESC,
			     ST_Distance(g.geom, s.geom), g.ord
			   LIMIT 1
			 ) ng
			 WHERE h.id = s.id AND s.grid_id = ANY($1::text[]) AND s.grid_id <> ng.id`,
		[[...oldIds], finalIds]
	);
	if (removed.length) await tx.query('DELETE FROM grid WHERE id = ANY($1::text[])', [removed]);

	const published = await publishedGrids(tx, cid);
	const added = finalIds.filter((id) => !oldIds.has(id));
	const [row] = await tx.query<Parameters<typeof versionInfo>[0]>(
		`INSERT INTO plan_version (community_id, version, published_at, published_by,
			   effective_date, note, added, removed, reshaped, grids)
			 VALUES ($1, $2, to_timestamp($3 / 1000.0), $4, $5::date, $6, $7::text[], $8::text[],
			   $9::text[], $10::jsonb)
			 RETURNING ${VERSION_COLUMNS}`,
		[
			cid,
			version,
			at,
			actor,
			o.effectiveDate,
			o.note,
			added,
			removed,
			reshaped ?? [],
			JSON.stringify(published)
		]
	);
	if (o.draftVersion !== undefined)
		await tx.query('DELETE FROM plan_draft WHERE community_id = $1', [cid]);
	// The manifest's grid count stays true (it is served as /data/manifest.json).
	await tx.query(
		`UPDATE meta SET value = jsonb_set(value, '{counts,grids}', to_jsonb((SELECT count(*) FROM grid)))
			 WHERE key = 'manifest' AND value ? 'counts'`
	);
	await bumpCityVersion(tx);
	await recordAudit(tx, {
		actor: who,
		action: 'plan.publish',
		targetType: 'plan',
		targetId: cid,
		before: { version: current.version, grids: [...oldIds] },
		after: {
			version,
			draftVersion: o.draftVersion ?? null,
			effectiveDate: o.effectiveDate,
			grids: finalIds,
			added,
			removed,
			reshaped: reshaped ?? [],
			reassigned: { open: open.length, closed: moved.length - open.length },
			...o.audit
		}
	});
	const records = open.length
		? await tx.query<CaseRecord>(
				`SELECT ${CASE_COLUMNS} FROM incident i WHERE i.id = ANY($1::int8[]) ORDER BY i.id`,
				[open.map((m) => m.id)]
			)
		: [];
	return {
		plan: versionInfo(row),
		reassigned: { open: open.length, closed: moved.length - open.length },
		renamed,
		moved: records
	};
}

/** After the commit: the moved open cases, then the plan itself, on the live bus. */
export function publishPlanEvents(
	bus: LiveBus,
	cid: string,
	outcome: PublishOutcome,
	at: number = Date.now()
): void {
	if (outcome.moved.length)
		bus.publish({ type: 'incidents', change: 'status', incidents: outcome.moved });
	const event: PlanPublishedEvent = {
		type: 'plan',
		communityId: cid,
		version: outcome.plan.version,
		publishedBy: outcome.plan.publishedBy ?? 'anonymous',
		at
	};
	bus.publish(event);
}
