/**
 * The case cycle after GB/T 30428 — 上报/受理 reported → 立案 registered → 派遣 dispatched →
 * 处置 handling → 核查 verifying → 结案 closed, with 退回 (send back) and 督办 (supervise).
 * The legal moves are the table CASE_TRANSITIONS (src/lib/domain/incidents.ts, shared with the
 * browser so it offers only those); everything else is a 409 naming the current status and what
 * is allowed from it. Every transition:
 * - checks the version the client saw (optimistic concurrency: stale → 409 with the current
 *   record and the audit entries it missed),
 * - writes one audit entry (actor, time, from, to, comment, assignees) in the same transaction,
 * - bumps `version` and `rev` (trigger), so the caller publishes it as an `incidents` `status`
 *   event after the commit.
 */
import { z } from 'zod';
import {
	ASSIGNEE_KINDS,
	CASE_ACTIONS,
	CASE_TRANSITIONS,
	INCIDENT_STATUSES,
	type CaseAction,
	type CaseTransition,
	type IncidentStatus
} from '$lib/domain/incidents';
import type { Alert, Assignee, AssigneeInput, AuditEntry, CaseDetail } from '$lib/domain/live';
import { recordAudit, toActor, type AuditActor } from '../audit/audit';
import type { Db, Queryable } from '../db/types';
import { ApiError } from '../http/errors';
import { ALERT_COLUMNS } from '../alerts/alerts';
import { CASE_COLUMNS, DEADLINE_SQL, type CaseRecord } from './records';

export { CASE_TRANSITIONS };

/** The transitions allowed from a status, in table order. */
export function allowedFrom(status: IncidentStatus): CaseTransition[] {
	return CASE_TRANSITIONS.filter((t) => t.from === status);
}

/** The forward step from a status (the one the simulator takes), or null when closed. */
export function forwardAction(status: IncidentStatus): CaseTransition | null {
	return (
		allowedFrom(status).find(
			(t) => INCIDENT_STATUSES.indexOf(t.to) > INCIDENT_STATUSES.indexOf(t.from)
		) ?? null
	);
}

const describe = (list: CaseTransition[]) =>
	list.length ? list.map((t) => `${t.action} → ${t.to}`).join(', ') : 'none (the case is closed)';

/** The transition `action` (to `to`, if given) from `status`, or a 409 saying what is allowed. */
export function findTransition(
	id: number,
	status: IncidentStatus,
	action: CaseAction,
	to?: IncidentStatus
): CaseTransition {
	const allowed = allowedFrom(status);
	const found = allowed.find((t) => t.action === action && (to === undefined || t.to === to));
	if (found) return found;
	throw new ApiError(
		409,
		`Incident ${id} is "${status}": "${action}"${to ? ` to "${to}"` : ''} is not allowed from there. Allowed: ${describe(allowed)}.`,
		'action',
		[],
		{ currentStatus: status, allowed: allowed.map((t) => ({ action: t.action, to: t.to })) }
	);
}

export interface TransitionInput {
	action: CaseAction;
	to?: IncidentStatus;
	assignees: AssigneeInput[];
	comment: string;
	/** Who acts: the signed-in user (never from the request body), or a name in tests. */
	actor: AuditActor | string;
	version: number;
}

const list = (values: readonly string[]) => values.join(', ');

export const assigneeSchema = z.strictObject({
	kind: z.enum(ASSIGNEE_KINDS, { error: `must be one of: ${list(ASSIGNEE_KINDS)}` }),
	name: z.string({ error: 'must be text' }).trim().min(1, { error: 'is required' }).max(200),
	unitId: z.string({ error: 'must be a patrol unit id' }).max(64).nullable().optional()
});

export const versionSchema = z
	.number({ error: 'must be the version of the incident you saw (an integer)' })
	.int({ error: 'must be an integer' })
	.min(1, { error: 'must be at least 1' })
	// The database column is a 32-bit integer: nothing larger was ever a version.
	.max(2 ** 31 - 1, { error: 'must be the version of the incident you saw (too large)' });

const transitionSchema = z.strictObject({
	action: z.enum(CASE_ACTIONS, { error: `must be one of: ${list(CASE_ACTIONS)}` }),
	to: z.enum(INCIDENT_STATUSES, { error: `must be one of: ${list(INCIDENT_STATUSES)}` }).optional(),
	assignees: z.array(assigneeSchema).max(20, { error: 'at most 20 assignees' }).optional(),
	comment: z.string({ error: 'must be text' }).max(2000).optional(),
	version: versionSchema
});

/** zod issues → ApiError 422 naming the first field (as validate.ts does). */
export function zodError(error: z.ZodError, value: unknown): ApiError {
	const issue = error.issues[0];
	if (issue.code === 'unrecognized_keys') {
		const field = [...issue.path, issue.keys[0]].join('.');
		return new ApiError(422, `${field}: unknown field`, field);
	}
	const field = issue.path.map(String).join('.') || null;
	const missing =
		issue.path.length === 1 &&
		typeof value === 'object' &&
		value !== null &&
		!(issue.path[0] in value);
	return new ApiError(
		422,
		`${field ?? 'The body'}: ${missing ? 'is required' : issue.message}`,
		field
	);
}

/**
 * Validates a transition body; throws 422 `{ message, field }`. The actor is the signed-in
 * user: a body naming one (`actor`) is refused as an unknown field.
 */
export function validateTransition(body: unknown, actor: AuditActor | string): TransitionInput {
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		throw new ApiError(422, 'The body must be an object such as {"action":"register",…}.');
	const parsed = transitionSchema.safeParse(body);
	if (!parsed.success) throw zodError(parsed.error, body);
	const v = parsed.data;
	return {
		action: v.action,
		to: v.to,
		assignees: (v.assignees ?? []).map((a) => ({ ...a, unitId: a.unitId ?? null })),
		comment: (v.comment ?? '').trim(),
		actor,
		version: v.version
	};
}

const AUDIT_COLUMNS = `e.id, (extract(epoch FROM e.at) * 1000)::float8 AS at, e.actor, e.action,
	e.from_status AS "from", e.to_status AS "to", e.comment, e.assignees, e.version`;

export async function loadCase(q: Queryable, id: number, lock = false): Promise<CaseRecord> {
	const [row] = await q.query<CaseRecord>(
		`SELECT ${CASE_COLUMNS} FROM incident i WHERE i.id = $1${lock ? ' FOR UPDATE' : ''}`,
		[id]
	);
	if (!row) throw new ApiError(404, `There is no incident ${id}.`, 'id');
	return row;
}

export async function auditTrail(
	q: Queryable,
	id: number,
	afterVersion = 0
): Promise<AuditEntry[]> {
	return q.query<AuditEntry>(
		`SELECT ${AUDIT_COLUMNS} FROM incident_event e
		 WHERE e.incident_id = $1 AND e.version > $2 ORDER BY e.id`,
		[id, afterVersion]
	);
}

export type { CaseDetail };

/** GET /api/incidents/{id}: the case with its trail, assignees, linked repeats and alerts. */
export async function caseDetail(q: Queryable, id: number): Promise<CaseDetail> {
	const record = await loadCase(q, id);
	const [trail, assignees, repeats, alerts] = [
		await auditTrail(q, id),
		await q.query<Assignee>(
			`SELECT a.id, a.kind, a.name, a.unit_id AS "unitId",
			   (extract(epoch FROM a.assigned_at) * 1000)::float8 AS "assignedAt",
			   (extract(epoch FROM a.released_at) * 1000)::float8 AS "releasedAt"
			 FROM incident_assignee a WHERE a.incident_id = $1 ORDER BY a.id`,
			[id]
		),
		record.repeatGroup === null
			? []
			: await q.query<CaseRecord>(
					`SELECT ${CASE_COLUMNS} FROM incident i
					 WHERE i.repeat_group = $1 AND i.id <> $2 ORDER BY i.ts`,
					[record.repeatGroup, id]
				),
		await q.query<Alert>(
			`SELECT ${ALERT_COLUMNS} FROM alert a WHERE a.incident_id = $1 ORDER BY a.id`,
			[id]
		)
	];
	return { ...record, trail, assignees, repeats, alerts };
}

/** The 409 for a stale version: the current record and the audit entries the client missed. */
export async function staleVersion(
	q: Queryable,
	current: CaseRecord,
	seen: number
): Promise<ApiError> {
	return new ApiError(
		409,
		`Incident ${current.id} changed since you saw it (your version ${seen}, now ${current.version}, "${current.status}"). Reload it and decide again.`,
		'version',
		[],
		{ current, changes: await auditTrail(q, current.id, seen) }
	);
}

export interface TransitionResult {
	record: CaseRecord;
	entry: AuditEntry;
	/** Patrol units freed by this transition (closed or sent back): available again. */
	released: string[];
	/** Patrol units now held by the case (dispatch to a patrol unit). */
	held: string[];
}

/**
 * Applies one transition inside `tx` (the caller's transaction): locks the row, checks the
 * version and the table, writes the change, the assignees and the audit entry.
 */
export async function applyTransition(
	tx: Queryable,
	id: number,
	input: TransitionInput,
	at: number = Date.now()
): Promise<TransitionResult> {
	const current = await loadCase(tx, id, true);
	if (current.version !== input.version) throw await staleVersion(tx, current, input.version);
	const t = findTransition(id, current.status, input.action, input.to);
	if (t.needsComment && !input.comment)
		throw new ApiError(422, `comment: "${t.action}" needs a comment saying why.`, 'comment');
	if (t.needsAssignees && input.assignees.length === 0)
		throw new ApiError(
			422,
			'assignees: dispatch needs at least one assignee (the grid worker or departments).',
			'assignees'
		);
	if (!t.needsAssignees && input.assignees.length)
		throw new ApiError(422, `assignees: only "dispatch" takes assignees.`, 'assignees');
	if (t.action === 'supervise' && !current.overdue)
		throw new ApiError(
			409,
			`Incident ${id} is not overdue (deadline ${new Date(current.deadline).toISOString()}); 督办 applies to overdue cases.`,
			'action'
		);

	const held: string[] = [];
	for (const [i, a] of input.assignees.entries()) {
		if (a.kind !== 'patrol_unit') {
			if (a.unitId)
				throw new ApiError(
					422,
					`assignees.${i}.unitId: only for patrol units`,
					`assignees.${i}.unitId`
				);
			continue;
		}
		if (!a.unitId)
			throw new ApiError(
				422,
				`assignees.${i}.unitId: is required for a patrol unit`,
				`assignees.${i}.unitId`
			);
		const [unit] = await tx.query<{ busy: number | null }>(
			'SELECT responding_incident_id AS busy FROM patrol_unit WHERE id = $1 FOR UPDATE',
			[a.unitId]
		);
		if (!unit)
			throw new ApiError(
				422,
				`assignees.${i}.unitId: there is no patrol unit "${a.unitId}"`,
				`assignees.${i}.unitId`
			);
		if (unit.busy !== null && unit.busy !== id)
			throw new ApiError(
				409,
				`Patrol unit ${a.unitId} is responding to incident ${unit.busy}; choose another.`,
				`assignees.${i}.unitId`
			);
		held.push(a.unitId);
	}

	const [record] = await tx.query<CaseRecord>(
		`UPDATE incident AS i SET status = $2,
		   closed_ts = CASE WHEN $2 = 'closed' THEN to_timestamp($3 / 1000.0) END,
		   supervised_at = CASE WHEN $4 THEN to_timestamp($3 / 1000.0) ELSE i.supervised_at END
		 WHERE i.id = $1 RETURNING ${CASE_COLUMNS}`,
		[id, t.to, at, t.action === 'supervise']
	);
	if (input.assignees.length) {
		await tx.query(
			`INSERT INTO incident_assignee (incident_id, kind, name, unit_id, assigned_at)
			 SELECT $1, kind, name, unit_id, to_timestamp($5 / 1000.0)
			 FROM unnest($2::text[], $3::text[], $4::text[]) AS a(kind, name, unit_id)`,
			[
				id,
				input.assignees.map((a) => a.kind),
				input.assignees.map((a) => a.name),
				input.assignees.map((a) => a.unitId ?? null),
				at
			]
		);
	}
	if (held.length)
		await tx.query(
			'UPDATE patrol_unit SET responding_incident_id = $1 WHERE id = ANY($2::text[])',
			[id, held]
		);
	let released: string[] = [];
	// Closing ends every assignment; a send-back to registered undoes the dispatch.
	if (t.to === 'closed' || (t.action === 'send_back' && t.to === 'registered')) {
		await tx.query(
			`UPDATE incident_assignee SET released_at = to_timestamp($2 / 1000.0)
			 WHERE incident_id = $1 AND released_at IS NULL`,
			[id, at]
		);
		const rows = await tx.query<{ id: string }>(
			'UPDATE patrol_unit SET responding_incident_id = NULL WHERE responding_incident_id = $1 RETURNING id',
			[id]
		);
		released = rows.map((r) => r.id);
	}
	const [entry] = await tx.query<AuditEntry>(
		`WITH e AS (
		   INSERT INTO incident_event (incident_id, at, actor, action, from_status, to_status, comment,
		     assignees, version)
		   VALUES ($1, to_timestamp($2 / 1000.0), $3, $4, $5, $6, $7, $8::jsonb, $9)
		   RETURNING *
		 ) SELECT ${AUDIT_COLUMNS} FROM e`,
		[
			id,
			at,
			toActor(input.actor).displayName,
			t.action,
			current.status,
			t.to,
			input.comment,
			JSON.stringify(input.assignees),
			record.version
		]
	);
	await recordAudit(tx, {
		actor: toActor(input.actor),
		action: `case.${t.action}`,
		targetType: 'incident',
		targetId: id,
		before: { status: current.status, version: current.version },
		after: {
			status: record.status,
			version: record.version,
			comment: input.comment,
			assignees: input.assignees,
			released,
			held
		}
	});
	return { record, entry, released, held };
}

/** One transition in its own transaction (see applyTransition). */
export function transition(
	db: Db,
	id: number,
	input: TransitionInput,
	at: number = Date.now()
): Promise<TransitionResult> {
	return db.transaction((tx) => applyTransition(tx, id, input, at));
}

/** Open cases past their deadline, most overdue first (GET /api/incidents?overdue=1). */
export async function listOverdue(q: Queryable, limit = 100): Promise<CaseRecord[]> {
	return q.query<CaseRecord>(
		`SELECT ${CASE_COLUMNS} FROM incident i
		 WHERE i.status <> 'closed' AND ${DEADLINE_SQL} < now()
		 ORDER BY ${DEADLINE_SQL}, i.id LIMIT $1`,
		[limit]
	);
}
