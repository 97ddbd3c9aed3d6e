/**
 * /admin's typed client of /api/admin/… and /api/audit: users, device tokens and the audit log.
 * A refusal throws an Error with the server's message (what the person has to change).
 */
import type { AuditRecord, DeviceRecord, DeviceRole, Role, UserRecord } from '$lib/domain/auth';

export type AdminUser = UserRecord;
export type AdminDevice = DeviceRecord;
export type AuditEntry = AuditRecord;
export type { DeviceRole };

export interface AuditFilter {
	actor: string;
	action: string;
	targetType: string;
	targetId: string;
}

export const AUDIT_PAGE = 50;

async function call<T>(fetchFn: typeof fetch, url: string, init?: RequestInit): Promise<T> {
	const response = await fetchFn(url, {
		...init,
		headers: init?.body ? { 'content-type': 'application/json' } : undefined
	});
	const body = await response.json().catch(() => ({}));
	if (!response.ok) throw new Error((body as { message?: string }).message ?? response.statusText);
	return body as T;
}

const json = (method: string, body: unknown): RequestInit => ({
	method,
	body: JSON.stringify(body)
});

/** The audit query string: the filled-in filter fields, a page, and where the last page ended. */
export function auditQuery(filter: AuditFilter, before: number | null): string {
	const parts: [string, string][] = [['limit', String(AUDIT_PAGE)]];
	for (const [k, v] of Object.entries(filter)) if (v.trim()) parts.push([k, v.trim()]);
	if (before !== null) parts.push(['before', String(before)]);
	return parts.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
}

export function adminApi(fetchFn: typeof fetch = (...a) => fetch(...a)) {
	return {
		users: async () => (await call<{ users: AdminUser[] }>(fetchFn, '/api/admin/users')).users,
		createUser: (user: { username: string; displayName: string; role: Role; password: string }) =>
			call(fetchFn, '/api/admin/users', json('POST', user)),
		patchUser: (id: number, change: Partial<{ role: Role; disabled: boolean; password: string }>) =>
			call(fetchFn, `/api/admin/users/${id}`, json('PATCH', change)),
		devices: async () =>
			(await call<{ devices: AdminDevice[] }>(fetchFn, '/api/admin/devices')).devices,
		issueDevice: (device: { name: string; role: DeviceRole }) =>
			call<{ token: string; kioskUrl: string }>(
				fetchFn,
				'/api/admin/devices',
				json('POST', device)
			),
		revokeDevice: (id: number) => call(fetchFn, `/api/admin/devices/${id}`, { method: 'DELETE' }),
		audit: async (filter: AuditFilter, before: number | null = null) =>
			(await call<{ entries: AuditEntry[] }>(fetchFn, `/api/audit?${auditQuery(filter, before)}`))
				.entries
	};
}

export type AdminApi = ReturnType<typeof adminApi>;
