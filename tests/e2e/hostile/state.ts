/**
 * "Nothing stored": what a hostile request could have changed, read through the public API —
 * the incident change counter (the snapshot's X-OneMap-Rev, bumped by every insert and every
 * case event), the incident count, the alerts and their acknowledgements, the patrol units'
 * statuses, the wall's follow state and, when grid plans exist, one community's plan versions.
 */
import type { APIRequestContext } from '@playwright/test';

export interface StoredState {
	rev: string | null;
	incidents: number | null;
	incidentVersion: number | null;
	incidentTrail: number | null;
	alerts: string;
	units: string;
	wall: string;
	plan: string | null;
}

async function json<T>(request: APIRequestContext, path: string): Promise<T> {
	const res = await request.get(path);
	if (!res.ok()) throw new Error(`GET ${path} → ${res.status()}`);
	return (await res.json()) as T;
}

/**
 * The state. `full: false` reads only what any write moves (the rev: every incident insert,
 * update and case event bumps it; alerts; the wall; the plan) and leaves the rest as it was in
 * `last` — the suite reads it all every few cases and at the end.
 */
export async function readState(
	request: APIRequestContext,
	incidentId: number,
	communityId: string | null,
	last: StoredState | null = null
): Promise<StoredState> {
	const full = last === null;
	const [snap, items, detail, alerts, units, wall, plan] = await Promise.all([
		request.head('/data/incidents.arrow'),
		full
			? json<{ numberMatched?: number }>(request, '/ogc/collections/incidents/items?limit=1')
			: null,
		full
			? json<{ version: number; trail: unknown[] }>(request, `/api/incidents/${incidentId}`)
			: null,
		json<{ alerts: { id: number; ackedAt: number | null }[] }>(request, '/api/alerts?limit=1000'),
		full
			? json<{ units: { id: string; status: string }[] }>(
					request,
					`/api/incidents/${incidentId}/nearest-units?limit=100`
				)
			: null,
		json<unknown>(request, '/api/wall/follow'),
		communityId
			? json<{ published: { version: number }; draft: { version: number } | null }>(
					request,
					`/api/plans/${encodeURIComponent(communityId)}`
				)
			: Promise.resolve(null)
	]);
	return {
		rev: snap.headers()['x-onemap-rev'] ?? null,
		incidents: items ? (items.numberMatched ?? null) : last!.incidents,
		incidentVersion: detail ? detail.version : last!.incidentVersion,
		incidentTrail: detail ? detail.trail.length : last!.incidentTrail,
		alerts: alerts.alerts.map((a) => `${a.id}:${a.ackedAt ?? '-'}`).join(','),
		units: units
			? units.units
					.map((u) => `${u.id}:${u.status}`)
					.sort()
					.join(',')
			: last!.units,
		wall: JSON.stringify(wall),
		plan: plan
			? `published ${plan.published.version}, draft ${plan.draft ? plan.draft.version : 'none'}`
			: null
	};
}

/** The fields that differ, as "name: before → after". */
export function stateDiff(a: StoredState, b: StoredState): string[] {
	const out: string[] = [];
	for (const key of Object.keys(a) as (keyof StoredState)[]) {
		if (a[key] !== b[key])
			out.push(`${key}: ${String(a[key]).slice(0, 80)} → ${String(b[key]).slice(0, 80)}`);
	}
	return out;
}
