/**
 * User accounts (table `app_user`): demo accounts on first start, admin changes (create, role,
 * disable, reset password), each audited in its own transaction.
 */
import { z } from 'zod';
import { ROLES, type Role, type SessionUser, type UserRecord } from '$lib/domain/auth';
import { recordAudit, type AuditActor } from '../audit/audit';
import type { Db, Queryable } from '../db/types';
import { ApiError } from '../http/errors';
import { zodError } from '../incidents/lifecycle';
import { hashPassword, passwordProblem, verifyPassword } from './password';

export type { UserRecord };

export const USER_COLUMNS = `u.id, u.username, u.display_name AS "displayName", u.role, u.disabled,
	(extract(epoch FROM u.created_at) * 1000)::float8 AS "createdAt",
	(extract(epoch FROM u.updated_at) * 1000)::float8 AS "updatedAt"`;

/**
 * The demo accounts created on first start (README.md lists them). A production start
 * (ONEMAP_ENV=production) refuses to run while any of them still has this password.
 */
export const DEMO_USERS: { username: string; displayName: string; role: Role; password: string }[] =
	[
		{ username: 'admin', displayName: '系统管理员', role: 'admin', password: 'onemap-admin' },
		{ username: 'officer', displayName: '王值班', role: 'officer', password: 'onemap-officer' },
		{ username: 'planner', displayName: '李规划', role: 'planner', password: 'onemap-planner' }
	];

export function sessionUser(
	u: Pick<UserRecord, 'id' | 'username' | 'displayName' | 'role'>
): SessionUser {
	return { id: String(u.id), username: u.username, displayName: u.displayName, role: u.role };
}

/** Creates the demo accounts when there are no users at all; returns the names created. */
export async function ensureDemoUsers(db: Db): Promise<string[]> {
	const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM app_user');
	if (n > 0) return [];
	const hashes = await Promise.all(DEMO_USERS.map((u) => hashPassword(u.password)));
	return db.transaction(async (tx) => {
		const created: string[] = [];
		for (const [i, u] of DEMO_USERS.entries()) {
			const rows = await tx.query<UserRecord>(
				`INSERT INTO app_user AS u (username, display_name, role, password_hash)
				 VALUES ($1, $2, $3, $4) ON CONFLICT (username) DO NOTHING RETURNING ${USER_COLUMNS}`,
				[u.username, u.displayName, u.role, hashes[i]]
			);
			if (!rows.length) continue;
			created.push(u.username);
			await recordAudit(tx, {
				actor: { id: 'system:start', displayName: 'system', role: null },
				action: 'user.create',
				targetType: 'user',
				targetId: rows[0].id,
				after: { ...rows[0], demo: true }
			});
		}
		return created;
	});
}

/** Accounts (not disabled) whose password is still the documented demo password. */
export async function accountsWithDemoPasswords(q: Queryable): Promise<string[]> {
	const found: string[] = [];
	for (const demo of DEMO_USERS) {
		const [row] = await q.query<{ hash: string }>(
			'SELECT password_hash AS hash FROM app_user WHERE username = $1 AND NOT disabled',
			[demo.username]
		);
		if (row && (await verifyPassword(demo.password, row.hash))) found.push(demo.username);
	}
	return found;
}

export async function listUsers(q: Queryable): Promise<UserRecord[]> {
	return q.query<UserRecord>(`SELECT ${USER_COLUMNS} FROM app_user u ORDER BY u.id`);
}

async function loadUser(q: Queryable, id: number, lock = false): Promise<UserRecord> {
	const [row] = await q.query<UserRecord>(
		`SELECT ${USER_COLUMNS} FROM app_user u WHERE u.id = $1${lock ? ' FOR UPDATE' : ''}`,
		[id]
	);
	if (!row) throw new ApiError(404, `There is no user ${id}.`, 'id');
	return row;
}

const password = z.string({ error: 'must be text' }).superRefine((v, ctx) => {
	const problem = passwordProblem(v);
	if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const displayName = z
	.string({ error: 'must be text' })
	.trim()
	.min(1, { error: 'is required' })
	.max(60, { error: 'must be at most 60 characters' });
const role = z.enum(ROLES, { error: `must be one of: ${ROLES.join(', ')}` });

const createSchema = z.strictObject({
	username: z.string({ error: 'must be text' }).regex(/^[a-z0-9][a-z0-9._-]{1,31}$/, {
		error: '2–32 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit'
	}),
	displayName,
	role,
	password
});

const updateSchema = z.strictObject({
	displayName: displayName.optional(),
	role: role.optional(),
	disabled: z.boolean({ error: 'must be true or false' }).optional(),
	password: password.optional()
});

export type NewUser = z.infer<typeof createSchema>;
export type UserChange = z.infer<typeof updateSchema>;

function parse<T>(schema: z.ZodType<T>, body: unknown, example: string): T {
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		throw new ApiError(422, `The body must be an object such as ${example}.`);
	const parsed = schema.safeParse(body);
	if (!parsed.success) throw zodError(parsed.error, body);
	return parsed.data;
}

export const validateNewUser = (body: unknown) =>
	parse(
		createSchema,
		body,
		'{"username":"zhang","displayName":"张三","role":"officer","password":"…"}'
	);

export function validateUserChange(body: unknown): UserChange {
	const change = parse(updateSchema, body, '{"role":"planner"} or {"disabled":true}');
	if (Object.keys(change).length === 0)
		throw new ApiError(422, 'Nothing to change: send displayName, role, disabled or password.');
	return change;
}

export async function createUser(db: Db, input: NewUser, actor: AuditActor, ip: string | null) {
	const hash = await hashPassword(input.password);
	return db.transaction(async (tx) => {
		const rows = await tx.query<UserRecord>(
			`INSERT INTO app_user AS u (username, display_name, role, password_hash)
			 VALUES ($1, $2, $3, $4) ON CONFLICT (username) DO NOTHING RETURNING ${USER_COLUMNS}`,
			[input.username, input.displayName, input.role, hash]
		);
		if (!rows.length)
			throw new ApiError(
				409,
				`username: "${input.username}" is taken; choose another.`,
				'username'
			);
		await recordAudit(tx, {
			actor,
			action: 'user.create',
			targetType: 'user',
			targetId: rows[0].id,
			after: rows[0],
			ip
		});
		return rows[0];
	});
}

/**
 * Changes a user; disabling or a new password ends their sessions. The last active admin can be
 * neither disabled nor given another role (someone must be able to administer).
 */
export async function updateUser(
	db: Db,
	id: number,
	change: UserChange,
	actor: AuditActor,
	ip: string | null
): Promise<UserRecord> {
	const hash = change.password ? await hashPassword(change.password) : null;
	return db.transaction(async (tx) => {
		const before = await loadUser(tx, id, true);
		const losesAdmin =
			before.role === 'admin' &&
			!before.disabled &&
			(change.disabled === true || (change.role !== undefined && change.role !== 'admin'));
		if (losesAdmin) {
			const [{ n }] = await tx.query<{ n: number }>(
				`SELECT count(*)::int AS n FROM app_user WHERE role = 'admin' AND NOT disabled AND id <> $1`,
				[id]
			);
			if (n === 0)
				throw new ApiError(
					409,
					`${before.username} is the last active admin: make another user admin first.`,
					change.disabled ? 'disabled' : 'role'
				);
		}
		const [after] = await tx.query<UserRecord>(
			`UPDATE app_user AS u SET display_name = coalesce($2, u.display_name),
			   role = coalesce($3, u.role), disabled = coalesce($4, u.disabled),
			   password_hash = coalesce($5, u.password_hash), updated_at = now()
			 WHERE u.id = $1 RETURNING ${USER_COLUMNS}`,
			[id, change.displayName ?? null, change.role ?? null, change.disabled ?? null, hash]
		);
		if (change.disabled || hash || (change.role && change.role !== before.role))
			await tx.query('DELETE FROM user_session WHERE user_id = $1', [id]);
		const action = hash
			? 'user.password'
			: change.disabled !== undefined && change.disabled !== before.disabled
				? change.disabled
					? 'user.disable'
					: 'user.enable'
				: change.role && change.role !== before.role
					? 'user.role'
					: 'user.update';
		await recordAudit(tx, {
			actor,
			action,
			targetType: 'user',
			targetId: id,
			// Never the password or its hash: only that it changed.
			before,
			after: hash ? { ...after, passwordChanged: true } : after,
			ip
		});
		return after;
	});
}

/** The CLI's `set-password`: by user name, audited as the operator at the console. */
export async function setPassword(db: Db, username: string, newPassword: string): Promise<void> {
	const problem = passwordProblem(newPassword);
	if (problem) throw new ApiError(422, `password: ${problem}`, 'password');
	const [row] = await db.query<{ id: number }>('SELECT id FROM app_user WHERE username = $1', [
		username
	]);
	if (!row) throw new ApiError(404, `There is no user "${username}".`, 'username');
	await updateUser(
		db,
		row.id,
		{ password: newPassword },
		{ id: 'system:cli', displayName: 'console (npm run user)', role: null },
		null
	);
}
