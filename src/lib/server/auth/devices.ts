/**
 * Device tokens (table `device_token`): long-lived, revocable credentials an admin issues — the
 * wall's kiosk link (`/kiosk/<token>` stores it in a cookie) and integration clients that send
 * `Authorization: Bearer <token>` (GDAL, scripts, the benchmark). A token carries the role
 * `wall` (read-only, personal data masked) or `officer` (e.g. an intake integration); never
 * planner or admin: those act as people, with a password and a session.
 */
import { z } from 'zod';
import {
	DEVICE_ROLES,
	type DeviceRecord,
	type DeviceRole,
	type SessionUser
} from '$lib/domain/auth';

export { DEVICE_ROLES, type DeviceRecord, type DeviceRole };
import { recordAudit, type AuditActor } from '../audit/audit';
import type { Db, Queryable } from '../db/types';
import { ApiError } from '../http/errors';
import { zodError } from '../incidents/lifecycle';
import { hashToken, isTokenShaped, newToken } from './tokens';

const COLUMNS = `d.id, d.name, d.role, d.created_by AS "createdBy",
	(extract(epoch FROM d.created_at) * 1000)::float8 AS "createdAt",
	(extract(epoch FROM d.last_used_at) * 1000)::float8 AS "lastUsedAt",
	(extract(epoch FROM d.revoked_at) * 1000)::float8 AS "revokedAt", d.revoked_by AS "revokedBy"`;

const schema = z.strictObject({
	name: z
		.string({ error: 'must be text' })
		.trim()
		.min(1, { error: 'is required (e.g. "指挥大厅大屏")' })
		.max(60, { error: 'must be at most 60 characters' }),
	role: z.enum(DEVICE_ROLES, { error: 'must be "wall" or "officer"' }).default('wall')
});

export function validateNewDevice(body: unknown): { name: string; role: DeviceRole } {
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		throw new ApiError(
			422,
			'The body must be an object such as {"name":"指挥大厅大屏","role":"wall"}.'
		);
	const parsed = schema.safeParse(body);
	if (!parsed.success) throw zodError(parsed.error, body);
	return parsed.data;
}

export function deviceUser(d: Pick<DeviceRecord, 'id' | 'name' | 'role'>): SessionUser {
	return { id: `device:${d.id}`, username: `device-${d.id}`, displayName: d.name, role: d.role };
}

/** Issues a token; the secret is returned once and only its hash is kept. */
export async function issueDevice(
	db: Db,
	input: { name: string; role: DeviceRole },
	actor: AuditActor,
	ip: string | null
): Promise<{ device: DeviceRecord; token: string }> {
	const token = newToken();
	return db.transaction(async (tx) => {
		const [device] = await tx.query<DeviceRecord>(
			`WITH d AS (INSERT INTO device_token (name, role, token_hash, created_by)
			   VALUES ($1, $2, $3, $4) RETURNING *) SELECT ${COLUMNS} FROM d`,
			[input.name, input.role, hashToken(token), actor.displayName]
		);
		await recordAudit(tx, {
			actor,
			action: 'device.issue',
			targetType: 'device',
			targetId: device.id,
			after: device,
			ip
		});
		return { device, token };
	});
}

export async function revokeDevice(
	db: Db,
	id: number,
	actor: AuditActor,
	ip: string | null
): Promise<DeviceRecord> {
	return db.transaction(async (tx) => {
		const [before] = await tx.query<DeviceRecord>(
			`SELECT ${COLUMNS} FROM device_token d WHERE d.id = $1 FOR UPDATE`,
			[id]
		);
		if (!before) throw new ApiError(404, `There is no device token ${id}.`, 'id');
		if (before.revokedAt !== null)
			throw new ApiError(409, `Device token ${id} ("${before.name}") is already revoked.`, 'id');
		const [after] = await tx.query<DeviceRecord>(
			`WITH d AS (UPDATE device_token SET revoked_at = now(), revoked_by = $2 WHERE id = $1
			   RETURNING *) SELECT ${COLUMNS} FROM d`,
			[id, actor.displayName]
		);
		await recordAudit(tx, {
			actor,
			action: 'device.revoke',
			targetType: 'device',
			targetId: id,
			before,
			after,
			ip
		});
		return after;
	});
}

export async function listDevices(q: Queryable): Promise<DeviceRecord[]> {
	return q.query<DeviceRecord>(`SELECT ${COLUMNS} FROM device_token d ORDER BY d.id DESC`);
}

export type DeviceLookup =
	| { state: 'active'; user: SessionUser }
	| { state: 'revoked'; name: string }
	| { state: 'unknown' };

/** Who a device token is. `last_used_at` is written at most once a minute. */
export async function lookupDevice(q: Queryable, token: string | undefined): Promise<DeviceLookup> {
	if (!isTokenShaped(token)) return { state: 'unknown' };
	const [row] = await q.query<DeviceRecord>(
		`SELECT ${COLUMNS} FROM device_token d WHERE d.token_hash = $1`,
		[hashToken(token)]
	);
	if (!row) return { state: 'unknown' };
	if (row.revokedAt !== null) return { state: 'revoked', name: row.name };
	if (row.lastUsedAt === null || Date.now() - row.lastUsedAt > 60_000)
		await q.query('UPDATE device_token SET last_used_at = now() WHERE id = $1', [row.id]);
	return { state: 'active', user: deviceUser(row) };
}
