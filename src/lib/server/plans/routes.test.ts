/**
 * The /api/plans/{cid}/… route handlers themselves (status codes, headers and JSON bodies as
 * docs/plans-api.md promises), against a test database handed to them as the running app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GridFeature } from '$lib/domain/city';
import type { LiveEvent } from '$lib/domain/live';
import { cstDate } from '$lib/domain/time';
import { dropTestApp, useTestApp } from '../testing/app';
import { loadCity } from '../city/load';
import type { Db } from '../db/types';
import { LiveBus } from '../live/bus';
import { openTestDb, TEST_BACKEND } from '../testing/db';
import { COMMUNITY_A1, GRID_A1_01, GRID_A1_02, fixtureCity } from '../testing/fixtureCity';
import * as planRoute from '../../../routes/api/plans/[cid]/+server';
import * as draftRoute from '../../../routes/api/plans/[cid]/draft/+server';
import * as publishRoute from '../../../routes/api/plans/[cid]/publish/+server';
import * as historyRoute from '../../../routes/api/plans/[cid]/history/+server';
import * as diffRoute from '../../../routes/api/plans/[cid]/diff/+server';
import * as exportRoute from '../../../routes/api/plans/[cid]/export/+server';
import * as scheduleRoute from '../../../routes/api/plans/[cid]/schedule/+server';
import * as importRoute from '../../../routes/api/plans/[cid]/import/+server';
import * as incidentsRoute from '../../../routes/api/plans/[cid]/incidents/+server';
import { rect } from './testing';

let db: Db;
const bus = new LiveBus();
const events: string[] = [];

beforeAll(async () => {
	db = await openTestDb();
	await db.transaction((tx) => loadCity(tx, fixtureCity()));
	useTestApp({ db, bus });
	bus.subscribe({ send: (f) => events.push(new TextDecoder().decode(f)), close() {} });
}, 120_000);
afterAll(async () => {
	dropTestApp();
	await db?.close();
});

// The handlers take a RequestEvent; they read params, url, request, locals and the client's address.
type Handler = (event: never) => Response | Promise<Response>;
async function call(
	handler: Handler,
	path: string,
	init: RequestInit = {},
	user: string | null = 'planner A'
): Promise<Response> {
	const url = new URL(path, 'http://localhost');
	const cid = url.pathname.split('/')[3];
	const request = new Request(url, init);
	const locals = {
		user: user ? { id: 'u1', username: 'u1', displayName: user, role: 'planner' } : null
	};
	const getClientAddress = () => '127.0.0.1';
	return handler({ params: { cid }, url, request, locals, getClientAddress } as never);
}
const jsonInit = (method: string, body: unknown): RequestInit => ({
	method,
	headers: { 'content-type': 'application/json' },
	body: JSON.stringify(body)
});

describe(`plan routes (${TEST_BACKEND})`, () => {
	it('GET the plan; 404 for an unknown community', async () => {
		const r = await call(planRoute.GET, `/api/plans/${COMMUNITY_A1}`);
		expect(r.status).toBe(200);
		const body = await r.json();
		expect(Object.keys(body).sort()).toEqual(['community', 'draft', 'published']);
		expect(body.published.version).toBe(0);
		const missing = await call(planRoute.GET, '/api/plans/nope');
		expect(missing.status).toBe(404);
		expect(await missing.json()).toMatchObject({ field: 'cid' });
	});

	it('PUT draft: 415, 413, 422 with errors, 200, 409 with the other planner’s change; DELETE', async () => {
		const path = `/api/plans/${COMMUNITY_A1}/draft`;
		expect((await call(draftRoute.PUT, path, { method: 'PUT', body: 'x' })).status).toBe(415);
		const big = await call(draftRoute.PUT, path, {
			method: 'PUT',
			headers: { 'content-type': 'application/json' },
			body: ' '.repeat(5 * 1024 * 1024 + 1)
		});
		expect(big.status).toBe(413);

		const plan = await (await call(planRoute.GET, `/api/plans/${COMMUNITY_A1}`)).json();
		const grids: GridFeature[] = plan.published.grids.features;
		const overlapping = grids.map((g, i) =>
			i === 0 ? { ...g, geometry: rect(117.6, 39.0, 117.62, 39.012) } : g
		);
		const bad = await call(
			draftRoute.PUT,
			path,
			jsonInit('PUT', {
				version: null,
				grids: { type: 'FeatureCollection', features: overlapping }
			})
		);
		expect(bad.status).toBe(422);
		const badBody = await bad.json();
		expect(badBody.errors).toHaveLength(1);
		expect(badBody.errors[0]).toMatchObject({ feature: GRID_A1_01, reason: 'overlap' });
		expect(badBody.errors[0].location).toHaveLength(2);

		const ok = await call(
			draftRoute.PUT,
			path,
			jsonInit('PUT', { version: null, grids: plan.published.grids, note: '调整' }),
			'规划员甲'
		);
		expect(ok.status).toBe(200);
		const { draft } = await ok.json();
		expect(draft).toMatchObject({ basePlanVersion: 0, updatedBy: '规划员甲', note: '调整' });

		const changed = grids.map((g, i) =>
			i === 1 ? { ...g, properties: { ...g.properties, workerName: '孙丽' } } : g
		);
		const second = await call(
			draftRoute.PUT,
			path,
			jsonInit('PUT', {
				version: draft.version,
				grids: { type: 'FeatureCollection', features: changed }
			}),
			'规划员乙'
		);
		expect(second.status).toBe(200);
		const conflict = await call(
			draftRoute.PUT,
			path,
			jsonInit('PUT', { version: draft.version, grids: plan.published.grids }),
			'规划员甲'
		);
		expect(conflict.status).toBe(409);
		const c = await conflict.json();
		expect(c).toMatchObject({
			field: 'version',
			changedBy: '规划员乙',
			changedGridIds: [GRID_A1_02],
			current: { updatedBy: '规划员乙' }
		});
		expect(typeof c.changedAt).toBe('string');
		expect(typeof c.message).toBe('string');

		const stale = await call(draftRoute.DELETE, `${path}?version=${draft.version}`, {
			method: 'DELETE'
		});
		expect(stale.status).toBe(409);
		expect((await call(draftRoute.DELETE, `${path}?version=x`, { method: 'DELETE' })).status).toBe(
			400
		);
	});

	it('exports, imports (415, 422 for a truncated zip, 200), publishes, and answers history, diff, incidents', async () => {
		const plan = await (await call(planRoute.GET, `/api/plans/${COMMUNITY_A1}`)).json();
		const version = plan.draft.version;
		const exp = await call(
			exportRoute.GET,
			`/api/plans/${COMMUNITY_A1}/export?format=shapefile&crs=bd09&source=draft`
		);
		expect(exp.status).toBe(200);
		expect(exp.headers.get('content-type')).toBe('application/zip');
		expect(exp.headers.get('content-disposition')).toBe(
			`attachment; filename="grids-${COMMUNITY_A1}-draft-bd09.zip"`
		);
		const zip = new Uint8Array(await exp.arrayBuffer());
		const importPath = `/api/plans/${COMMUNITY_A1}/import?crs=bd09&version=${version}`;
		const wrongType = await call(importRoute.POST, importPath, {
			method: 'POST',
			headers: { 'content-type': 'text/plain' },
			body: zip
		});
		expect(wrongType.status).toBe(415);
		const truncated = await call(importRoute.POST, importPath, {
			method: 'POST',
			headers: { 'content-type': 'application/zip' },
			body: zip.slice(0, 200)
		});
		expect(truncated.status).toBe(422);
		const t = await truncated.json();
		expect(t.errors[0]).toMatchObject({ feature: null, reason: 'unreadable_file', location: null });
		const imported = await call(
			importRoute.POST,
			importPath,
			{ method: 'POST', headers: { 'content-type': 'application/zip' }, body: zip },
			'规划员丙'
		);
		expect(imported.status).toBe(200);
		const { draft } = await imported.json();
		expect(draft.grids).toEqual(plan.draft.grids);

		// A future effective date (CST) schedules: 202, nothing published, the draft frozen.
		const tomorrow = cstDate(Date.now() + 86_400_000);
		const sched = await call(
			publishRoute.POST,
			`/api/plans/${COMMUNITY_A1}/publish`,
			jsonInit('POST', { version: draft.version, effectiveDate: tomorrow, note: '换人' }),
			'规划员丙'
		);
		expect(sched.status).toBe(202);
		expect(await sched.json()).toMatchObject({
			scheduled: { effectiveDate: tomorrow, by: '规划员丙', draftVersion: draft.version }
		});
		const frozenPlan = await (await call(planRoute.GET, `/api/plans/${COMMUNITY_A1}`)).json();
		expect(frozenPlan.published.version).toBe(0);
		expect(frozenPlan.draft.scheduled).toMatchObject({ effectiveDate: tomorrow, by: '规划员丙' });
		const frozen = [
			await call(
				draftRoute.PUT,
				`/api/plans/${COMMUNITY_A1}/draft`,
				jsonInit('PUT', { version: draft.version, grids: draft.grids })
			),
			await call(
				importRoute.POST,
				`/api/plans/${COMMUNITY_A1}/import?crs=bd09&version=${draft.version}`,
				{ method: 'POST', headers: { 'content-type': 'application/zip' }, body: zip }
			),
			await call(draftRoute.DELETE, `/api/plans/${COMMUNITY_A1}/draft?version=${draft.version}`, {
				method: 'DELETE'
			})
		];
		for (const r of frozen) {
			expect(r.status).toBe(409);
			expect((await r.json()).message).toContain(
				`scheduled to be published on ${tomorrow} (by 规划员丙)`
			);
		}
		const schedulePath = `/api/plans/${COMMUNITY_A1}/schedule`;
		const del = { method: 'DELETE' };
		expect((await call(scheduleRoute.DELETE, `${schedulePath}?version=x`, del)).status).toBe(400);
		const stale = `${schedulePath}?version=${draft.version + 1}`;
		expect((await call(scheduleRoute.DELETE, stale, del)).status).toBe(409);
		const cancel = `${schedulePath}?version=${draft.version}`;
		expect((await call(scheduleRoute.DELETE, cancel, del)).status).toBe(204);
		expect((await call(scheduleRoute.DELETE, cancel, del)).status).toBe(404);

		const pub = await call(
			publishRoute.POST,
			`/api/plans/${COMMUNITY_A1}/publish`,
			jsonInit('POST', { version: draft.version, effectiveDate: '2026-11-01', note: '换人' }),
			'规划员丙'
		);
		expect(pub.status).toBe(200);
		const p = await pub.json();
		expect(p.plan).toMatchObject({
			version: 1,
			publishedBy: '规划员丙',
			effectiveDate: '2026-11-01',
			note: '换人',
			added: [],
			removed: [],
			reshaped: []
		});
		expect(p.reassigned).toEqual({ open: 0, closed: 0 });
		const planEvent = events.find((e) => e.startsWith('event: plan'));
		expect(planEvent).toBeDefined();
		const data = JSON.parse(planEvent!.split('data: ')[1]) as Omit<
			Extract<LiveEvent, { type: 'plan' }>,
			'type'
		>;
		expect(data).toMatchObject({ communityId: COMMUNITY_A1, version: 1 });

		const history = await (
			await call(historyRoute.GET, `/api/plans/${COMMUNITY_A1}/history`)
		).json();
		expect(history.versions.map((v: { version: number }) => v.version)).toEqual([1, 0]);
		const diff = await (
			await call(diffRoute.GET, `/api/plans/${COMMUNITY_A1}/diff?from=0&to=1`)
		).json();
		expect(diff).toMatchObject({ modified: [GRID_A1_02], unchanged: [GRID_A1_01] });
		expect((await call(diffRoute.GET, `/api/plans/${COMMUNITY_A1}/diff?from=0`)).status).toBe(400);
		const inc = await call(incidentsRoute.GET, `/api/plans/${COMMUNITY_A1}/incidents?days=366`);
		expect(inc.status).toBe(200);
		expect(Object.keys(await inc.json()).sort()).toEqual(['from', 'lat', 'lon', 'to', 'ts']);
		expect(
			(await call(incidentsRoute.GET, `/api/plans/${COMMUNITY_A1}/incidents?days=400`)).status
		).toBe(400);
	});
});
