/**
 * The sign-in rate limit: after LOGIN_MAX_FAILURES failed sign-ins within LOGIN_WINDOW_MS from
 * one address, or for one user name, further attempts are refused (429 with Retry-After) until
 * the oldest of those failures leaves the window — even with the right password. Failures are
 * kept in the database (table `login_failure`), so a restart does not reset the count.
 */
import type { Queryable } from '../db/types';

/** The default; ONEMAP_LOGIN_MAX_FAILURES changes it (config.ts). */
export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;

/** Seconds until another attempt is allowed, or 0 when it is allowed now. */
export async function loginRetryAfter(
	q: Queryable,
	ip: string,
	username: string,
	now = Date.now(),
	maxFailures = LOGIN_MAX_FAILURES
): Promise<number> {
	const [row] = await q.query<{ ip_oldest: number | null; user_oldest: number | null }>(
		`SELECT
		   (SELECT (extract(epoch FROM at) * 1000)::float8 FROM login_failure
		    WHERE ip = $1 AND at > to_timestamp($3 / 1000.0) ORDER BY at DESC OFFSET $4 - 1 LIMIT 1) AS ip_oldest,
		   (SELECT (extract(epoch FROM at) * 1000)::float8 FROM login_failure
		    WHERE username = $2 AND at > to_timestamp($3 / 1000.0) ORDER BY at DESC OFFSET $4 - 1 LIMIT 1) AS user_oldest`,
		[ip, username, now - LOGIN_WINDOW_MS, maxFailures]
	);
	// The maxFailures-th most recent failure in the window: the limit lifts when it leaves.
	const oldest = Math.max(row.ip_oldest ?? -Infinity, row.user_oldest ?? -Infinity);
	if (!Number.isFinite(oldest)) return 0;
	return Math.max(1, Math.ceil((oldest + LOGIN_WINDOW_MS - now) / 1000));
}

export async function recordLoginFailure(
	q: Queryable,
	ip: string,
	username: string,
	now = Date.now()
): Promise<void> {
	await q.query(
		'INSERT INTO login_failure (at, ip, username) VALUES (to_timestamp($1 / 1000.0), $2, $3)',
		[now, ip, username]
	);
	await q.query('DELETE FROM login_failure WHERE at < to_timestamp($1 / 1000.0)', [
		now - LOGIN_WINDOW_MS
	]);
}

/** A successful sign-in clears that user name's failures (not the address's). */
export async function clearLoginFailures(q: Queryable, username: string): Promise<void> {
	await q.query('DELETE FROM login_failure WHERE username = $1', [username]);
}
