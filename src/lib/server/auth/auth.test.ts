/**
 * Sign-in, sessions, device tokens, the rate limit, user administration and the audit log,
 * against a real database (PGlite, or PostgreSQL with DATABASE_URL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '$lib/domain/auth';
import { listAudit, type AuditActor } from '../audit/audit';
import { ackAlert } from '../alerts/alerts';
import { loadCity } from '../city/load';
import type { Db } from '../db/types';
import { ApiError } from '../http/errors';
import { intake } from '../incidents/intake';
import { transition } from '../incidents/lifecycle';
import { validateIntake } from '../incidents/validate';
import { openTestDb } from '../testing/db';
import { fixtureCity } from '../testing/fixtureCity';
import { issueDevice, lookupDevice, revokeDevice, validateNewDevice } from './devices';
import { signIn, signOut, validateLogin } from './login';
import { hashPassword, verifyPassword } from './password';
import { LOGIN_MAX_FAILURES, LOGIN_WINDOW_MS, loginRetryAfter } from './rateLimit';
import { SESSION_TTL_MS, createSession, deleteSession, lookupSession } from './sessions';
import { hashToken, newToken } from './tokens';
import {
	DEMO_USERS,
	accountsWithDemoPasswords,
	createUser,
	ensureDemoUsers,
	listUsers,
	setPassword,
	updateUser,
	validateNewUser,
	validateUserChange
} from './users';

let db: Db;
let admin: AuditActor;
beforeAll(async () => {
	db = await openTestDb();
	await db.transaction((tx) => loadCity(tx, fixtureCity()));
	expect(await ensureDemoUsers(db)).toEqual(['admin', 'officer', 'planner']);
	const a = (await listUsers(db)).find((u) => u.username === 'admin')!;
	admin = { id: String(a.id), displayName: a.displayName, role: 'admin', ip: '10.0.0.1' };
}, 120_000);
afterAll(() => db?.close());

async function rejection(p: Promise<unknown>): Promise<ApiError> {
	try {
		await p;
	} catch (err) {
		expect(err).toBeInstanceOf(ApiError);
		return err as ApiError;
	}
	throw new Error('expected a rejection');
}

let ipCounter = 0;
/** A fresh client address per test, so rate-limit counts do not leak between tests. */
const freshIp = () => `192.0.2.${++ipCounter}`;

describe('passwords', () => {
	it('hashes with scrypt and a per-password salt, and verifies in constant time', async () => {
		const a = await hashPassword('correct horse battery');
		const b = await hashPassword('correct horse battery');
		expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
		expect(a).not.toBe(b); // different salts
		expect(await verifyPassword('correct horse battery', a)).toBe(true);
		expect(await verifyPassword('correct horse batterY', a)).toBe(false);
		expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
	});

	it('keeps only a hash of session and device tokens', () => {
		const t = newToken();
		expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(hashToken(t)).toMatch(/^[0-9a-f]{64}$/);
		expect(newToken()).not.toBe(t);
	});
});

describe('demo accounts', () => {
	it('creates one per role on first start, once, and reports which still have demo passwords', async () => {
		expect(await ensureDemoUsers(db)).toEqual([]);
		const users = await listUsers(db);
		for (const d of DEMO_USERS)
			expect(users.find((u) => u.username === d.username)).toMatchObject({ role: d.role });
		expect(await accountsWithDemoPasswords(db)).toEqual(['admin', 'officer', 'planner']);
		const planner = await db.query<{ password_hash: string }>(
			`SELECT password_hash FROM app_user WHERE username = 'planner'`
		);
		expect(planner[0].password_hash).not.toContain('onemap-planner');
	});
});

describe('sessions', () => {
	it('signs in, finds the user by the cookie token, refreshes late in its life, and signs out', async () => {
		const ip = freshIp();
		const { user, session } = await signIn(
			db,
			{ username: 'officer', password: 'onemap-officer' },
			{ ip, userAgent: 'vitest' }
		);
		expect(user).toMatchObject({ username: 'officer', role: 'officer', displayName: '王值班' });
		const stored = await db.query<{ token_hash: string }>(
			'SELECT token_hash FROM user_session WHERE token_hash = $1',
			[hashToken(session.token)]
		);
		expect(stored).toHaveLength(1);
		expect(
			await db.query('SELECT 1 FROM user_session WHERE token_hash = $1', [session.token])
		).toEqual([]);

		const now = Date.now();
		const fresh = await lookupSession(db, session.token, now);
		expect(fresh).toEqual({ user, refreshedUntil: null });
		// Past half its life: the expiry slides on.
		const late = now + SESSION_TTL_MS * 0.75;
		const slid = await lookupSession(db, session.token, late);
		expect(slid?.refreshedUntil).toBe(late + SESSION_TTL_MS);
		// Past the (new) expiry: gone.
		expect(await lookupSession(db, session.token, late + SESSION_TTL_MS + 1)).toBeNull();
		expect(await lookupSession(db, session.token, now)).not.toBeNull();
		// Forged and malformed tokens find nothing.
		expect(await lookupSession(db, newToken())).toBeNull();
		expect(await lookupSession(db, "' OR 1=1 --")).toBeNull();

		expect(await signOut(db, session.token, user, ip)).toBe(true);
		expect(await lookupSession(db, session.token)).toBeNull();
		const [entry] = await listAudit(db, { action: 'session.logout', limit: 1 });
		expect(entry).toMatchObject({ actor: '王值班', targetType: 'user', ip });
	});

	it('ends when the user is disabled', async () => {
		const u = await createUser(
			db,
			validateNewUser({
				username: 'temp1',
				displayName: '临时',
				role: 'officer',
				password: 'temporary-pass'
			}),
			admin,
			'10.0.0.1'
		);
		const s = await createSession(db, u.id, { ip: '1.1.1.1', userAgent: null });
		expect(await lookupSession(db, s.token)).not.toBeNull();
		await updateUser(db, u.id, { disabled: true }, admin, null);
		expect(await lookupSession(db, s.token)).toBeNull();
		const err = await rejection(
			signIn(
				db,
				{ username: 'temp1', password: 'temporary-pass' },
				{ ip: freshIp(), userAgent: null }
			)
		);
		expect(err.status).toBe(401);
		expect(err.message).toMatch(/disabled/);
	});

	it('validates the sign-in body', () => {
		expect(validateLogin({ username: ' Officer ', password: 'x' })).toEqual({
			username: 'officer',
			password: 'x'
		});
		for (const body of [
			null,
			[],
			{},
			{ username: 'a' },
			{ username: 'a', password: 1 },
			{ username: 'a', password: 'b', role: 'admin' }
		])
			expect(() => validateLogin(body)).toThrow(ApiError);
	});
});

describe('the sign-in rate limit', () => {
	it(`refuses with 429 and Retry-After after ${LOGIN_MAX_FAILURES} failures from one address, even with the right password`, async () => {
		const ip = freshIp();
		for (let i = 0; i < LOGIN_MAX_FAILURES; i++) {
			const err = await rejection(
				signIn(db, { username: 'nobody' + i, password: 'wrong' }, { ip, userAgent: null })
			);
			expect(err.status).toBe(401);
			expect(err.message).toBe('Wrong user name or password.');
		}
		const limited = await rejection(
			signIn(db, { username: 'officer', password: 'onemap-officer' }, { ip, userAgent: null })
		);
		expect(limited.status).toBe(429);
		expect(limited.details.retryAfter).toBeGreaterThan(LOGIN_WINDOW_MS / 1000 - 60);
		expect(limited.message).toMatch(/try again in 15 minutes/);
		// Another address is not affected…
		await signIn(
			db,
			{ username: 'officer', password: 'onemap-officer' },
			{ ip: freshIp(), userAgent: null }
		);
		// …and the window passes.
		expect(await loginRetryAfter(db, ip, 'officer', Date.now() + LOGIN_WINDOW_MS + 1000)).toBe(0);
		// Every failure is in the audit log.
		const failed = await listAudit(db, { action: 'session.login_failed', limit: 100 });
		expect(failed.filter((e) => e.ip === ip)).toHaveLength(LOGIN_MAX_FAILURES);
	});

	it('holds when the wrong passwords arrive all at once (check and count are one step)', async () => {
		const ip = freshIp();
		const answers = await Promise.all(
			Array.from({ length: 40 }, (_, i) =>
				rejection(
					signIn(db, { username: 'parallel', password: 'guess' + i }, { ip, userAgent: null })
				)
			)
		);
		const statuses = answers.map((e) => e.status);
		// Exactly LOGIN_MAX_FAILURES passwords were checked; every other attempt was refused.
		expect(statuses.filter((s) => s === 401)).toHaveLength(LOGIN_MAX_FAILURES);
		expect(statuses.filter((s) => s === 429)).toHaveLength(40 - LOGIN_MAX_FAILURES);
		const failed = await listAudit(db, { action: 'session.login_failed', limit: 100 });
		expect(failed.filter((e) => e.ip === ip)).toHaveLength(LOGIN_MAX_FAILURES);
	});

	it('takes its limit from the configuration (ONEMAP_LOGIN_MAX_FAILURES)', async () => {
		const ip = freshIp();
		for (let i = 0; i < 2; i++)
			await rejection(
				signIn(db, { username: 'x' + i, password: 'y' }, { ip, userAgent: null }, Date.now(), 2)
			);
		const err = await rejection(
			signIn(
				db,
				{ username: 'officer', password: 'onemap-officer' },
				{ ip, userAgent: null },
				Date.now(),
				2
			)
		);
		expect(err.status).toBe(429);
	});

	it('limits one user name across addresses, and a success clears that name', async () => {
		await createUser(
			db,
			validateNewUser({
				username: 'target',
				displayName: '目标',
				role: 'planner',
				password: 'target-password'
			}),
			admin,
			null
		);
		for (let i = 0; i < LOGIN_MAX_FAILURES - 1; i++)
			await rejection(
				signIn(
					db,
					{ username: 'target', password: 'guess' + i },
					{ ip: freshIp(), userAgent: null }
				)
			);
		// One below the limit: the right password still works and clears the count.
		await signIn(
			db,
			{ username: 'target', password: 'target-password' },
			{ ip: freshIp(), userAgent: null }
		);
		for (let i = 0; i < LOGIN_MAX_FAILURES; i++)
			await rejection(
				signIn(
					db,
					{ username: 'target', password: 'guess' + i },
					{ ip: freshIp(), userAgent: null }
				)
			);
		const err = await rejection(
			signIn(
				db,
				{ username: 'target', password: 'target-password' },
				{ ip: freshIp(), userAgent: null }
			)
		);
		expect(err.status).toBe(429);
	});
});

describe('device tokens', () => {
	it('issues a wall token (hash stored), finds it, and revokes it for good', async () => {
		const { device, token } = await issueDevice(
			db,
			validateNewDevice({ name: '指挥大厅大屏' }),
			admin,
			null
		);
		expect(device).toMatchObject({ name: '指挥大厅大屏', role: 'wall', revokedAt: null });
		const rows = await db.query<{ token_hash: string }>(
			'SELECT token_hash FROM device_token WHERE id = $1',
			[device.id]
		);
		expect(rows[0].token_hash).toBe(hashToken(token));
		const found = await lookupDevice(db, token);
		expect(found).toEqual({
			state: 'active',
			user: {
				id: `device:${device.id}`,
				username: `device-${device.id}`,
				displayName: '指挥大厅大屏',
				role: 'wall'
			} satisfies SessionUser
		});
		const revoked = await revokeDevice(db, device.id, admin, null);
		expect(revoked.revokedAt).not.toBeNull();
		expect(await lookupDevice(db, token)).toEqual({ state: 'revoked', name: '指挥大厅大屏' });
		expect((await rejection(revokeDevice(db, device.id, admin, null))).status).toBe(409);
		expect((await rejection(revokeDevice(db, 999_999, admin, null))).status).toBe(404);
		expect(await lookupDevice(db, newToken())).toEqual({ state: 'unknown' });
		const audit = await listAudit(db, {
			targetType: 'device',
			targetId: String(device.id),
			limit: 10
		});
		expect(audit.map((e) => e.action)).toEqual(['device.revoke', 'device.issue']);
		expect(audit[0].before).toMatchObject({ revokedAt: null });
		expect(audit[0].after).toMatchObject({ revokedBy: admin.displayName });
		expect(JSON.stringify(audit)).not.toContain(token);
	});

	it('carries wall or officer, never planner or admin', () => {
		expect(validateNewDevice({ name: 'GDAL', role: 'officer' })).toEqual({
			name: 'GDAL',
			role: 'officer'
		});
		for (const role of ['admin', 'planner'])
			expect(() => validateNewDevice({ name: 'x', role })).toThrow(/wall.*officer/);
	});
});

describe('user administration', () => {
	it('changes a role with before/after in the audit log, never the password hash', async () => {
		const u = await createUser(
			db,
			validateNewUser({
				username: 'zhang',
				displayName: '张三',
				role: 'officer',
				password: 'zhang-password'
			}),
			admin,
			'10.0.0.1'
		);
		expect(
			(
				await rejection(
					createUser(
						db,
						validateNewUser({
							username: 'zhang',
							displayName: 'x',
							role: 'wall',
							password: 'another-pass'
						}),
						admin,
						null
					)
				)
			).status
		).toBe(409);
		await updateUser(db, u.id, validateUserChange({ role: 'planner' }), admin, '10.0.0.1');
		await updateUser(db, u.id, validateUserChange({ password: 'a-new-password' }), admin, null);
		const entries = await listAudit(db, { targetType: 'user', targetId: String(u.id), limit: 10 });
		expect(entries.map((e) => e.action)).toEqual(['user.password', 'user.role', 'user.create']);
		expect(entries[1]).toMatchObject({
			actor: admin.displayName,
			actorId: admin.id,
			actorRole: 'admin',
			ip: '10.0.0.1',
			before: { role: 'officer' },
			after: { role: 'planner' }
		});
		expect(entries[0].after).toMatchObject({ passwordChanged: true });
		expect(JSON.stringify(entries)).not.toMatch(/scrypt|a-new-password|zhang-password/);
		await signIn(
			db,
			{ username: 'zhang', password: 'a-new-password' },
			{ ip: freshIp(), userAgent: null }
		);
	});

	it('keeps at least one active admin', async () => {
		const a = (await listUsers(db)).find((u) => u.username === 'admin')!;
		expect((await rejection(updateUser(db, a.id, { disabled: true }, admin, null))).status).toBe(
			409
		);
		expect((await rejection(updateUser(db, a.id, { role: 'officer' }, admin, null))).status).toBe(
			409
		);
	});

	it('refuses short passwords and unknown fields', () => {
		expect(() =>
			validateNewUser({ username: 'li', displayName: '李', role: 'officer', password: 'short' })
		).toThrow(/10 characters/);
		expect(() => validateUserChange({})).toThrow(/Nothing to change/);
		expect(() => validateUserChange({ passwordHash: 'x' })).toThrow(/unknown field/);
	});

	it('the console sets a password, so the account no longer counts as a demo one', async () => {
		await setPassword(db, 'planner', 'planner-changed-1');
		expect(await accountsWithDemoPasswords(db)).toEqual(['admin', 'officer']);
		const [entry] = await listAudit(db, { action: 'user.password', actor: 'system:cli', limit: 1 });
		expect(entry.actor).toBe('console (npm run user)');
	});
});

describe('the audit log', () => {
	it('records intake (one entry per request, with the ids), case steps and alert acks in the same transaction', async () => {
		const officer: AuditActor = { id: '2', displayName: '王值班', role: 'officer', ip: '10.1.1.1' };
		const { incidents } = validateIntake([
			{ type: 'dispute', lon: 117.6015, lat: 39.0115 },
			{ type: 'dispute', lon: 117.6033, lat: 39.0115 }
		]);
		const result = await intake(db, incidents, true, officer);
		const [entry] = await listAudit(db, { action: 'incident.intake', limit: 1 });
		expect(entry).toMatchObject({
			actor: '王值班',
			actorId: '2',
			ip: '10.1.1.1',
			after: { count: 2, ids: result.records.map((r) => r.id) }
		});
		const id = result.records[0].id;
		await transition(db, id, {
			action: 'register',
			assignees: [],
			comment: '',
			actor: officer,
			version: 1
		});
		const [step] = await listAudit(db, { action: 'case.', targetId: String(id), limit: 5 });
		expect(step).toMatchObject({
			action: 'case.register',
			targetType: 'incident',
			before: { status: 'reported', version: 1 },
			after: { status: 'registered', version: 2 }
		});
		// A refused step writes nothing: no audit entry either.
		const before = (await listAudit(db, { limit: 1 }))[0].id;
		await rejection(
			transition(db, id, {
				action: 'close',
				assignees: [],
				comment: '',
				actor: officer,
				version: 2
			})
		);
		expect((await listAudit(db, { limit: 1 }))[0].id).toBe(before);

		const [alert] = await db.query<{ id: number }>(
			`INSERT INTO alert (kind, ts, lon, lat, message) VALUES ('vehicle_off_lane', now(), 117.6, 39.01, 'test') RETURNING id`
		);
		await db.transaction((tx) => ackAlert(tx, alert.id, officer));
		const [ack] = await listAudit(db, { action: 'alert.ack', limit: 1 });
		expect(ack).toMatchObject({
			targetId: String(alert.id),
			before: { ackedBy: null },
			after: { ackedBy: '王值班' }
		});
	});

	it('filters by actor, action prefix, target and time, newest first, paged', async () => {
		const all = await listAudit(db, { limit: 1000 });
		expect(all.length).toBeGreaterThan(10);
		expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => b - a));
		const page2 = await listAudit(db, { limit: 3, before: all[2].id });
		expect(page2.map((e) => e.id)).toEqual(all.slice(3, 6).map((e) => e.id));
		expect(
			(await listAudit(db, { action: 'session.', limit: 1000 })).every((e) =>
				e.action.startsWith('session.')
			)
		).toBe(true);
		expect(await listAudit(db, { action: "%' OR 1=1 --", limit: 10 })).toEqual([]);
		expect(await listAudit(db, { from: Date.now() + 60_000, limit: 10 })).toEqual([]);
		expect(
			(await listAudit(db, { actor: '王值班', limit: 1000 })).every((e) => e.actor === '王值班')
		).toBe(true);
	});
});

describe('sessions are deleted, not just forgotten', () => {
	it('deleteSession removes the row', async () => {
		const s = await createSession(db, 1, { ip: null, userAgent: null });
		expect(await deleteSession(db, s.token)).toBe(1);
		expect(await deleteSession(db, s.token)).toBeNull();
	});
});
