/** The browser end of /api/session: who is signed in, sign in, sign out. */
import type { SessionUser } from '$lib/domain/auth';

export interface WhoAmI {
	user: SessionUser | null;
	via: 'session' | 'device' | 'bearer' | null;
	/** This browser's kiosk token was revoked. */
	device: 'revoked' | null;
}

export async function whoAmI(): Promise<WhoAmI> {
	const response = await fetch('/api/session', { cache: 'no-store' });
	if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
	return (await response.json()) as WhoAmI;
}

export type SignInResult =
	| { ok: true; user: SessionUser }
	| { ok: false; status: number; message: string; retryAfter?: number };

export async function signIn(username: string, password: string): Promise<SignInResult> {
	const response = await fetch('/api/session', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username, password })
	});
	const body = (await response.json().catch(() => ({}))) as {
		user?: SessionUser;
		message?: string;
		retryAfter?: number;
	};
	if (response.ok && body.user) return { ok: true, user: body.user };
	return {
		ok: false,
		status: response.status,
		message: body.message ?? response.statusText,
		retryAfter: body.retryAfter
	};
}

export async function signOut(): Promise<void> {
	await fetch('/api/session', { method: 'DELETE' });
}

/** Where a role goes after signing in (mirrors the server's policy.ts homeOf). */
export function homeOf(role: SessionUser['role']): string {
	return role === 'wall' ? '/wall' : role === 'planner' ? '/plan' : '/';
}
