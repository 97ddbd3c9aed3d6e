/**
 * The sign-in rate limit: after LOGIN_MAX_FAILURES failed sign-ins within LOGIN_WINDOW_MS from
 * one address, or for one user name, further attempts are refused (429 with Retry-After) until
 * the oldest of those failures leaves the window — even with the right password. Failures are
 * kept in the database (table `login_failure`), so a restart does not reset the count.
 *
 * Check and count are one step (`reserveLoginAttempt`): every attempt is first written down as a
 * failure, under a lock on its address and user name, and only then is the password checked; a
 * success takes it back. So 40 simultaneous wrong passwords get 5 password checks, not 14.
 */
import type { Db, Queryable } from '../db/types';

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

/** Advisory-lock class of the sign-in limit (the second key is the hash of an address or name). */
const LOGIN_LOCK_CLASS = 0x4f4d4c; // "OML"

/**
 * Reserves one sign-in attempt: under a transaction lock on the address and the user name (the
 * same on PGlite and PostgreSQL), either counts it as a failure now (→ 0; a success clears it
 * with clearLoginFailures) or refuses it (→ seconds until the next attempt is allowed).
 */
export async function reserveLoginAttempt(
	db: Db,
	ip: string,
	username: string,
	now = Date.now(),
	maxFailures = LOGIN_MAX_FAILURES
): Promise<number> {
	return db.transaction(async (tx) => {
		// Locks in a fixed order (by hash), so two attempts never wait on each other's second lock.
		await tx.query(
			`SELECT pg_advisory_xact_lock($1, h)
			 FROM (SELECT hashtext('ip:' || $2) AS h UNION SELECT hashtext('user:' || $3)) AS k
			 ORDER BY h`,
			[LOGIN_LOCK_CLASS, ip, username]
		);
		const wait = await loginRetryAfter(tx, ip, username, now, maxFailures);
		if (wait === 0) await recordLoginFailure(tx, ip, username, now);
		return wait;
	});
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
