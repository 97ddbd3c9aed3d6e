/**
 * The duty officer's calls on a case (browser side of /api/incidents/{id}…). A 409 because
 * someone else changed the case first comes back as a CaseConflict with the current record and
 * what changed, so the panel can show it and offer to reload.
 */
import type { CaseAction } from '$lib/domain/incidents';
import type {
	Alert,
	AssigneeInput,
	AuditEntry,
	CaseDetail,
	CaseRecord,
	NearestUnit
} from '$lib/domain/live';

export class CaseConflict extends Error {
	constructor(
		message: string,
		/** The case as it is now (stale-version conflicts). */
		readonly current: CaseRecord | null,
		/** The audit entries the officer had not seen. */
		readonly changes: AuditEntry[]
	) {
		super(message);
		this.name = 'CaseConflict';
	}
}

async function call<T>(url: string, init?: RequestInit): Promise<T> {
	const response = await fetch(url, {
		...init,
		headers: init?.body ? { 'content-type': 'application/json' } : undefined
	});
	const body = (await response.json().catch(() => ({}))) as {
		message?: string;
		current?: CaseRecord;
		changes?: AuditEntry[];
	};
	if (response.status === 409) {
		throw new CaseConflict(body.message ?? 'Conflict', body.current ?? null, body.changes ?? []);
	}
	if (!response.ok) throw new Error(body.message ?? `${response.status} ${response.statusText}`);
	return body as T;
}

export const getCase = (id: number) => call<CaseDetail>(`/api/incidents/${id}`);

export interface TransitionRequest {
	action: CaseAction;
	comment?: string;
	assignees?: AssigneeInput[];
	version: number;
}

export const transition = (id: number, body: TransitionRequest) =>
	call<{ incident: CaseRecord; entry: AuditEntry }>(`/api/incidents/${id}/transitions`, {
		method: 'POST',
		body: JSON.stringify(body)
	});

/** The signed-in user is the actor (the server takes it from the session). */
export const dispatchNearest = (id: number, body: { version: number }) =>
	call<{ unit: { id: string; callsign: string }; incident: CaseRecord }>(
		`/api/incidents/${id}/dispatch-nearest`,
		{ method: 'POST', body: JSON.stringify(body) }
	);

/** The patrol units nearest a place, ranked by the server as dispatch ranks them. */
export const nearestUnitsAt = ([lon, lat]: readonly [number, number], limit = 5) =>
	call<{ at: number; units: NearestUnit[] }>(
		`/api/units/nearest?lon=${lon.toFixed(6)}&lat=${lat.toFixed(6)}&limit=${limit}`
	);

/** The newest open alerts and how many are open in all (the list is capped, the count is not). */
export const openAlerts = (limit: number) =>
	call<{ alerts: Alert[]; total: number }>(`/api/alerts?open=1&limit=${limit}`);

/** Acknowledges an alert; one someone else acknowledged first (409) counts as done. */
export async function ackAlert(id: number): Promise<void> {
	try {
		await call(`/api/alerts/${id}/ack`, { method: 'POST' });
	} catch (e) {
		if (!(e instanceof CaseConflict)) throw e;
	}
}

/** Open cases past their deadline, most overdue first. */
export const overdueCases = (limit: number) =>
	call<{ incidents: CaseRecord[] }>(`/api/incidents?overdue=1&limit=${limit}`);
