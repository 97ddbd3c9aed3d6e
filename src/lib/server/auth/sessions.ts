/**
 * Browser sessions (table `user_session`): a random 32-byte token in an HttpOnly cookie, only
 * its SHA-256 in the database. A session lives SESSION_TTL_MS after its last refresh; a request
 * in the second half of that extends it (sliding expiry). Sign-out deletes it.
 */
import type { SessionUser } from '$lib/domain/auth';
import type { Queryable } from '../db/types';
import { hashToken, isTokenShaped, newToken } from './tokens';
import { sessionUser, type UserRecord } from './users';

export const SESSION_COOKIE = 'onemap_session';
export const DEVICE_COOKIE = 'onemap_device';
/** 12 hours: one shift. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface NewSession {
	token: string;
	expiresAt: number;
}

export async function createSession(
	q: Queryable,
	userId: number,
	meta: { ip: string | null; userAgent: string | null },
	now = Date.now()
): Promise<NewSession> {
	const token = newToken();
	const expiresAt = now + SESSION_TTL_MS;
	await q.query(
		`INSERT INTO user_session (token_hash, user_id, created_at, expires_at, ip, user_agent)
		 VALUES ($1, $2, to_timestamp($3 / 1000.0), to_timestamp($4 / 1000.0), $5, $6)`,
		[hashToken(token), userId, now, expiresAt, meta.ip, meta.userAgent?.slice(0, 300) ?? null]
	);
	// Expired sessions of anyone are cleared now and then, here rather than by a timer.
	await q.query('DELETE FROM user_session WHERE expires_at < to_timestamp($1 / 1000.0)', [now]);
	return { token, expiresAt };
}

export interface ActiveSession {
	user: SessionUser;
	/** Set when the expiry moved: the cookie must be sent again with it. */
	refreshedUntil: number | null;
}

/** The signed-in user of a session token, or null (unknown, expired, user disabled). */
export async function lookupSession(
	q: Queryable,
	token: string | undefined,
	now = Date.now()
): Promise<ActiveSession | null> {
	if (!isTokenShaped(token)) return null;
	const hash = hashToken(token);
	const [row] = await q.query<UserRecord & { expiresAt: number }>(
		`SELECT u.id, u.username, u.display_name AS "displayName", u.role,
		   (extract(epoch FROM s.expires_at) * 1000)::float8 AS "expiresAt"
		 FROM user_session s JOIN app_user u ON u.id = s.user_id
		 WHERE s.token_hash = $1 AND s.expires_at > to_timestamp($2 / 1000.0) AND NOT u.disabled`,
		[hash, now]
	);
	if (!row) return null;
	let refreshedUntil: number | null = null;
	if (row.expiresAt - now < SESSION_TTL_MS / 2) {
		refreshedUntil = now + SESSION_TTL_MS;
		await q.query(
			'UPDATE user_session SET expires_at = to_timestamp($2 / 1000.0) WHERE token_hash = $1',
			[hash, refreshedUntil]
		);
	}
	return { user: sessionUser(row), refreshedUntil };
}

/** Deletes a session; returns its user id (null when there was none). */
export async function deleteSession(
	q: Queryable,
	token: string | undefined
): Promise<number | null> {
	if (!isTokenShaped(token)) return null;
	const rows = await q.query<{ user_id: number }>(
		'DELETE FROM user_session WHERE token_hash = $1 RETURNING user_id',
		[hashToken(token)]
	);
	return rows[0]?.user_id ?? null;
}
