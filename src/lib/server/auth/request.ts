/** What route handlers need from the guard: the acting user and the client's address. */
import type { RequestEvent } from '@sveltejs/kit';
import type { SessionUser } from '$lib/domain/auth';
import type { AuditActor } from '../audit/audit';
import { ApiError } from '../http/errors';

/**
 * The signed-in user or device. The guard (handle.ts) has already refused anyone the policy
 * table does not allow, so this throws only for a route wrongly marked public.
 */
export function actorOf(locals: App.Locals): SessionUser {
	if (!locals.user) throw new ApiError(401, 'Sign in first.');
	return locals.user;
}

/** The client's address (adapter-node: the socket's, or ADDRESS_HEADER behind a proxy). */
export function clientIp(event: Pick<RequestEvent, 'getClientAddress'>): string {
	try {
		return event.getClientAddress();
	} catch {
		return 'unknown';
	}
}

/** The acting user with their address, for audit entries: `recordAudit(tx, { actor: auditActor(event), … })`. */
export function auditActor(event: Pick<RequestEvent, 'locals' | 'getClientAddress'>): AuditActor {
	const user = actorOf(event.locals);
	return { id: user.id, displayName: user.displayName, role: user.role, ip: clientIp(event) };
}
