/**
 * No staff names reach the wall (issue 16, defect 9): the route handlers of GET /api/alerts and
 * GET /api/wall/follow as the wall role, and the live events, all through auth/mask.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import type { Role } from '$lib/domain/auth';
import type { LiveEvent } from '$lib/domain/live';
import { dropTestApp, useTestApp } from '../testing/app';
import { ackAlert } from '../alerts/alerts';
import type { Db } from '../db/types';
import { LiveBus } from '../live/bus';
import { follow, release } from '../live/wall';
import { openTestDb } from '../testing/db';
import { maskEvent } from './mask';
import * as alertsRoute from '../../../routes/api/alerts/+server';
import * as followRoute from '../../../routes/api/wall/follow/+server';

let db: Db;
const bus = new LiveBus();
const OFFICER = '王值班';

beforeAll(async () => {
	db = await openTestDb();
	useTestApp({ db, bus });
	const [alert] = await db.query<{ id: number }>(
		`INSERT INTO alert (kind, ts, lon, lat, message) VALUES ('vehicle_off_lane', now(), 117.6, 39.01, 'test') RETURNING id`
	);
	await db.transaction((tx) =>
		ackAlert(tx, alert.id, { id: '2', displayName: OFFICER, role: 'officer', ip: null })
	);
	await follow(db, bus, { center: [117.7, 39.02], zoom: 12 }, OFFICER);
}, 120_000);
afterAll(async () => {
	if (db) await release(db, bus);
	dropTestApp();
	await db?.close();
});

function event(path: string, role: Role): RequestEvent {
	return {
		url: new URL(`http://localhost${path}`),
		locals: { user: { id: '1', username: role, displayName: role, role } },
		request: new Request(`http://localhost${path}`)
	} as unknown as RequestEvent;
}

async function body(
	route: { GET: (e: never) => Response | Promise<Response> },
	path: string,
	role: Role
) {
	const r = await route.GET(event(path, role) as never);
	expect(r.status).toBe(200);
	return r.text();
}

describe('the wall sees no staff names', () => {
	it('GET /api/alerts: who acknowledged is there for officers, not for the wall', async () => {
		expect(await body(alertsRoute, '/api/alerts', 'officer')).toContain(OFFICER);
		const wall = JSON.parse(await body(alertsRoute, '/api/alerts', 'wall'));
		expect(wall.alerts).toHaveLength(1);
		expect(wall.alerts[0].ackedAt).not.toBeNull();
		expect(wall.alerts[0].ackedBy).toBeNull();
		expect(JSON.stringify(wall)).not.toContain(OFFICER);
	});

	it('GET /api/wall/follow: who pushed the view is there for officers, not for the wall', async () => {
		expect(await body(followRoute, '/api/wall/follow', 'officer')).toContain(OFFICER);
		const wall = JSON.parse(await body(followRoute, '/api/wall/follow', 'wall'));
		expect(wall).toMatchObject({ mode: 'follow', zoom: 12, by: null });
		expect(JSON.stringify(wall)).not.toContain(OFFICER);
	});

	it('live events: alert acks, follow pushes and plan publishes lose the name', () => {
		const events: LiveEvent[] = [
			{
				type: 'alerts',
				change: 'ack',
				alerts: [{ id: 1, ackedBy: OFFICER } as never]
			},
			{ type: 'wall', mode: 'follow', center: [0, 0], zoom: 1, by: OFFICER, since: 0 },
			{ type: 'plan', communityId: 'c1', version: 2, publishedBy: OFFICER, at: 0 }
		];
		for (const e of events) {
			expect(JSON.stringify(e)).toContain(OFFICER);
			expect(JSON.stringify(maskEvent(e))).not.toContain(OFFICER);
		}
	});
});
