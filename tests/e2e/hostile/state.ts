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
	/** The newest audit entry (every write is audited) — once sign-in exists. */
	audit: number | null;
	users: number | null;
	devices: string | null;
}

async function json<T>(request: APIRequestContext, path: string): Promise<T> {
	const res = await request.get(path);
	if (!res.ok()) throw new Error(`GET ${path} → ${res.status()}`);
	return (await res.json()) as T;
}

/**
 * The state. With `last`, only what any write moves is read — the newest audit entry once
 * sign-in exists (every write is audited), else the rev (every incident insert, update and case
 * event bumps it), the alerts, the wall and the plan — and the rest is kept from `last`; the
 * suite reads it all every few cases and at the end.
 */
export async function readState(
	request: APIRequestContext,
	incidentId: number,
	communityId: string | null,
	last: StoredState | null = null,
	auth = true
): Promise<StoredState> {
	const full = last === null;
	// Every write is audited in its own transaction (issue 8): between full reads, the newest
	// audit entry alone tells whether anything was written.
	if (last && auth) {
		const audit = await json<{ entries: { id: number }[] }>(request, '/api/audit?limit=1');
		return { ...last, audit: audit.entries[0]?.id ?? 0 };
	}
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
	const [audit, users, devices] = await Promise.all([
		auth ? json<{ entries: { id: number }[] }>(request, '/api/audit?limit=1') : null,
		auth && full ? json<{ users: unknown[] }>(request, '/api/admin/users') : null,
		auth && full
			? json<{ devices: { id: number; revokedAt: unknown }[] }>(request, '/api/admin/devices')
			: null
	]);
	return {
		audit: audit ? (audit.entries[0]?.id ?? 0) : null,
		users: users ? users.users.length : (last?.users ?? null),
		devices: devices
			? devices.devices.map((d) => `${d.id}:${d.revokedAt ? 'revoked' : 'active'}`).join(',')
			: (last?.devices ?? null),
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
