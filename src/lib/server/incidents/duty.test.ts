/**
 * The duty officer's server side (issue 5): case transitions and their audit trail, optimistic
 * concurrency, deadlines, repeat complaints, both alert rules and dispatch of the nearest unit —
 * on the fixture city, on PGlite or (DATABASE_URL) PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	CASE_ACTIONS,
	CASE_TRANSITIONS,
	DEADLINE_HOURS,
	INCIDENT_STATUSES,
	type CaseAction,
	type IncidentStatus
} from '$lib/domain/incidents';
import type { LiveEvent } from '$lib/domain/live';
import { ackAlert, countAlerts, listAlerts } from '../alerts/alerts';
import { distanceToLineM, OFF_LANE_THRESHOLD_M, offLaneRule } from '../alerts/rules';
import { loadCity } from '../city/load';
import type { Db } from '../db/types';
import { ApiError } from '../http/errors';
import { LiveBus } from '../live/bus';
import { Simulator } from '../live/simulator';
import { HazmatFleet } from '../live/vehicles';
import { openTestDb, TEST_BACKEND } from '../testing/db';
import { fixtureCity, T0 } from '../testing/fixtureCity';
import { dispatchNearest, rankUnits, unitPositions } from './dispatch';
import { intake as intakeAs } from './intake';
import {
	allowedFrom,
	caseDetail,
	listOverdue,
	loadCase,
	transition,
	validateTransition,
	type TransitionInput
} from './lifecycle';
import type { CaseRecord } from './records';
import { validateIntake } from './validate';

/** Intake as an officer named in the audit log. */
const intake = (db: Db, incidents: Parameters<typeof intakeAs>[1], batch: boolean) =>
	intakeAs(db, incidents, batch, '值班员甲');

let db: Db;
beforeAll(async () => {
	db = await openTestDb();
	await db.transaction((tx) => loadCity(tx, fixtureCity()));
}, 120_000);
afterAll(() => db?.close());

/** A spot per call, 150 m apart along a row inside grid A1-02 (no repeats, no hazmat radius). */
let spot = 0;
function freshSpot(): { lon: number; lat: number } {
	const i = spot++;
	return { lon: 117.6015 + (i % 10) * 0.0018, lat: 39.0115 + Math.floor(i / 10) * 0.0014 };
}

async function report(body: Record<string, unknown> = {}) {
	const { incidents, batch } = validateIntake({ type: 'dispute', ...freshSpot(), ...body });
	return intake(db, incidents, batch);
}

const input = (
	action: CaseAction,
	version: number,
	more: Partial<TransitionInput> = {}
): TransitionInput => ({
	action,
	assignees: action === 'dispatch' ? [{ kind: 'grid_worker', name: '王芳' }] : [],
	comment: action === 'send_back' || action === 'supervise' ? '材料不全' : '',
	actor: '值班员甲',
	version,
	...more
});

/** A new case driven forward to `status`. */
async function caseAt(status: IncidentStatus, ts?: number): Promise<CaseRecord> {
	const { records } = await report(ts ? { ts } : {});
	let r = records[0];
	const path: CaseAction[] = ['register', 'dispatch', 'accept', 'submit', 'close'];
	for (const action of path.slice(0, INCIDENT_STATUSES.indexOf(status))) {
		r = (await transition(db, r.id, input(action, r.version))).record;
	}
	expect(r.status).toBe(status);
	return r;
}

async function rejection(p: Promise<unknown>): Promise<ApiError> {
	const err = await p.then(
		() => null,
		(e: unknown) => e
	);
	if (!(err instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(err)}`);
	return err;
}

describe(`case transitions (${TEST_BACKEND})`, () => {
	it('applies every legal transition of the table, bumping version and rev', async () => {
		// A recent case is not overdue: 督办 is tested with the deadlines below.
		for (const t of CASE_TRANSITIONS.filter((x) => x.action !== 'supervise')) {
			const before = await caseAt(t.from);
			const { record, entry } = await transition(db, before.id, input(t.action, before.version));
			expect(record).toMatchObject({ status: t.to, version: before.version + 1 });
			expect(record.rev).toBeGreaterThan(before.rev);
			expect(entry).toMatchObject({ action: t.action, from: t.from, to: t.to, actor: '值班员甲' });
			expect(record.closedTs === null).toBe(t.to !== 'closed');
		}
	});

	it('refuses every illegal transition with 409 naming the status and what is allowed', async () => {
		for (const status of INCIDENT_STATUSES) {
			const r = await caseAt(status);
			const allowed = allowedFrom(status).map((t) => t.action);
			for (const action of CASE_ACTIONS.filter((a) => !allowed.includes(a))) {
				const err = await rejection(transition(db, r.id, input(action, r.version)));
				expect(err).toMatchObject({ status: 409, field: 'action' });
				expect(err.message).toContain(`"${status}"`);
				for (const a of allowed) expect(err.message).toContain(a);
			}
			// Nothing changed.
			expect((await loadCase(db, r.id)).version).toBe(r.version);
		}
		// `to` must match the table too: from verifying, send_back goes to handling only.
		const v = await caseAt('verifying');
		const err = await rejection(
			transition(db, v.id, input('send_back', v.version, { to: 'registered' }))
		);
		expect(err).toMatchObject({ status: 409, details: { currentStatus: 'verifying' } });
	});

	it('answers a stale version with 409, the current record and what changed', async () => {
		const r = await caseAt('registered');
		// Officer A dispatches; officer B still holds the old version.
		await transition(db, r.id, input('dispatch', r.version, { actor: 'A' }));
		const err = await rejection(transition(db, r.id, input('dispatch', r.version, { actor: 'B' })));
		expect(err).toMatchObject({ status: 409, field: 'version' });
		const details = err.details as { current: CaseRecord; changes: { actor: string }[] };
		expect(details.current).toMatchObject({ status: 'dispatched', version: r.version + 1 });
		expect(details.changes.map((c) => c.actor)).toEqual(['A']);
	});

	it('requires assignees to dispatch and a comment to send back; bad input stores nothing', async () => {
		const r = await caseAt('registered');
		const noOne = await rejection(
			transition(db, r.id, input('dispatch', r.version, { assignees: [] }))
		);
		expect(noOne).toMatchObject({ status: 422, field: 'assignees' });
		const d = (await transition(db, r.id, input('dispatch', r.version))).record;
		const why = await rejection(
			transition(db, r.id, input('send_back', d.version, { comment: '' }))
		);
		expect(why).toMatchObject({ status: 422, field: 'comment' });
		const ghost = await rejection(
			transition(
				db,
				r.id,
				input('send_back', d.version, {
					assignees: [{ kind: 'patrol_unit', name: 'x', unitId: 'NOPE' }]
				})
			)
		);
		expect(ghost.status).toBe(422);
		expect((await caseDetail(db, r.id)).trail).toHaveLength(2);
		// Body validation names the field.
		const bodies: [unknown, string | null][] = [
			[{ action: 'fly', version: 1 }, 'action'],
			// The actor is the signed-in user: a body naming one is refused.
			[{ action: 'register', actor: 'a', version: 1 }, 'actor'],
			[{ action: 'register' }, 'version'],
			[{ action: 'register', version: 1.5 }, 'version'],
			[{ action: 'register', version: 1, extra: 1 }, 'extra'],
			[
				{ action: 'dispatch', version: 1, assignees: [{ kind: 'mayor', name: 'x' }] },
				'assignees.0.kind'
			],
			[[], null]
		];
		for (const [body, field] of bodies) {
			let err: unknown;
			try {
				validateTransition(body, 'a');
			} catch (e) {
				err = e;
			}
			expect(err).toMatchObject({ status: 422, field });
		}
	});

	it('records the audit trail and summons several departments (中心吹哨、部门报到)', async () => {
		const r = await caseAt('registered');
		const depts = [
			{ kind: 'department' as const, name: '城管执法局' },
			{ kind: 'department' as const, name: '生态环境局' }
		];
		let v = (await transition(db, r.id, input('dispatch', r.version, { assignees: depts }))).record
			.version;
		v = (await transition(db, r.id, input('accept', v))).record.version;
		v = (await transition(db, r.id, input('submit', v))).record.version;
		v = (await transition(db, r.id, input('send_back', v, { comment: '现场未整改到位' }))).record
			.version;
		v = (await transition(db, r.id, input('submit', v))).record.version;
		await transition(db, r.id, input('close', v, { actor: '核查员乙', comment: '已核实' }));
		const detail = await caseDetail(db, r.id);
		expect(detail.status).toBe('closed');
		expect(detail.trail.map((e) => [e.action, e.from, e.to])).toEqual([
			['register', 'reported', 'registered'],
			['dispatch', 'registered', 'dispatched'],
			['accept', 'dispatched', 'handling'],
			['submit', 'handling', 'verifying'],
			['send_back', 'verifying', 'handling'],
			['submit', 'handling', 'verifying'],
			['close', 'verifying', 'closed']
		]);
		expect(detail.trail[4]).toMatchObject({ comment: '现场未整改到位', actor: '值班员甲' });
		expect(detail.trail[6]).toMatchObject({ actor: '核查员乙', version: detail.version });
		expect(detail.trail[1].assignees).toEqual(depts);
		expect(detail.assignees.map((a) => a.name)).toEqual(['城管执法局', '生态环境局']);
		expect(detail.assignees.every((a) => a.releasedAt !== null)).toBe(true); // closed
		for (const e of detail.trail) expect(e.at).toBeGreaterThan(Date.now() - 60_000);
	});
});

describe(`deadlines and 督办 (${TEST_BACKEND})`, () => {
	it('sets the deadline by priority and lists open overdue cases', async () => {
		const hour = 3_600_000;
		const ts = Date.now() - 3 * hour;
		const late = (await report({ ts, priority: 1 })).records[0];
		const onTime = (await report({ ts, priority: 4 })).records[0];
		expect(late).toMatchObject({ deadline: ts + DEADLINE_HOURS[1] * hour, overdue: true });
		expect(onTime).toMatchObject({ deadline: ts + DEADLINE_HOURS[4] * hour, overdue: false });
		const closed = await caseAt('closed', ts);
		const ids = (await listOverdue(db, 1000)).map((r) => r.id);
		expect(ids).toContain(late.id);
		expect(ids).not.toContain(onTime.id);
		expect(ids).not.toContain(closed.id);
		const list = await listOverdue(db, 1000);
		for (let i = 1; i < list.length; i++)
			expect(list[i].deadline).toBeGreaterThanOrEqual(list[i - 1].deadline);

		// 督办 on the overdue case is recorded; on a case within its deadline it is refused.
		const { record, entry } = await transition(db, late.id, input('supervise', late.version));
		expect(record).toMatchObject({ status: 'reported', overdue: true });
		expect(record.supervisedAt).not.toBeNull();
		expect(entry).toMatchObject({ action: 'supervise', from: 'reported', to: 'reported' });
		const err = await rejection(transition(db, onTime.id, input('supervise', onTime.version)));
		expect(err).toMatchObject({ status: 409, field: 'action' });
	});
});

describe(`repeat complaints (${TEST_BACKEND})`, () => {
	it('links ≥ 3 reports of one type within 100 m and 7 days, not 2', async () => {
		const at = { lon: 117.625, lat: 39.0155 };
		const near = { lon: 117.6255, lat: 39.0157 }; // ~47 m away
		const day = 86_400_000;
		const first = await intake(
			db,
			validateIntake({ type: 'pollution', ...at, ts: Date.now() - 3 * day }).incidents,
			false
		);
		// Not counted: another type, a spot 300 m away, a report 9 days earlier.
		await intake(db, validateIntake({ type: 'traffic', ...near }).incidents, false);
		await intake(
			db,
			validateIntake({ type: 'pollution', lon: 117.6285, lat: 39.0155 }).incidents,
			false
		);
		await intake(
			db,
			validateIntake({ type: 'pollution', ...at, ts: Date.now() - 12 * day }).incidents,
			false
		);
		const second = await intake(
			db,
			validateIntake({ type: 'pollution', ...near }).incidents,
			false
		);
		expect(second.records[0].repeatGroup).toBeNull();
		expect(second.linked).toEqual([]);
		expect((await loadCase(db, first.records[0].id)).repeatGroup).toBeNull();

		const third = await intake(db, validateIntake({ type: 'pollution', ...at }).incidents, false);
		const group = first.records[0].id;
		expect(third.records[0].repeatGroup).toBe(group);
		expect(third.linked.map((r) => r.id).sort()).toEqual(
			[first.records[0].id, second.records[0].id].sort()
		);
		expect(third.linked.every((r) => r.repeatGroup === group)).toBe(true);
		const detail = await caseDetail(db, third.records[0].id);
		expect(detail.repeats.map((r) => r.id).sort()).toEqual(
			[first.records[0].id, second.records[0].id].sort()
		);
		// A fourth joins the same group.
		const fourth = await intake(
			db,
			validateIntake({ type: 'pollution', ...near }).incidents,
			false
		);
		expect(fourth.records[0].repeatGroup).toBe(group);
	});
});

describe(`alerts (${TEST_BACKEND})`, () => {
	it('escalates an incident inside a hazmat risk radius to priority 1 and raises an alert', async () => {
		// HZ001 at (117.635, 39.005), risk radius 400 m: ~230 m away is inside, ~560 m is not.
		const inside = await intake(
			db,
			validateIntake({ type: 'city_appearance', lon: 117.6375, lat: 39.0059 }).incidents,
			false
		);
		expect(inside.records[0]).toMatchObject({ priority: 1, hazmatSiteId: 'HZ001' });
		expect(inside.alerts).toHaveLength(1);
		expect(inside.alerts[0]).toMatchObject({
			kind: 'hazmat_radius',
			incidentId: inside.records[0].id,
			siteId: 'HZ001',
			ackedAt: null
		});
		expect(inside.alerts[0].distanceM).toBeGreaterThan(200);
		expect(inside.alerts[0].distanceM).toBeLessThan(400);
		const outside = await intake(
			db,
			validateIntake({ type: 'city_appearance', lon: 117.635, lat: 39.01 }).incidents,
			false
		);
		expect(outside.records[0]).toMatchObject({ priority: 4, hazmatSiteId: null });
		expect(outside.alerts).toEqual([]);

		const open = await listAlerts(db, true);
		expect(open.map((a) => a.id)).toContain(inside.alerts[0].id);
		// The count is of every open alert, not of the page a list shows.
		expect(await countAlerts(db, true)).toBe(open.length);
		expect(await listAlerts(db, true, 1)).toHaveLength(1);
		expect(await countAlerts(db, false)).toBeGreaterThanOrEqual(open.length);
		expect((await caseDetail(db, inside.records[0].id)).alerts).toHaveLength(1);
		const acked = await ackAlert(db, inside.alerts[0].id, '值班员甲');
		expect(acked).toMatchObject({ ackedBy: '值班员甲' });
		expect((await listAlerts(db, true)).map((a) => a.id)).not.toContain(acked.id);
		expect(await rejection(ackAlert(db, acked.id, '值班员乙'))).toMatchObject({ status: 409 });
		expect(await rejection(ackAlert(db, 987_654, 'x'))).toMatchObject({ status: 404 });
	});

	it('alerts once when a hazmat vehicle leaves its lane, and re-arms when it is back', () => {
		const lane: [number, number][] = [
			[117.605, 39.005],
			[117.635, 39.005]
		];
		const state = { off: new Set<string>() };
		const v = (lat: number) => ({ id: 'HV01', laneId: 'HL01', lon: 117.62, lat });
		const m = 1 / 111_320; // a metre of latitude
		expect(distanceToLineM(117.62, 39.005 + 100 * m, lane)).toBeCloseTo(100, 0);
		expect(offLaneRule(state, v(39.005 + 100 * m), lane)).toBeNull(); // on the lane
		const hit = offLaneRule(state, v(39.005 + 200 * m), lane);
		expect(hit).toMatchObject({ vehicleId: 'HV01', laneId: 'HL01' });
		expect(hit!.distanceM).toBeGreaterThan(OFF_LANE_THRESHOLD_M);
		expect(offLaneRule(state, v(39.005 + 300 * m), lane)).toBeNull(); // still off: no repeat
		expect(offLaneRule(state, v(39.005), lane)).toBeNull(); // back on
		expect(offLaneRule(state, v(39.005 - 180 * m), lane)).not.toBeNull(); // off again
		// Past the lane's end counts too (distance to the end point).
		expect(distanceToLineM(117.64, 39.005, lane)).toBeCloseTo(432, -1);
	});

	it('the simulator drives vehicles along the lanes, some straying, and stores their alerts', async () => {
		const fleet = new HazmatFleet([
			{
				id: 'HL01',
				coords: [
					[117.605, 39.005],
					[117.635, 39.005]
				]
			}
		]);
		const day = Array.from({ length: 2880 }, (_, i) => fleet.positions(T0 + i * 30_000)).flat();
		expect(new Set(day.map((p) => p.id))).toEqual(new Set(['HV01', 'HV02']));
		const off = day.filter((p) => p.offLaneM > OFF_LANE_THRESHOLD_M);
		expect(off.length).toBeGreaterThan(0); // strays happen…
		expect(off.length).toBeLessThan(day.length * 0.2); // …now and then
		for (const p of day.filter((q) => q.offLaneM === 0)) {
			expect(p.lat).toBeCloseTo(39.005, 5);
			expect(p.lon).toBeGreaterThanOrEqual(117.605 - 1e-6);
			expect(p.lon).toBeLessThanOrEqual(117.635 + 1e-6);
		}

		// Through the simulator: at the first off-lane moment, one alert stored and published.
		const idx = day.findIndex((p) => p.offLaneM > OFF_LANE_THRESHOLD_M);
		const at = T0 + Math.floor(idx / 2) * 30_000; // two vehicles per time step
		const events: LiveEvent[] = [];
		const bus = new LiveBus();
		bus.subscribe({
			send: (bytes) => {
				const text = new TextDecoder().decode(bytes);
				const type = /event: (\w+)/.exec(text)![1];
				events.push({ type, ...JSON.parse(/data: (.*)/.exec(text)![1]) } as LiveEvent);
			},
			close: () => {}
		});
		const sim = new Simulator(db, bus, { ratePerMinute: 1, now: () => at });
		await sim.load();
		const alerts = await sim.publishVehicles();
		expect(alerts.length).toBeGreaterThan(0);
		expect(alerts[0]).toMatchObject({ kind: 'vehicle_off_lane', laneId: 'HL01' });
		expect(await sim.publishVehicles()).toEqual([]); // still off: no second alert
		expect(events.map((e) => e.type)).toEqual(['vehicles', 'alerts', 'vehicles']);
		expect((await listAlerts(db, true)).map((a) => a.id)).toContain(alerts[0].id);
	});
});

describe(`dispatch of the nearest unit (${TEST_BACKEND})`, () => {
	it('ranks units by distance and dispatches the nearest available one', async () => {
		// At local midnight PU01 (land) is at (117.601, 39.001), PU02 (sea) at (117.65, 39.0).
		const at = T0;
		const positions = await unitPositions(db, at);
		expect(positions.find((p) => p.id === 'PU01')).toMatchObject({ lon: 117.601, lat: 39.001 });
		const a = (await report({ lon: 117.61, lat: 39.0025 })).records[0];
		const ranked = await rankUnits(db, a.lon, a.lat, positions);
		expect(ranked.map((u) => u.id)).toEqual(['PU01', 'PU02']);
		expect(ranked[0].distanceM).toBeGreaterThan(700);
		expect(ranked[0].distanceM).toBeLessThan(900);
		expect(ranked[0].etaS).toBe(Math.round(ranked[0].distanceM / (40_000 / 3600)));

		// A reported case is registered and dispatched in one go; PU01 is then busy.
		const first = await dispatchNearest(
			db,
			a.id,
			{ actor: '值班员甲', version: a.version, comment: '' },
			positions,
			at
		);
		expect(first.unit).toMatchObject({ id: 'PU01', status: 'responding' });
		expect(first.transitions.map((t) => t.entry.action)).toEqual(['register', 'dispatch']);
		const detail = await caseDetail(db, a.id);
		expect(detail).toMatchObject({ status: 'dispatched' });
		expect(detail.assignees).toEqual([
			expect.objectContaining({ kind: 'patrol_unit', unitId: 'PU01', name: '陆巡-01' })
		]);
		expect((await rankUnits(db, a.lon, a.lat, positions))[0]).toMatchObject({
			id: 'PU01',
			available: false
		});

		// The next case gets PU02; with land only, none is left → 409.
		const b = await caseAt('registered');
		const landOnly = await rejection(
			dispatchNearest(
				db,
				b.id,
				{ actor: 'x', version: b.version, comment: '', mode: 'land' },
				positions,
				at
			)
		);
		expect(landOnly.status).toBe(409);
		const second = await dispatchNearest(
			db,
			b.id,
			{ actor: 'x', version: b.version, comment: '' },
			positions,
			at
		);
		expect(second.unit.id).toBe('PU02');
		expect(second.transitions.map((t) => t.entry.action)).toEqual(['dispatch']);

		// A stale version is refused as for any transition.
		const c = await caseAt('registered');
		expect(
			await rejection(
				dispatchNearest(
					db,
					c.id,
					{ actor: 'x', version: c.version - 1, comment: '' },
					positions,
					at
				)
			)
		).toMatchObject({ status: 409, field: 'version' });

		// Sending the first case back releases PU01.
		const cur = await loadCase(db, a.id);
		const back = await transition(db, a.id, input('send_back', cur.version));
		expect(back.released).toEqual(['PU01']);
		expect((await rankUnits(db, a.lon, a.lat, positions))[0]).toMatchObject({
			id: 'PU01',
			available: true
		});
	});
});
