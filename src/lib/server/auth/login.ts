/** Sign-in and sign-out: rate limit, password check, session, audit — one place. */
import { z } from 'zod';
import type { SessionUser } from '$lib/domain/auth';
import { recordAudit } from '../audit/audit';
import type { Db } from '../db/types';
import { ApiError } from '../http/errors';
import { zodError } from '../incidents/lifecycle';
import { dummyHash, verifyPassword } from './password';
import { LOGIN_MAX_FAILURES, clearLoginFailures, reserveLoginAttempt } from './rateLimit';
import { createSession, deleteSession, type NewSession } from './sessions';
import { sessionUser, type UserRecord } from './users';

const schema = z.strictObject({
	username: z
		.string({ error: 'must be text' })
		.trim()
		.toLowerCase()
		.min(1, { error: 'is required' })
		.max(64),
	password: z.string({ error: 'must be text' }).min(1, { error: 'is required' }).max(200)
});

export function validateLogin(body: unknown): { username: string; password: string } {
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		throw new ApiError(
			422,
			'The body must be an object such as {"username":"officer","password":"…"}.'
		);
	const parsed = schema.safeParse(body);
	if (!parsed.success) throw zodError(parsed.error, body);
	return parsed.data;
}

export interface ClientMeta {
	ip: string;
	userAgent: string | null;
}

/**
 * Checks the rate limit and the password; on success creates a session. The attempt is counted
 * as a failure before the password is checked (rateLimit.ts: check and count are one step, so
 * parallel guesses cannot slip past the limit) and the count taken back on success. Failures are
 * audited; the answer never says whether the user name exists.
 */
export async function signIn(
	db: Db,
	input: { username: string; password: string },
	meta: ClientMeta,
	now = Date.now(),
	maxFailures = LOGIN_MAX_FAILURES
): Promise<{ user: SessionUser; session: NewSession }> {
	const retryAfter = await reserveLoginAttempt(db, meta.ip, input.username, now, maxFailures);
	if (retryAfter > 0) {
		const minutes = Math.ceil(retryAfter / 60);
		throw new ApiError(
			429,
			`Too many failed sign-ins: try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
			null,
			[],
			{ retryAfter, code: 'rate_limited' }
		);
	}
	const [row] = await db.query<UserRecord & { hash: string }>(
		`SELECT id, username, display_name AS "displayName", role, disabled, password_hash AS hash
		 FROM app_user WHERE username = $1`,
		[input.username]
	);
	// The same scrypt work whether or not the user exists.
	const ok = await verifyPassword(input.password, row?.hash ?? (await dummyHash()));
	if (!row || !ok || row.disabled) {
		// Already counted by reserveLoginAttempt.
		await db.transaction(async (tx) => {
			await recordAudit(tx, {
				actor: { id: 'anonymous', displayName: input.username, role: null },
				action: 'session.login_failed',
				targetType: 'user',
				targetId: row?.id ?? null,
				after: { username: input.username, reason: !row || !ok ? 'bad credentials' : 'disabled' },
				ip: meta.ip
			});
		});
		throw new ApiError(
			401,
			row?.disabled && ok
				? 'This account is disabled; ask an administrator.'
				: 'Wrong user name or password.',
			'password',
			[],
			{ code: 'bad_credentials' }
		);
	}
	const user = sessionUser(row);
	return db.transaction(async (tx) => {
		await clearLoginFailures(tx, input.username);
		const session = await createSession(tx, row.id, meta, now);
		await recordAudit(tx, {
			actor: user,
			action: 'session.login',
			targetType: 'user',
			targetId: row.id,
			after: { expiresAt: session.expiresAt, userAgent: meta.userAgent?.slice(0, 200) ?? null },
			ip: meta.ip
		});
		return { user, session };
	});
}

/** Deletes the session (if any) and audits the sign-out. */
export async function signOut(
	db: Db,
	token: string | undefined,
	user: SessionUser | null,
	ip: string
): Promise<boolean> {
	return db.transaction(async (tx) => {
		const userId = await deleteSession(tx, token);
		if (userId === null || !user) return false;
		await recordAudit(tx, {
			actor: user,
			action: 'session.logout',
			targetType: 'user',
			targetId: userId,
			ip
		});
		return true;
	});
}
