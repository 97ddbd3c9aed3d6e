/**
 * Who may call what: THE policy table, enforced for every request in hooks.server.ts.
 * Keyed by SvelteKit route id (the folder under src/routes, e.g. `/api/incidents/[id]`) and
 * method; a page is `GET`. An entry ending in `/**` covers every route below it. A route or
 * method missing from the table is refused to everyone (deny by default), and a unit test fails
 * if a route file exists that the table does not cover.
 *
 * `public` needs no sign-in. Otherwise the roles that may; admin is listed explicitly, so the
 * table reads as it is enforced. HEAD is treated as GET.
 */
import { PAGE_ROLES, type Role } from '$lib/domain/auth';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Access = 'public' | readonly Role[];
export type RoutePolicy = Partial<Record<Method, Access>>;

const ALL: Role[] = ['wall', 'officer', 'planner', 'admin'];
const WALL: Role[] = ['wall', 'officer', 'admin'];
const DUTY: Role[] = ['officer', 'admin'];
const PLAN: Role[] = ['planner', 'admin'];
const ADMIN: Role[] = ['admin'];

/** Plans: planners and admins write; duty officers may read them (to see what is proposed). */
const PLAN_READ: Role[] = [...PLAN, 'officer'];

export const POLICY: Record<string, RoutePolicy> = {
	// Pages
	'/': { GET: PAGE_ROLES['/'] },
	'/wall': { GET: PAGE_ROLES['/wall'] },
	'/plan': { GET: PAGE_ROLES['/plan'] },
	'/admin': { GET: PAGE_ROLES['/admin'] },
	'/login': { GET: 'public' },
	'/kiosk/[token]': { GET: 'public' },
	'/bench/baseline': { GET: DUTY },

	// Sign-in: who am I, sign in, sign out
	'/api/session': { GET: 'public', POST: 'public', DELETE: 'public' },
	// Liveness/readiness for a load balancer: states and counts only (lib/server/health.ts)
	'/api/health': { GET: 'public' },

	// City files and the incident snapshot (the wall's grids/hazmat sites lose names and phones)
	'/data/[file]': { GET: ALL },
	// The city pack's own basemap file (PMTiles, read with HTTP Range requests)
	'/data/basemap/[name]': { GET: ALL },

	// Live feed (the wall's events lose descriptions), alerts, wall follow mode
	'/api/stream': { GET: WALL },
	'/api/alerts': { GET: WALL },
	'/api/alerts/[id]/ack': { POST: DUTY },
	'/api/wall/follow': { GET: WALL, POST: DUTY, DELETE: DUTY },

	// Incidents: intake, the overdue list, one case (not for the wall: it names people), its steps
	'/api/incidents': { GET: DUTY, POST: DUTY },
	'/api/incidents/[id]': { GET: DUTY, PATCH: DUTY },
	'/api/incidents/[id]/transitions': { POST: DUTY },
	'/api/incidents/[id]/dispatch-nearest': { POST: DUTY },
	'/api/incidents/[id]/nearest-units': { GET: DUTY },
	'/api/units/nearest': { GET: DUTY },

	// OGC API – Features (QGIS, GDAL: a device token of role officer, sent as a Bearer header)
	'/ogc': { GET: DUTY },
	'/ogc/api': { GET: DUTY },
	'/ogc/conformance': { GET: DUTY },
	'/ogc/collections': { GET: DUTY },
	'/ogc/collections/[id]': { GET: DUTY },
	'/ogc/collections/[id]/queryables': { GET: DUTY },
	'/ogc/collections/[id]/items': { GET: DUTY },
	'/ogc/collections/[id]/items/[featureId]': { GET: DUTY },

	// Grid plans (issue 7): read by planners, admins and duty officers; written by planners, admins
	'/api/plans/[cid]': { GET: PLAN_READ },
	'/api/plans/[cid]/draft': { PUT: PLAN, DELETE: PLAN },
	'/api/plans/[cid]/publish': { POST: PLAN },
	'/api/plans/[cid]/schedule': { DELETE: PLAN },
	'/api/plans/[cid]/import': { POST: PLAN },
	'/api/plans/[cid]/export': { GET: PLAN_READ },
	'/api/plans/[cid]/history': { GET: PLAN_READ },
	'/api/plans/[cid]/versions/[v]': { GET: PLAN_READ },
	'/api/plans/[cid]/diff': { GET: PLAN_READ },
	'/api/plans/[cid]/incidents': { GET: PLAN_READ },

	// Administration
	'/api/admin/users': { GET: ADMIN, POST: ADMIN },
	'/api/admin/users/[id]': { PATCH: ADMIN },
	'/api/admin/devices': { GET: ADMIN, POST: ADMIN },
	'/api/admin/devices/[id]': { DELETE: ADMIN },
	// City data (issue 12): the loaded pack, check and import a new one
	'/api/admin/backup': { GET: ADMIN },
	'/api/admin/city': { GET: ADMIN },
	'/api/admin/city/check': { POST: ADMIN },
	'/api/admin/city/import': { POST: ADMIN },
	'/api/admin/cases/import': { POST: ADMIN },
	'/api/audit': { GET: ADMIN }
};

/** The policy of a route id: its own entry, else the nearest `/**` entry above it. */
export function routePolicy(routeId: string): RoutePolicy | null {
	if (POLICY[routeId]) return POLICY[routeId];
	const parts = routeId.split('/');
	for (let n = parts.length - 1; n >= 1; n--) {
		const prefix = parts.slice(0, n).join('/') || '';
		const entry = POLICY[`${prefix}/**`];
		if (entry) return entry;
	}
	return null;
}

export type Decision = 'allow' | 'sign-in' | 'forbidden';

/** allow; sign-in (not signed in, but a role could); forbidden (no entry, or not this role). */
export function decide(routeId: string | null, method: string, role: Role | null): Decision {
	if (routeId === null) return 'forbidden';
	const m = (method === 'HEAD' ? 'GET' : method) as Method;
	const access = routePolicy(routeId)?.[m];
	if (!access) return 'forbidden';
	if (access === 'public') return 'allow';
	if (role === null) return 'sign-in';
	return access.includes(role) ? 'allow' : 'forbidden';
}

/** The pages a role lands on after signing in, in order of preference. */
export function homeOf(role: Role): string {
	return role === 'wall' ? '/wall' : role === 'planner' ? '/plan' : '/';
}
