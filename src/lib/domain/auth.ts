/**
 * Who is signed in, shared by the server (hooks, routes) and the browser (what to offer).
 * Roles (issue 8): wall — read-only, personal data masked; officer — read, dispatch, case
 * lifecycle; planner — grid plans; admin — users and everything.
 */
export const ROLES = ['wall', 'officer', 'planner', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface SessionUser {
	/** Stable user id (or `device:<id>` for a wall device token). */
	id: string;
	/** Sign-in name. */
	username: string;
	/** Shown in audit trails and plan history, e.g. "王值班". */
	displayName: string;
	role: Role;
}
