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

export async function readState(
	request: APIRequestContext,
	incidentId: number,
	communityId: string | null
): Promise<StoredState> {
	const [snap, items, detail, alerts, units, wall, plan] = await Promise.all([
		request.head('/data/incidents.arrow'),
		json<{ numberMatched?: number }>(request, '/ogc/collections/incidents/items?limit=1'),
		json<{ version: number; trail: unknown[] }>(request, `/api/incidents/${incidentId}`),
		json<{ alerts: { id: number; ackedAt: number | null }[] }>(request, '/api/alerts?limit=1000'),
		json<{ units: { id: string; status: string }[] }>(
			request,
			`/api/incidents/${incidentId}/nearest-units?limit=100`
		),
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
		incidents: items.numberMatched ?? null,
		incidentVersion: detail.version,
		incidentTrail: detail.trail.length,
		alerts: alerts.alerts.map((a) => `${a.id}:${a.ackedAt ?? '-'}`).join(','),
		units: units.units
			.map((u) => `${u.id}:${u.status}`)
			.sort()
			.join(','),
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
