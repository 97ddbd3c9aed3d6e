/**
 * Who is signed in, shared by the server (hooks, routes) and the browser (what to offer).
 * Roles (issue 8): wall — read-only, personal data masked; officer — read, dispatch, case
 * lifecycle; planner — grid plans; admin — users and everything.
 */
export const ROLES = ['wall', 'officer', 'planner', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who may open each page. The server's policy table (lib/server/auth/policy.ts) uses these
 * entries for the pages, and the pages use them to offer only links the user may follow.
 */
export const PAGE_ROLES = {
	'/': ['officer', 'admin'],
	'/wall': ['wall', 'officer', 'admin'],
	'/plan': ['planner', 'admin'],
	'/admin': ['admin']
} as const satisfies Record<string, readonly Role[]>;

export function mayOpen(role: Role | null | undefined, page: keyof typeof PAGE_ROLES): boolean {
	return !!role && (PAGE_ROLES[page] as readonly Role[]).includes(role);
}

export interface SessionUser {
	/** Stable user id (or `device:<id>` for a wall device token). */
	id: string;
	/** Sign-in name. */
	username: string;
	/** Shown in audit trails and plan history, e.g. "王值班". */
	displayName: string;
	role: Role;
}

/**
 * A redirect target from the client (`?next=`, used by /kiosk/<token> and /login) as a path on
 * this site, or null. Resolved the way a browser resolves a Location header (dot segments,
 * `%2e`, backslashes, tabs), and the result must still be a same-origin path that a browser
 * reads as one: `//host`, `/\host`, `/.//host`, `/%2e//host` and `/..//host` are all refused.
 */
export function safeNext(next: string | null | undefined): string | null {
	if (!next || !next.startsWith('/')) return null;
	const base = 'http://onemap.invalid';
	let path: string;
	try {
		const target = new URL(next, base);
		if (target.origin !== base) return null;
		path = target.pathname + target.search + target.hash;
		// Dot-segment removal can leave `//host` (a network-path reference to a browser).
		if (/^\/[/\\]/.test(path) || new URL(path, base).origin !== base) return null;
	} catch {
		return null;
	}
	return path;
}

/** A device token as /api/admin/devices lists it (never the secret). */
export const DEVICE_ROLES = ['wall', 'officer'] as const;
export type DeviceRole = (typeof DEVICE_ROLES)[number];

export interface DeviceRecord {
	id: number;
	name: string;
	role: DeviceRole;
	createdBy: string;
	createdAt: number;
	lastUsedAt: number | null;
	revokedAt: number | null;
	revokedBy: string | null;
}

/** One audit log entry as /api/audit answers it. */
export interface AuditRecord {
	id: number;
	/** Epoch ms. */
	at: number;
	actor: string;
	actorId: string | null;
	actorRole: Role | null;
	action: string;
	targetType: string;
	targetId: string | null;
	before: unknown;
	after: unknown;
	ip: string | null;
}

/** An account as /api/admin/users lists it (never the password hash). */
export interface UserRecord {
	id: number;
	username: string;
	displayName: string;
	role: Role;
	disabled: boolean;
	/** Epoch ms. */
	createdAt: number;
	updatedAt: number;
}
