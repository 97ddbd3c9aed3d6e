/**
 * A new version of the city that is loaded (same city code): its boundaries replace the loaded
 * ones through the grid-plan history, never by dropping rows (issue 12). Inside the importer's
 * transaction (import.ts), in this order:
 *
 * 1. Refusals first, before anything is written: a grid id the pack gives to another community
 *    (ids cannot move between communities), and an unpublished planner's draft in a community
 *    the pack no longer has (someone's work would vanish).
 * 2. Districts, streets and communities kept by id are updated in place (names, figures,
 *    outlines, parents); new ones are appended.
 * 3. Each kept community whose grids differ (ids, outlines or attributes) gets a new published
 *    plan version through plans/publish.ts applyPlan: the same path as a planner's publish —
 *    its incidents placed again, moved open cases audited, the version recorded with the pack
 *    named in its note. Communities whose grids are unchanged get no version.
 * 4. Grids of new communities are appended; then every incident not inside a grid of the pack
 *    any more is placed again by the intake's rule (never dropped), open ones audited.
 * 5. Registers are the pack's: hazmat sites and lanes replaced, patrol routes and units
 *    updated by id; routes and units the pack no longer has are removed unless a case still
 *    refers to them (then kept and reported).
 * 6. Units the pack no longer has are removed (nothing refers to them any more); a removed
 *    community's published plan history goes into the audit entry before its rows go.
 *
 * The pack's incident history is loaded only into a city that has no incidents yet: a second
 * load of the same history would double every case.
 */
import type { GridFeature, Manifest } from '$lib/domain/city';
import type { CleanPack, PackLevel, UpdateSummary } from '$lib/domain/cityPack';
import type { CaseRecord } from '$lib/domain/live';
import { recordAudit, type AuditActor } from '../audit/audit';
import type { CityData, DistrictProps } from '../city/cityData';
import {
	insertCommunities,
	insertDistricts,
	insertGrids,
	insertLanes,
	insertPatrolUnits,
	insertRoutes,
	insertSites,
	insertStreets,
	loadIncidents
} from '../city/load';
import type { Queryable } from '../db/types';
import { ApiError } from '../http/errors';
import { CASE_COLUMNS } from '../incidents/records';
import { applyPlan, type Moved } from '../plans/publish';
import { currentVersion, lockCommunity, publishedGrids } from '../plans/store';

export interface UpdateOutcome {
	/** Communities given a new published plan version, with the version. */
	plans: { communityId: string; version: number }[];
	/** Incidents placed in another grid (open and closed). */
	incidentsMoved: number;
	/** Units the pack no longer has, removed, by level. */
	removed: Partial<Record<PackLevel, string[]>>;
	/** Units added, by level. */
	added: Partial<Record<PackLevel, string[]>>;
	/** Routes and units the pack no longer has that a case still refers to: kept. */
	kept: { patrolRoutes: string[]; patrolUnits: string[] };
	/** Incidents loaded from the pack (0 when the city already had some). */
	incidentsLoaded: number;
	/** The city already had incidents: the pack's history file was not loaded again. */
	incidentsSkipped: boolean;
	/** Open cases whose grid changed, as they are now (for the live bus). */
	moved: CaseRecord[];
}

type UnitTable = 'district' | 'street' | 'community';

const ids = async (tx: Queryable, table: string) =>
	(await tx.query<{ id: string }>(`SELECT id FROM ${table}`)).map((r) => r.id);

const nextOrd = async (tx: Queryable, table: string) =>
	(await tx.query<{ n: number }>(`SELECT coalesce(max(ord) + 1, 0)::int AS n FROM ${table}`))[0].n;

export async function updateCity(
	tx: Queryable,
	clean: CleanPack,
	city: CityData,
	who: AuditActor,
	at: Date
): Promise<UpdateOutcome> {
	const grids = city.grids.features;
	const packIds = (level: PackLevel) => new Set(clean.units[level].map((u) => u.id));

	// 1. Refusals.
	const owner = new Map(grids.map((g) => [g.properties.id, g.properties.communityId]));
	const strays = (
		await tx.query<{ id: string; community_id: string }>(
			`SELECT id, community_id FROM grid WHERE id = ANY($1::text[])`,
			[[...owner.keys()]]
		)
	).filter((g) => owner.get(g.id) !== g.community_id);
	if (strays.length) {
		const s = strays[0];
		throw new ApiError(
			422,
			`Grid ${s.id} belongs to community ${s.community_id} in the loaded city and to ${owner.get(s.id)} in the pack: a grid id cannot move between communities; give the moved grid a new id (${strays.length} such grid(s)). 网格 ${s.id} 在已导入城市中属于社区 ${s.community_id}，在数据包中属于 ${owner.get(s.id)}：网格编号不能在社区之间移动，请为移动的网格另编新号。`,
			'pack'
		);
	}
	const goneCommunities = (await ids(tx, 'community')).filter(
		(id) => !packIds('community').has(id)
	);
	const drafts = await tx.query<{ community_id: string; updated_by: string | null }>(
		`SELECT community_id, updated_by FROM plan_draft WHERE community_id = ANY($1::text[])`,
		[goneCommunities]
	);
	if (drafts.length)
		throw new ApiError(
			409,
			`The pack no longer has community ${drafts[0].community_id}, which has an unpublished grid plan draft${drafts[0].updated_by ? ` by ${drafts[0].updated_by}` : ''} (${drafts.length} such draft(s)). Publish or discard it in /plan first, then import again. 数据包中已没有社区 ${drafts[0].community_id}，但它有未发布的网格方案草稿；请先在网格规划中发布或放弃草稿，再导入。`,
			'pack'
		);

	// 2. Units above the grids, kept ones in place, new ones appended.
	const added: UpdateOutcome['added'] = {};
	const districts = city.districts?.features ?? [];
	const addedOf = async <F extends { properties: { id: string } }>(
		table: UnitTable,
		level: PackLevel,
		features: F[],
		update: (tx: Queryable, kept: F[]) => Promise<void>,
		insert: (tx: Queryable, rows: F[], first: number) => Promise<void>
	) => {
		const existing = new Set(await ids(tx, table));
		const kept = features.filter((f) => existing.has(f.properties.id));
		const fresh = features.filter((f) => !existing.has(f.properties.id));
		if (kept.length) await update(tx, kept);
		if (fresh.length) {
			await insert(tx, fresh, await nextOrd(tx, table));
			added[level] = fresh.map((f) => f.properties.id);
		}
	};
	await addedOf(
		'district',
		'district',
		districts,
		(tx, kept) => updateUnits(tx, 'district', kept, null),
		insertDistricts
	);
	await addedOf(
		'street',
		'street',
		city.streets.features,
		(tx, kept) =>
			updateUnits(
				tx,
				'street',
				kept.map((f) => ({ ...f, parent: f.properties.districtId ?? null })),
				'district_id'
			),
		insertStreets
	);
	await addedOf(
		'community',
		'community',
		city.communities.features,
		(tx, kept) =>
			updateUnits(
				tx,
				'community',
				kept.map((f) => ({ ...f, parent: f.properties.streetId })),
				'street_id'
			),
		insertCommunities
	);
	// A grid's street follows its community.
	await tx.exec(
		`UPDATE grid g SET street_id = c.street_id FROM community c
		 WHERE c.id = g.community_id AND g.street_id <> c.street_id`
	);

	// 3. Kept communities whose grids changed: a published plan version each.
	const withGrids = new Set(
		(await tx.query<{ id: string }>('SELECT DISTINCT community_id AS id FROM grid')).map(
			(r) => r.id
		)
	);
	const gridsOf = new Map<string, GridFeature[]>();
	for (const g of grids) {
		const list = gridsOf.get(g.properties.communityId) ?? [];
		list.push(g);
		gridsOf.set(g.properties.communityId, list);
	}
	const plans: UpdateOutcome['plans'] = [];
	const planRemoved: string[] = [];
	const moved = new Set<number>();
	let incidentsMoved = 0;
	const note = `城市数据包 ${clean.manifest.version} · city pack ${clean.manifest.version}`;
	for (const [cid, features] of gridsOf) {
		if (!withGrids.has(cid) || (await sameGrids(tx, cid, features))) continue;
		await lockCommunity(tx, cid);
		const outcome = await applyPlan(tx, cid, features, {
			who,
			at: at.getTime(),
			current: await currentVersion(tx, cid),
			effectiveDate: at.toISOString().slice(0, 10),
			note,
			keepIds: true,
			audit: { source: 'city-pack', pack: clean.manifest.version, hash: clean.hash }
		});
		plans.push({ communityId: cid, version: outcome.plan.version });
		planRemoved.push(...outcome.plan.removed);
		incidentsMoved += outcome.reassigned.open + outcome.reassigned.closed;
		for (const r of outcome.moved) moved.add(r.id);
	}

	// 4. Grids of new communities; then every incident outside the pack's grids placed again.
	const fresh = grids.filter((g) => !withGrids.has(g.properties.communityId));
	if (fresh.length) {
		await insertGrids(tx, fresh, await nextOrd(tx, 'grid'));
		added.grid = fresh.map((g) => g.properties.id);
	}
	const placed = await replaceOutside(
		tx,
		grids.map((g) => g.properties.id),
		who,
		at,
		clean.manifest.version
	);
	incidentsMoved += placed.length;
	for (const m of placed) if (m.status !== 'closed') moved.add(m.id);

	// 5. Registers.
	await tx.exec('DELETE FROM hazmat_lane; DELETE FROM hazmat_site');
	await insertSites(tx, city.hazmatSites.features);
	await insertLanes(tx, city.hazmatLanes.features);
	const kept = await replacePatrols(tx, city);

	// 6. Units the pack no longer has.
	const removed: UpdateOutcome['removed'] = {};
	const history = goneCommunities.length
		? await tx.query<{ community_id: string; version: number; grids: unknown }>(
				`SELECT community_id, version, grids FROM plan_version
				 WHERE community_id = ANY($1::text[]) ORDER BY community_id, version`,
				[goneCommunities]
			)
		: [];
	const goneGrids = (await ids(tx, 'grid')).filter((id) => !owner.has(id));
	if (goneGrids.length) await tx.query('DELETE FROM grid WHERE id = ANY($1::text[])', [goneGrids]);
	// Grids a plan version removed (recorded in it) and those of removed communities.
	if (planRemoved.length || goneGrids.length) removed.grid = [...planRemoved, ...goneGrids];
	if (goneCommunities.length) {
		for (const t of ['plan_draft_revision', 'plan_version'])
			await tx.query(`DELETE FROM ${t} WHERE community_id = ANY($1::text[])`, [goneCommunities]);
		await tx.query('DELETE FROM community WHERE id = ANY($1::text[])', [goneCommunities]);
		removed.community = goneCommunities;
	}
	for (const [table, level] of [
		['street', 'street'],
		['district', 'district']
	] as const) {
		const gone = (await ids(tx, table)).filter((id) => !packIds(level).has(id));
		if (!gone.length) continue;
		if (table === 'district')
			await tx.query('UPDATE street SET district_id = NULL WHERE district_id = ANY($1::text[])', [
				gone
			]);
		await tx.query(`DELETE FROM ${table} WHERE id = ANY($1::text[])`, [gone]);
		removed[level] = gone;
	}
	if (Object.keys(removed).length)
		await recordAudit(tx, {
			actor: who,
			action: 'city.update.remove',
			targetType: 'city',
			targetId: clean.manifest.city.code,
			before: { removed, planHistory: history },
			after: { pack: clean.manifest.version, hash: clean.hash }
		});

	// The pack's case history, only into a city without one.
	const [{ n }] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM incident');
	const incidentsSkipped = n > 0 && city.incidents.length > 0;
	if (n === 0 && city.incidents.length) await loadIncidents(tx, city.incidents);

	const records = moved.size
		? await tx.query<CaseRecord>(
				`SELECT ${CASE_COLUMNS} FROM incident i WHERE i.id = ANY($1::int8[]) ORDER BY i.id`,
				[[...moved]]
			)
		: [];
	return {
		plans,
		incidentsMoved,
		removed,
		added,
		kept,
		incidentsLoaded: incidentsSkipped ? 0 : city.incidents.length,
		incidentsSkipped,
		moved: records
	};
}

/** The manifest after an update: the pack's, with the loaded period kept when its history was. */
export function updatedManifest(pack: Manifest, loaded: Manifest | null, kept: boolean): Manifest {
	if (!kept || !loaded) return pack;
	return {
		...pack,
		endDate: loaded.endDate,
		startMs: loaded.startMs,
		endMs: loaded.endMs,
		counts: { ...pack.counts, incidents: loaded.counts.incidents }
	};
}

async function updateUnits<
	F extends {
		/** Every unit level has the district's properties (and more). */
		properties: DistrictProps;
		geometry: unknown;
		parent?: string | null;
	}
>(tx: Queryable, table: UnitTable, kept: F[], parent: 'district_id' | 'street_id' | null) {
	const p = <T>(pick: (f: F) => T) => kept.map(pick);
	await tx.query(
		`UPDATE ${table} AS u SET name = t.name, kind = t.kind, population = t.population,
		   households = t.households, area_km2 = t.area_km2, label_lon = t.label_lon,
		   label_lat = t.label_lat, geom = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(t.gj), 4326))
		   ${parent ? `, ${parent} = t.parent` : ''}
		 FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::float8[],
		   $7::float8[], $8::float8[], $9::text[], $10::text[])
		   AS t(id, name, kind, population, households, area_km2, label_lon, label_lat, gj, parent)
		 WHERE u.id = t.id`,
		[
			p((f) => f.properties.id),
			p((f) => f.properties.name),
			p((f) => f.properties.kind),
			p((f) => f.properties.population),
			p((f) => f.properties.households),
			p((f) => f.properties.areaKm2),
			p((f) => f.properties.labelLon),
			p((f) => f.properties.labelLat),
			p((f) => JSON.stringify(f.geometry)),
			p((f) => f.parent ?? null)
		]
	);
}

/** The community's grids as published now: the same ids, outlines and attributes? */
async function sameGrids(tx: Queryable, cid: string, grids: GridFeature[]): Promise<boolean> {
	const now = (await publishedGrids(tx, cid)).features;
	if (now.length !== grids.length) return false;
	const byId = new Map(now.map((f) => [f.properties.id, f.properties]));
	for (const g of grids) {
		const p = byId.get(g.properties.id);
		if (!p) return false;
		for (const k of ['name', 'population', 'households', 'workerName', 'workerPhone'] as const)
			if (p[k] !== g.properties[k]) return false;
	}
	const [{ equal }] = await tx.query<{ equal: boolean | null }>(
		`SELECT bool_and(ST_Equals(g.geom, ST_SetSRID(ST_GeomFromGeoJSON(t.gj), 4326))) AS equal
		 FROM unnest($1::text[], $2::text[]) AS t(id, gj) JOIN grid g ON g.id = t.id`,
		[grids.map((g) => g.properties.id), grids.map((g) => JSON.stringify(g.geometry))]
	);
	return equal === true;
}

/**
 * Incidents whose grid the pack no longer has, or that lie outside it now, placed again by the
 * intake's rule (the containing grid; on a border the first in order; outside every grid the
 * nearest); community and street follow the grid; open ones moved get a case-trail entry.
 */
async function replaceOutside(
	tx: Queryable,
	gridIds: string[],
	who: AuditActor,
	at: Date,
	version: string
): Promise<Moved[]> {
	const moved = await tx.query<Moved>(
		`WITH c AS (
		   SELECT i.id FROM incident i LEFT JOIN grid g ON g.id = i.grid_id
		   WHERE NOT (i.grid_id = ANY($1::text[])) OR NOT ST_Intersects(g.geom, i.geom)
		 ), p AS (
		   SELECT c.id, i.grid_id AS old, ng.id AS new FROM c
		   JOIN incident i ON i.id = c.id
		   CROSS JOIN LATERAL (
		     SELECT g.id FROM grid g WHERE g.id = ANY($1::text[])
		     -- Not the KNN operator (<->): PGlite's GiST KNN scan can fail with "index returned
		     -- tuples in wrong order".
		     ORDER BY ST_Contains(g.geom, i.geom) DESC, ST_Intersects(g.geom, i.geom) DESC,
		       ST_Distance(g.geom, i.geom), g.ord
		     LIMIT 1
		   ) ng
		 )
		 UPDATE incident AS i SET grid_id = p.new FROM p
		 WHERE i.id = p.id AND p.new <> p.old
		 RETURNING i.id, p.old, p.new, i.status, i.version`,
		[gridIds]
	);
	await tx.exec(
		`UPDATE incident i SET community_id = g.community_id, street_id = g.street_id FROM grid g
		 WHERE g.id = i.grid_id AND (i.community_id <> g.community_id OR i.street_id <> g.street_id)`
	);
	const open = moved.filter((m) => m.status !== 'closed');
	if (open.length)
		await tx.query(
			`INSERT INTO incident_event (incident_id, at, actor, action, from_status, to_status,
			   comment, version)
			 SELECT id, $2, $3, 'reassign_grid', status, status,
			   format('城市数据包 %s：%s → %s', $4::text, old, new), version
			 FROM unnest($1::int8[], $5::text[], $6::text[], $7::text[], $8::int[])
			   AS t(id, status, old, new, version)`,
			[
				open.map((m) => m.id),
				at,
				who.displayName,
				version,
				open.map((m) => m.status),
				open.map((m) => m.old),
				open.map((m) => m.new),
				open.map((m) => m.version)
			]
		);
	return moved;
}

/** Patrol routes and units as the pack has them; those gone but still referred to are kept. */
async function replacePatrols(tx: Queryable, city: CityData): Promise<UpdateOutcome['kept']> {
	const { routes, units } = city.patrols;
	const unitIds = units.map((u) => u.id);
	const routeIds = routes.map((r) => r.id);
	await tx.query(
		`DELETE FROM patrol_unit p WHERE NOT (p.id = ANY($1::text[]))
		   AND p.responding_incident_id IS NULL
		   AND NOT EXISTS (SELECT 1 FROM incident_assignee a WHERE a.unit_id = p.id)`,
		[unitIds]
	);
	// Routes and units kept by id are written again (ord kept); the others appended.
	const oldRoutes = new Set(await ids(tx, 'patrol_route'));
	for (const r of routes.filter((r) => oldRoutes.has(r.id)))
		await tx.query(
			`UPDATE patrol_route SET name = $2, mode = $3,
			   geom = ST_SetSRID(ST_GeomFromGeoJSON($4), 4326) WHERE id = $1`,
			[r.id, r.name, r.mode, JSON.stringify({ type: 'LineString', coordinates: r.path })]
		);
	await insertRoutes(
		tx,
		routes.filter((r) => !oldRoutes.has(r.id)),
		await nextOrd(tx, 'patrol_route')
	);
	const oldUnits = new Set(await ids(tx, 'patrol_unit'));
	for (const u of units.filter((u) => oldUnits.has(u.id)))
		await tx.query(
			`UPDATE patrol_unit SET callsign = $2, mode = $3, route_id = $4, track = $5::jsonb
			 WHERE id = $1`,
			[u.id, u.callsign, u.mode, u.routeId, u.track ? JSON.stringify(u.track) : null]
		);
	await insertPatrolUnits(
		tx,
		units.filter((u) => !oldUnits.has(u.id)),
		await nextOrd(tx, 'patrol_unit')
	);
	await tx.query(
		`DELETE FROM patrol_route r WHERE NOT (r.id = ANY($1::text[]))
		   AND NOT EXISTS (SELECT 1 FROM patrol_unit u WHERE u.route_id = r.id)`,
		[routeIds]
	);
	const left = async (table: string, keep: string[]) =>
		(
			await tx.query<{ id: string }>(
				`SELECT id FROM ${table} WHERE NOT (id = ANY($1::text[])) ORDER BY ord`,
				[keep]
			)
		).map((r) => r.id);
	return {
		patrolRoutes: await left('patrol_route', routeIds),
		patrolUnits: await left('patrol_unit', unitIds)
	};
}

/** The numbers a person reads (admin page, CLI). */
export function updateSummary(u: Omit<UpdateOutcome, 'moved'>): UpdateSummary {
	const total = (m: Partial<Record<PackLevel, string[]>>) =>
		Object.values(m).reduce((n, list) => n + (list?.length ?? 0), 0);
	return {
		plans: u.plans.length,
		incidentsMoved: u.incidentsMoved,
		added: total(u.added),
		removed: total(u.removed),
		incidentsSkipped: u.incidentsSkipped
	};
}
