/**
 * The duty officer's calls on a case (browser side of /api/incidents/{id}…). A 409 because
 * someone else changed the case first comes back as a CaseConflict with the current record and
 * what changed, so the panel can show it and offer to reload.
 *
 * Case writes (transitions, dispatch) carry an `Idempotency-Key` (server: http/idempotency.ts),
 * one per officer action: when the answer is lost (the connection dropped) or the server was busy
 * (502/503/504), the same request goes again with the same key, so the write is stored once and
 * the retry gets the first answer.
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

/** How often a case write is sent in all, and the wait before a resend without Retry-After. */
export const WRITE_RETRY = { attempts: 3, backoffMs: 400, maxWaitMs: 3_000 };

const RETRYABLE = new Set([502, 503, 504]);

/**
 * A random UUID. `crypto.randomUUID` exists only in secure contexts (https, localhost); a command
 * centre served over plain http on its intranet gets one from `crypto.getRandomValues`.
 */
export function newIdempotencyKey(): string {
	if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
	const b = crypto.getRandomValues(new Uint8Array(16));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Sends one write — one user action — with a fresh Idempotency-Key, resending it with the same
 * key after a lost answer or a 502/503/504 (at most WRITE_RETRY.attempts in all).
 */
async function sendWrite(url: string, init: RequestInit): Promise<Response> {
	const headers = {
		...(init.body ? { 'content-type': 'application/json' } : {}),
		'idempotency-key': newIdempotencyKey()
	};
	for (let attempt = 1; ; attempt++) {
		let wait = WRITE_RETRY.backoffMs * attempt;
		try {
			const response = await fetch(url, { ...init, headers });
			if (!RETRYABLE.has(response.status) || attempt >= WRITE_RETRY.attempts) return response;
			const after = Number(response.headers.get('retry-after'));
			if (response.headers.has('retry-after') && Number.isFinite(after)) wait = after * 1000;
		} catch (err) {
			if (attempt >= WRITE_RETRY.attempts) throw err;
		}
		await sleep(Math.min(wait, WRITE_RETRY.maxWaitMs));
	}
}

async function call<T>(url: string, init?: RequestInit & { write?: boolean }): Promise<T> {
	const { write, ...rest } = init ?? {};
	const response = write
		? await sendWrite(url, rest)
		: await fetch(url, {
				...rest,
				headers: rest.body ? { 'content-type': 'application/json' } : undefined
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
		body: JSON.stringify(body),
		write: true
	});

/** The signed-in user is the actor (the server takes it from the session). */
export const dispatchNearest = (id: number, body: { version: number }) =>
	call<{ unit: { id: string; callsign: string }; incident: CaseRecord }>(
		`/api/incidents/${id}/dispatch-nearest`,
		{ method: 'POST', body: JSON.stringify(body), write: true }
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
