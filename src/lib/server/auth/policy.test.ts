/**
 * The policy table covers every route file: a route (or a method of it) the table does not
 * name is refused to everyone, so a new route without an entry fails here first.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROLES } from '$lib/domain/auth';
import { CITY_FILES, type GridProps } from '$lib/domain/city';
import type { LiveEvent } from '$lib/domain/live';
import { withoutProperties } from '../city/files';
import { LiveBus } from '../live/bus';
import { MASKED_PROPERTIES, maskEvent } from './mask';
import { POLICY, decide, routePolicy, type Method } from './policy';

const ROUTES = join(import.meta.dirname, '../../../routes');

/** Every route id with its methods, from the files under src/routes. */
function routeFiles(): { id: string; methods: Method[]; file: string }[] {
	const out: { id: string; methods: Method[]; file: string }[] = [];
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const path = join(dir, entry.name);
			if (entry.isDirectory()) walk(path);
			else if (/^\+(page|server)\.(svelte|ts|js)$/.test(entry.name)) {
				const rel = relative(ROUTES, dir).split('\\').join('/');
				// Route groups "(name)" are not part of the id's URL but are part of the route id.
				const id = '/' + rel;
				const methods: Method[] = entry.name.startsWith('+page')
					? ['GET']
					: [
							...readFileSync(path, 'utf8').matchAll(
								/export\s+(?:const|async function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g
							)
						].map((m) => m[1] as Method);
				out.push({
					id: id === '/' ? '/' : id.replace(/\/$/, ''),
					methods,
					file: relative(ROUTES, path)
				});
			}
		}
	};
	walk(ROUTES);
	return out;
}

describe('the policy table', () => {
	it('covers every route file and every method it exports', () => {
		const files = routeFiles();
		expect(files.length).toBeGreaterThan(20);
		const missing = files.flatMap((f) =>
			f.methods.filter((m) => !routePolicy(f.id)?.[m]).map((m) => `${m} ${f.id} (${f.file})`)
		);
		expect(missing, 'routes without a policy entry (add them to policy.ts)').toEqual([]);
	});

	it('denies by default: unknown routes and methods are forbidden to everyone, admin too', () => {
		for (const role of [...ROLES, null]) {
			expect(decide('/api/nowhere', 'GET', role)).toBe('forbidden');
			expect(decide('/api/incidents', 'DELETE', role)).toBe('forbidden');
			expect(decide(null, 'GET', role)).toBe('forbidden');
		}
	});

	it('asks anonymous callers to sign in, except on public routes', () => {
		expect(decide('/', 'GET', null)).toBe('sign-in');
		expect(decide('/api/stream', 'GET', null)).toBe('sign-in');
		expect(decide('/login', 'GET', null)).toBe('allow');
		expect(decide('/api/session', 'POST', null)).toBe('allow');
		expect(decide('/kiosk/[token]', 'GET', null)).toBe('allow');
		const publicRoutes = Object.entries(POLICY).flatMap(([id, p]) =>
			Object.entries(p)
				.filter(([, a]) => a === 'public')
				.map(([m]) => `${m} ${id}`)
		);
		expect(publicRoutes.sort()).toEqual(
			[
				'DELETE /api/session',
				'GET /api/health',
				'GET /api/session',
				'GET /kiosk/[token]',
				'GET /login',
				'POST /api/session'
			].sort()
		);
	});

	it('gives each role what the issue says', () => {
		const can = (role: (typeof ROLES)[number], method: string, id: string) =>
			decide(id, method, role) === 'allow';
		// wall: its page and the read-only data it needs; no case detail, no writes
		expect(can('wall', 'GET', '/wall')).toBe(true);
		expect(can('wall', 'GET', '/data/[file]')).toBe(true);
		expect(can('wall', 'GET', '/api/stream')).toBe(true);
		expect(can('wall', 'GET', '/api/incidents/[id]')).toBe(false);
		expect(can('wall', 'GET', '/')).toBe(false);
		expect(can('wall', 'POST', '/api/wall/follow')).toBe(false);
		expect(can('wall', 'GET', '/ogc/collections/[id]/items')).toBe(false);
		// officer: command map, cases, dispatch, alerts, follow, OGC; plans read-only
		for (const [m, id] of [
			['GET', '/'],
			['POST', '/api/incidents'],
			['POST', '/api/incidents/[id]/transitions'],
			['POST', '/api/incidents/[id]/dispatch-nearest'],
			['POST', '/api/alerts/[id]/ack'],
			['POST', '/api/wall/follow'],
			['GET', '/ogc/collections/[id]/items'],
			['GET', '/api/plans/[cid]']
		])
			expect(can('officer', m, id), `${m} ${id}`).toBe(true);
		expect(can('officer', 'PUT', '/api/plans/[cid]/draft')).toBe(false);
		expect(can('officer', 'POST', '/api/plans/[cid]/publish')).toBe(false);
		expect(can('officer', 'POST', '/api/plans/[cid]/import')).toBe(false);
		expect(can('officer', 'GET', '/api/plans/[cid]/export')).toBe(true);
		expect(can('officer', 'GET', '/plan')).toBe(false);
		expect(can('officer', 'GET', '/admin')).toBe(false);
		// planner: /plan and every plan route, the map data; no incident writes
		expect(can('planner', 'GET', '/plan')).toBe(true);
		expect(can('planner', 'PUT', '/api/plans/[cid]/draft')).toBe(true);
		expect(can('planner', 'DELETE', '/api/plans/[cid]/draft')).toBe(true);
		expect(can('planner', 'POST', '/api/plans/[cid]/publish')).toBe(true);
		expect(can('planner', 'POST', '/api/plans/[cid]/import')).toBe(true);
		expect(can('wall', 'GET', '/api/plans/[cid]')).toBe(false);
		expect(can('planner', 'GET', '/data/[file]')).toBe(true);
		expect(can('planner', 'POST', '/api/incidents/[id]/transitions')).toBe(false);
		expect(can('planner', 'GET', '/')).toBe(false);
		// admin: everything in the table
		for (const [id, p] of Object.entries(POLICY))
			for (const m of Object.keys(p))
				expect(can('admin', m, id.replace('/**', '/x')), `${m} ${id}`).toBe(true);
	});
});

describe('masking for the wall', () => {
	it('removes names and phones from grids and hazmat sites', () => {
		const fc = JSON.stringify({
			type: 'FeatureCollection',
			features: [
				{
					type: 'Feature',
					properties: {
						id: 'g1',
						name: '第01网格',
						workerName: '王芳',
						workerPhone: '138'
					} as Partial<GridProps>,
					geometry: null
				}
			]
		});
		const masked = JSON.parse(withoutProperties(fc, MASKED_PROPERTIES[CITY_FILES.grids]!));
		expect(masked.features[0].properties).toEqual({ id: 'g1', name: '第01网格' });
		expect(MASKED_PROPERTIES[CITY_FILES.hazmatSites]).toEqual([
			'responsibleName',
			'responsiblePhone'
		]);
	});

	it('removes descriptions from live incident events', () => {
		const event = {
			type: 'incidents',
			change: 'new',
			incidents: [{ id: 1, description: '张三 13800000000 某小区3号楼' }]
		} as unknown as LiveEvent;
		const masked = maskEvent(event) as Extract<LiveEvent, { type: 'incidents' }>;
		expect(masked.incidents[0].description).toBeNull();
		expect(
			(event as Extract<LiveEvent, { type: 'incidents' }>).incidents[0].description
		).not.toBeNull();
		const hello: LiveEvent = { type: 'hello', rev: 1, serverTime: 0 };
		expect(maskEvent(hello)).toBe(hello);
	});

	it('the live bus sends masked subscribers masked frames, and ends a revoked owner’s streams', () => {
		const bus = new LiveBus();
		const got = { wall: '', officer: '' };
		let closed = 0;
		bus.subscribe({
			send: (f) => (got.wall += new TextDecoder().decode(f)),
			close: () => closed++,
			masked: true,
			owner: 'device:7'
		});
		bus.subscribe({
			send: (f) => (got.officer += new TextDecoder().decode(f)),
			close() {},
			owner: '2'
		});
		bus.publish({
			type: 'incidents',
			change: 'new',
			incidents: [{ id: 1, rev: 5, description: '张三 13800000000' }]
		} as unknown as LiveEvent);
		expect(got.officer).toContain('13800000000');
		expect(got.wall).not.toContain('13800000000');
		expect(got.wall).toContain('"description":null');
		expect(bus.closeOwner('device:7')).toBe(1);
		expect(closed).toBe(1);
		expect(bus.size).toBe(1);
	});
});
