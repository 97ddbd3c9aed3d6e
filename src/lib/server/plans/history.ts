/**
 * Reading a community's plans (issue 7): the published versions (history), one version's grids,
 * the difference between two versions (or a version and the draft), and the incidents of the
 * last N days in the community for the planner's balance panel.
 */
import type { GridCollection, GridFeature } from '$lib/domain/city';
import type { PlanDiff, PlanIncidents, PlanVersionInfo } from '$lib/domain/plans';
import type { Queryable } from '../db/types';
import { MAX_INT32 } from '../http/params';
import { ApiError } from '../http/errors';
import { VERSION_COLUMNS, versionInfo } from './publish';
import { currentVersion, loadCommunity, loadDraft, publishedGrids } from './store';

/** GET /api/plans/{cid}/history: newest first, version 0 (the generated city) last. */
export async function planHistory(q: Queryable, cid: string): Promise<PlanVersionInfo[]> {
	await loadCommunity(q, cid);
	const rows = await q.query<Parameters<typeof versionInfo>[0]>(
		`SELECT ${VERSION_COLUMNS} FROM plan_version WHERE community_id = $1 ORDER BY version DESC`,
		[cid]
	);
	const list = rows.map(versionInfo);
	if (!list.some((v) => v.version === 0))
		list.push({
			version: 0,
			publishedAt: null,
			publishedBy: null,
			effectiveDate: null,
			note: '',
			added: [],
			removed: [],
			reshaped: []
		});
	return list;
}

/** GET /api/plans/{cid}/versions/{v}: that version's grids; 404 for one never published. */
export async function versionGrids(q: Queryable, cid: string, v: number): Promise<GridCollection> {
	await loadCommunity(q, cid);
	const current = await currentVersion(q, cid);
	if (v === current.version) return publishedGrids(q, cid);
	const [row] = await q.query<{ grids: GridCollection }>(
		'SELECT grids FROM plan_version WHERE community_id = $1 AND version = $2',
		[cid, v]
	);
	if (!row)
		throw new ApiError(
			404,
			`Community ${cid} has no plan version ${v} (the current one is ${current.version}).`,
			'version'
		);
	return row.grids;
}

/** A version number or "draft" from a query parameter. */
export function parseVersionRef(raw: string | null, field: string): number | 'draft' {
	if (raw === 'draft') return 'draft';
	const n = Number(raw);
	if (raw === null || !/^\d+$/.test(raw) || !(n <= MAX_INT32))
		throw new ApiError(
			400,
			`${field}: must be a plan version (0, 1, …) or "draft", got "${raw ?? ''}".`,
			field
		);
	return n;
}

async function gridsOf(q: Queryable, cid: string, ref: number | 'draft'): Promise<GridCollection> {
	if (ref !== 'draft') return versionGrids(q, cid, ref);
	const draft = await loadDraft(q, cid);
	if (!draft) throw new ApiError(404, `Community ${cid} has no draft.`, 'to');
	return draft.grids;
}

const sameProps = (a: GridFeature, b: GridFeature) => {
	const keys = Object.keys(a.properties).filter(
		(k) => k !== 'areaKm2'
	) as (keyof typeof a.properties)[];
	return keys.every((k) => a.properties[k] === b.properties[k]);
};

/**
 * GET /api/plans/{cid}/diff?from=v&to=v|draft: grids only in `to` (added), only in `from`
 * (removed), in both with another geometry (reshaped: not ST_Equals) or other properties
 * (modified: name, worker, population… — areaKm2 follows the geometry), and the rest.
 */
export async function planDiff(
	q: Queryable,
	cid: string,
	from: number | 'draft',
	to: number | 'draft'
): Promise<PlanDiff & { modified: string[] }> {
	const [a, b] = [await gridsOf(q, cid, from), await gridsOf(q, cid, to)];
	const left = new Map(a.features.map((f) => [f.properties.id, f]));
	const both = b.features.filter((f) => left.has(f.properties.id));
	const ids = both.map((f) => f.properties.id);
	const rows = ids.length
		? await q.query<{ id: string; same: boolean }>(
				`SELECT t.id, ST_Equals(ST_GeomFromGeoJSON(t.a), ST_GeomFromGeoJSON(t.b)) AS same
				 FROM unnest($1::text[], $2::text[], $3::text[]) AS t(id, a, b)`,
				[
					ids,
					both.map((f) => JSON.stringify(left.get(f.properties.id)!.geometry)),
					both.map((f) => JSON.stringify(f.geometry))
				]
			)
		: [];
	const same = new Map(rows.map((r) => [r.id, r.same]));
	const out = { added: [], removed: [], reshaped: [], modified: [], unchanged: [] } as PlanDiff & {
		modified: string[];
	};
	for (const f of b.features) {
		const id = f.properties.id;
		const old = left.get(id);
		if (!old) out.added.push(id);
		else if (!same.get(id)) out.reshaped.push(id);
		else if (!sameProps(old, f)) out.modified.push(id);
		else out.unchanged.push(id);
	}
	const right = new Set(b.features.map((f) => f.properties.id));
	for (const f of a.features) if (!right.has(f.properties.id)) out.removed.push(f.properties.id);
	return out;
}

export const MAX_INCIDENT_DAYS = 366;

/** `?days=` from 1 to 366 (default 90). */
export function parseDays(raw: string | null): number {
	if (raw === null) return 90;
	const n = Number(raw);
	if (!/^\d+$/.test(raw) || n < 1 || n > MAX_INCIDENT_DAYS)
		throw new ApiError(
			400,
			`days: must be a whole number of days from 1 to ${MAX_INCIDENT_DAYS}, got "${raw}".`,
			'days'
		);
	return n;
}

/**
 * GET /api/plans/{cid}/incidents?days=90: every incident (any status) of the last `days` days
 * whose point lies in the community's outline, as parallel columns.
 */
export async function planIncidents(
	q: Queryable,
	cid: string,
	days: number,
	now: number = Date.now()
): Promise<PlanIncidents> {
	await loadCommunity(q, cid);
	const from = now - days * 86_400_000;
	const [row] = await q.query<{ lon: number[] | null; lat: number[] | null; ts: number[] | null }>(
		`SELECT array_agg(ST_X(i.geom) ORDER BY i.ts) AS lon, array_agg(ST_Y(i.geom) ORDER BY i.ts) AS lat,
		   array_agg((extract(epoch FROM i.ts) * 1000)::float8 ORDER BY i.ts) AS ts
		 FROM incident i JOIN community c ON c.id = $1
		 WHERE i.ts >= to_timestamp($2 / 1000.0) AND i.ts <= to_timestamp($3 / 1000.0)
		   AND i.geom && c.geom AND ST_Intersects(c.geom, i.geom)`,
		[cid, from, now]
	);
	return { from, to: now, lon: row.lon ?? [], lat: row.lat ?? [], ts: row.ts ?? [] };
}
