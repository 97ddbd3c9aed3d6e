/**
 * The audit log (table `audit_log`): who did what, when, to which object, with the state before
 * and after. `recordAudit` is called with the transaction of the write it records, so a change
 * and its entry commit or roll back together. Admins read it through GET /api/audit.
 */
import type { AuditRecord, Role } from '$lib/domain/auth';

export type { AuditRecord };
import type { Queryable } from '../db/types';

/** Who acts: a signed-in user or device (App.Locals.user), or the server itself. */
export interface AuditActor {
	/** User id, `device:<id>`, or `system:<what>`. */
	id: string;
	displayName: string;
	role: Role | null;
	/** The client's address, when acting over HTTP. */
	ip?: string | null;
}

/**
 * An actor from a name alone (tests, scripts): not a signed-in user. Route handlers pass
 * `locals.user` (auth/request.ts: auditActor).
 */
export function namedActor(name: string): AuditActor {
	return { id: `name:${name}`, displayName: name, role: null };
}

export const toActor = (a: AuditActor | string): AuditActor =>
	typeof a === 'string' ? namedActor(a) : a;

/** The demo simulator's writes (intake, case steps). */
export const SIMULATOR_ACTOR: AuditActor = {
	id: 'system:simulator',
	displayName: 'simulator',
	role: null
};

export interface AuditInput {
	actor: AuditActor;
	/** Dotted verb, e.g. `incident.intake`, `case.dispatch`, `user.create`, `session.login`. */
	action: string;
	/** What was acted on, e.g. `incident`, `alert`, `user`, `device`, `wall`, `plan`. */
	targetType: string;
	targetId?: string | number | null;
	before?: unknown;
	after?: unknown;
	/** The client's address, when known. */
	ip?: string | null;
}

const COLUMNS = `a.id, (extract(epoch FROM a.at) * 1000)::float8 AS at, a.actor,
	a.actor_id AS "actorId", a.actor_role AS "actorRole", a.action, a.target_type AS "targetType",
	a.target_id AS "targetId", a.before, a.after, a.ip`;

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

/** Writes one entry inside `tx` (the caller's transaction). */
export async function recordAudit(tx: Queryable, entry: AuditInput): Promise<AuditRecord> {
	const [row] = await tx.query<AuditRecord>(
		`WITH a AS (
		   INSERT INTO audit_log (actor, actor_id, actor_role, action, target_type, target_id, before, after, ip)
		   VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9) RETURNING *
		 ) SELECT ${COLUMNS} FROM a`,
		[
			entry.actor.displayName,
			entry.actor.id,
			entry.actor.role,
			entry.action,
			entry.targetType,
			entry.targetId === undefined || entry.targetId === null ? null : String(entry.targetId),
			json(entry.before),
			json(entry.after),
			entry.ip ?? entry.actor.ip ?? null
		]
	);
	return row;
}

export interface AuditFilter {
	actor?: string;
	action?: string;
	targetType?: string;
	targetId?: string;
	/** Epoch ms, inclusive. */
	from?: number;
	/** Epoch ms, exclusive. */
	to?: number;
	/** Entries with a smaller id (paging: the last id of the previous page). */
	before?: number;
	limit: number;
}

/** Newest first. `action` matches a prefix ("case." → every case step). */
export async function listAudit(q: Queryable, f: AuditFilter): Promise<AuditRecord[]> {
	const where: string[] = [];
	const params: unknown[] = [];
	const add = (sql: string, value: unknown) => {
		params.push(value);
		where.push(sql.replaceAll('?', `$${params.length}`));
	};
	if (f.actor) add('(a.actor = ? OR a.actor_id = ?)', f.actor);
	if (f.action) add(`a.action LIKE ? || '%'`, f.action.replace(/[%_\\]/g, '\\$&'));
	if (f.targetType) add('a.target_type = ?', f.targetType);
	if (f.targetId) add('a.target_id = ?', f.targetId);
	if (f.from !== undefined) add('a.at >= to_timestamp(? / 1000.0)', f.from);
	if (f.to !== undefined) add('a.at < to_timestamp(? / 1000.0)', f.to);
	if (f.before !== undefined) add('a.id < ?', f.before);
	params.push(f.limit);
	const sql = `SELECT ${COLUMNS} FROM audit_log a
		${where.length ? 'WHERE ' + where.join(' AND ') : ''}
		ORDER BY a.id DESC LIMIT $${params.length}`;
	return q.query<AuditRecord>(sql, params);
}
