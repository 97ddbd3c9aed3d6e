/**
 * Scheduled publishing (a publish with an effective date after today, CST): the draft is checked
 * and frozen, not applied; cancelling; the scheduler's run publishes it on its day as the planner
 * who scheduled it, and unschedules (audit `plan.schedule_failed`) a draft it cannot publish —
 * on the fixture city, with the clock passed in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GridFeature } from '$lib/domain/city';
import { listAudit } from '../audit/audit';
import { loadCity } from '../city/load';
import type { Db } from '../db/types';
import { LiveBus } from '../live/bus';
import { openTestDb, TEST_BACKEND } from '../testing/db';
import {
	COMMUNITY_A1,
	COMMUNITY_B1,
	GRID_A1_01,
	GRID_A1_02,
	fixtureCity
} from '../testing/fixtureCity';
import { publishPlan } from './publish';
import {
	applyDuePlans,
	cstToday,
	isFutureDate,
	PlanScheduler,
	schedulePlan,
	unschedulePlan
} from './schedule';
import { discardDraft, getPlan, saveDraft } from './store';
import { rect, rejected } from './testing';

let db: Db;
beforeAll(async () => {
	db = await openTestDb();
	await db.transaction((tx) => loadCity(tx, fixtureCity()));
}, 120_000);
afterAll(() => db?.close());

/** 2026-12-01 10:00 CST. */
const NOW = Date.UTC(2026, 11, 1, 2);
/** The first instant of 2026-12-03 in CST. */
const DEC3 = Date.UTC(2026, 11, 2, 16);
const planner = { id: 'u-planner', displayName: '规划员甲', role: 'planner' as const };

async function splitDraft() {
	const plan = await getPlan(db, COMMUNITY_A1);
	const [a, b] = plan.published.grids.features as [GridFeature, GridFeature];
	expect([a.properties.id, b.properties.id]).toEqual([GRID_A1_01, GRID_A1_02]);
	return saveDraft(
		db,
		COMMUNITY_A1,
		{
			version: null,
			grids: {
				type: 'FeatureCollection',
				features: [
					a,
					{
						...b,
						properties: { ...b.properties, id: 'N_W' },
						geometry: rect(117.6, 39.01, 117.61, 39.02)
					},
					{
						...b,
						properties: { ...b.properties, id: 'N_E' },
						geometry: rect(117.61, 39.01, 117.62, 39.02)
					}
				]
			},
			note: '拆分北片'
		},
		planner
	);
}

describe(`scheduled plans (${TEST_BACKEND})`, () => {
	it('tells a future effective date (CST) from today and earlier', () => {
		// 2026-11-30 16:30 UTC is already 2026-12-01 in China.
		expect(isFutureDate('2026-12-01', Date.UTC(2026, 10, 30, 16, 30))).toBe(false);
		expect(isFutureDate('2026-12-01', Date.UTC(2026, 10, 30, 15, 59))).toBe(true);
		expect(isFutureDate('2026-11-01', NOW)).toBe(false);
	});

	it('schedules a checked draft without publishing it, freezes it, and cancels', async () => {
		const draft = await splitDraft();
		const out = await schedulePlan(
			db,
			COMMUNITY_A1,
			{ version: draft.version, effectiveDate: '2026-12-03', note: '' },
			planner,
			NOW
		);
		expect(out).toEqual({
			scheduled: {
				effectiveDate: '2026-12-03',
				by: '规划员甲',
				at: new Date(NOW).toISOString(),
				draftVersion: draft.version
			}
		});
		const plan = await getPlan(db, COMMUNITY_A1);
		expect(plan.published.version).toBe(0);
		expect(plan.published.grids.features.map((f) => f.properties.id)).toEqual([
			GRID_A1_01,
			GRID_A1_02
		]);
		expect(plan.draft?.scheduled).toEqual({
			effectiveDate: '2026-12-03',
			by: '规划员甲',
			at: new Date(NOW).toISOString(),
			note: '拆分北片'
		});

		// Frozen: save, discard, a second schedule and a publish now are 409 naming the schedule.
		// One after the other: each call starts only when awaited (no rejection left unhandled).
		const frozen: (() => Promise<unknown>)[] = [
			() => saveDraft(db, COMMUNITY_A1, { version: draft.version, grids: draft.grids }, 'x'),
			() => discardDraft(db, COMMUNITY_A1, draft.version, 'x'),
			() =>
				schedulePlan(
					db,
					COMMUNITY_A1,
					{ version: draft.version, effectiveDate: '2026-12-05', note: '' },
					'x'
				),
			() =>
				publishPlan(
					db,
					COMMUNITY_A1,
					{ version: draft.version, effectiveDate: '2026-12-01', note: '' },
					'x'
				)
		];
		for (const call of frozen) {
			const e = await rejected(call());
			expect(e.status).toBe(409);
			expect(e.message).toMatch(
				/scheduled to be published on 2026-12-03 \(by 规划员甲\).*Cancel the schedule first/
			);
		}
		expect((await getPlan(db, COMMUNITY_A1)).draft?.version).toBe(draft.version);

		// Cancel: stale version 409, not scheduled 404, then 204-worthy.
		expect((await rejected(unschedulePlan(db, COMMUNITY_A1, draft.version + 1, 'x'))).status).toBe(
			409
		);
		expect((await rejected(unschedulePlan(db, COMMUNITY_B1, 1, 'x'))).status).toBe(404);
		await unschedulePlan(db, COMMUNITY_A1, draft.version, '规划员乙');
		expect((await getPlan(db, COMMUNITY_A1)).draft).toMatchObject({
			version: draft.version,
			scheduled: null
		});
		expect((await rejected(unschedulePlan(db, COMMUNITY_A1, draft.version, 'x'))).status).toBe(404);

		const audit = await listAudit(db, { targetType: 'plan', targetId: COMMUNITY_A1, limit: 10 });
		const actions = audit.map((a) => `${a.action} ${a.actor}`);
		expect(actions.slice(0, 2)).toEqual(['plan.unschedule 规划员乙', 'plan.schedule 规划员甲']);
		await discardDraft(db, COMMUNITY_A1, draft.version, 'x'); // editable again
	});

	it('publishes a due draft as the planner who scheduled it, not before its day', async () => {
		const draft = await splitDraft();
		await schedulePlan(
			db,
			COMMUNITY_A1,
			{ version: draft.version, effectiveDate: '2026-12-03', note: '' },
			planner,
			NOW
		);
		const bus = new LiveBus();
		const frames: string[] = [];
		bus.subscribe({ send: (f) => frames.push(new TextDecoder().decode(f)), close() {} });
		let reloads = 0;
		const simulator = { reloadGrids: async () => void reloads++ };
		const logs: string[] = [];

		expect(await applyDuePlans(db, bus, simulator, DEC3 - 1, (m) => logs.push(m))).toEqual([]);
		expect((await getPlan(db, COMMUNITY_A1)).published.version).toBe(0);

		const applied = await applyDuePlans(db, bus, simulator, DEC3, (m) => logs.push(m));
		expect(applied).toEqual([
			{ communityId: COMMUNITY_A1, effectiveDate: '2026-12-03', version: 1 }
		]);
		const plan = await getPlan(db, COMMUNITY_A1);
		expect(plan.draft).toBeNull();
		expect(plan.published).toMatchObject({
			version: 1,
			publishedBy: '规划员甲',
			effectiveDate: '2026-12-03',
			publishedAt: new Date(DEC3).toISOString()
		});
		expect(plan.published.grids.features).toHaveLength(3);
		expect(reloads).toBe(1);
		const planFrame = frames.find((f) => f.includes('event: plan'))!;
		expect(JSON.parse(planFrame.split('data: ')[1])).toMatchObject({
			communityId: COMMUNITY_A1,
			version: 1,
			publishedBy: '规划员甲'
		});
		const [entry] = await listAudit(db, { targetType: 'plan', targetId: COMMUNITY_A1, limit: 1 });
		expect(entry).toMatchObject({
			action: 'plan.publish',
			actor: '规划员甲',
			actorId: 'u-planner',
			actorRole: 'planner'
		});
		expect(logs).toEqual([]);
		// Nothing is due any more.
		expect(await applyDuePlans(db, bus, simulator, DEC3 + 3_600_000)).toEqual([]);
	});

	it('unschedules a draft it cannot publish, keeps it and records why', async () => {
		const published = (await getPlan(db, COMMUNITY_A1)).published.grids;
		const draft = await saveDraft(db, COMMUNITY_A1, { version: null, grids: published }, planner);
		await schedulePlan(
			db,
			COMMUNITY_A1,
			{ version: draft.version, effectiveDate: '2026-12-04', note: '换人' },
			planner,
			NOW
		);
		// As if the stored draft had gone bad meanwhile: its first grid now covers the others.
		await db.query(
			`UPDATE plan_draft SET grids = jsonb_set(grids, '{features,0,geometry}', $2::jsonb)
			 WHERE community_id = $1`,
			[COMMUNITY_A1, JSON.stringify(rect(117.6, 39.0, 117.62, 39.02))]
		);
		const logs: string[] = [];
		const applied = await applyDuePlans(db, null, null, DEC3 + 86_400_000, (m) => logs.push(m));
		expect(applied).toHaveLength(1);
		expect(applied[0]).toMatchObject({ communityId: COMMUNITY_A1, version: null });
		expect(applied[0].error).toMatch(/overlap/i);
		expect(logs[0]).toMatch(/refused, unscheduled/);

		const plan = await getPlan(db, COMMUNITY_A1);
		expect(plan.published.version).toBe(1);
		expect(plan.draft).toMatchObject({ version: draft.version, scheduled: null });
		const [entry] = await listAudit(db, { targetType: 'plan', targetId: COMMUNITY_A1, limit: 1 });
		expect(entry).toMatchObject({ action: 'plan.schedule_failed', actor: 'plan scheduler' });
		expect((entry.after as { reason: string }).reason).toMatch(/overlap/i);
		expect(entry.before).toMatchObject({
			scheduled: { effectiveDate: '2026-12-04', by: '规划员甲' }
		});
		await discardDraft(db, COMMUNITY_A1, draft.version, 'x');
	});

	it("the app's scheduler publishes a due draft at start-up and stops cleanly", async () => {
		const published = (await getPlan(db, COMMUNITY_B1)).published;
		const draft = await saveDraft(
			db,
			COMMUNITY_B1,
			{ version: null, grids: published.grids, note: '今日生效' },
			planner
		);
		// Scheduled for today (as if the server had been down on the day): due at once.
		await schedulePlan(
			db,
			COMMUNITY_B1,
			{ version: draft.version, effectiveDate: cstToday(), note: '' },
			planner
		);
		const scheduler = new PlanScheduler(db, new LiveBus(), null);
		scheduler.start();
		await scheduler.stop(); // waits for the start-up run
		const after = await getPlan(db, COMMUNITY_B1);
		expect(after.draft).toBeNull();
		expect(after.published).toMatchObject({
			version: published.version + 1,
			publishedBy: '规划员甲',
			effectiveDate: cstToday()
		});
	});
});
