/**
 * Scheduled publishing of grid plans. POST /api/plans/{cid}/publish with an effective date after
 * today (China Standard Time, the app's day) runs the publish's checks (versions, core + PostGIS)
 * and then only marks the draft as scheduled (plan_draft.scheduled_*); the draft is frozen until
 * the schedule is cancelled (DELETE /api/plans/{cid}/schedule) or applied. The PlanScheduler
 * (started with the app) publishes every draft whose day has come, as the planner who scheduled
 * it; a publish that fails (the plan changed meanwhile, the check fails) unschedules the draft,
 * keeps it, and records `plan.schedule_failed` with the reason.
 */
import { ROLES, type Role } from '$lib/domain/auth';
import type { ScheduleResult } from '$lib/domain/plans';
import { cstDate } from '$lib/domain/time';
import { recordAudit, toActor, type AuditActor } from '../audit/audit';
import type { Db } from '../db/types';
import { ApiError } from '../http/errors';
import type { LiveBus } from '../live/bus';
import type { Simulator } from '../live/simulator';
import {
	expectCurrentBase,
	publishPlan,
	publishPlanEvents,
	type PublishInput,
	type PublishOutcome
} from './publish';
import {
	checkedGrids,
	draftSummary,
	expectDraftVersion,
	loadCommunity,
	loadDraft,
	lockCommunity
} from './store';

/** Today (YYYY-MM-DD) in China Standard Time. */
export const cstToday = (now: number = Date.now()): string => cstDate(now);

/** Is a publish with this effective date a schedule (a day after today, CST)? */
export const isFutureDate = (effectiveDate: string, now: number = Date.now()): boolean =>
	effectiveDate > cstToday(now);

/** POST /api/plans/{cid}/publish with a future effective date → 202 `{ scheduled }`. */
export async function schedulePlan(
	db: Db,
	cid: string,
	input: PublishInput,
	by: AuditActor | string,
	at: number = Date.now()
): Promise<ScheduleResult> {
	const who = toActor(by);
	const community = await loadCommunity(db, cid);
	// The publish's checks now, so a schedule is only made of a draft that would publish today.
	const seen = await expectDraftVersion(db, cid, input.version);
	await checkedGrids(db, community, seen!.grids.features, undefined, 'The draft');
	return db.transaction(async (tx) => {
		await lockCommunity(tx, cid);
		const draft = (await expectDraftVersion(tx, cid, input.version))!;
		const current = await expectCurrentBase(tx, cid, draft);
		const note = input.note || draft.note;
		await tx.query(
			`UPDATE plan_draft SET scheduled_for = $2::date, scheduled_note = $3, scheduled_by = $4,
			   scheduled_by_id = $5, scheduled_by_role = $6, scheduled_at = to_timestamp($7 / 1000.0)
			 WHERE community_id = $1`,
			[cid, input.effectiveDate, note, who.displayName, who.id, who.role, at]
		);
		await recordAudit(tx, {
			actor: who,
			action: 'plan.schedule',
			targetType: 'plan',
			targetId: cid,
			before: { version: current.version },
			after: {
				...draftSummary(draft.version, draft.grids),
				effectiveDate: input.effectiveDate,
				note
			}
		});
		return {
			scheduled: {
				effectiveDate: input.effectiveDate,
				by: who.displayName,
				at: new Date(at).toISOString(),
				draftVersion: draft.version
			}
		};
	});
}

/** DELETE /api/plans/{cid}/schedule?version=N: 404 when not scheduled, 409 when stale. */
export async function unschedulePlan(
	db: Db,
	cid: string,
	seen: number,
	by: AuditActor | string,
	action: 'plan.unschedule' | 'plan.schedule_failed' = 'plan.unschedule',
	reason?: string
): Promise<void> {
	await db.transaction(async (tx) => {
		await loadCommunity(tx, cid);
		await lockCommunity(tx, cid);
		const draft = await loadDraft(tx, cid);
		if (!draft?.scheduled)
			throw new ApiError(
				404,
				`The draft of community ${cid} is not scheduled${draft ? '' : ' (there is no draft)'}.`,
				'cid'
			);
		await expectDraftVersion(tx, cid, seen, 'allow');
		await tx.query(
			`UPDATE plan_draft SET scheduled_for = NULL, scheduled_note = NULL, scheduled_by = NULL,
			   scheduled_by_id = NULL, scheduled_by_role = NULL, scheduled_at = NULL
			 WHERE community_id = $1`,
			[cid]
		);
		await recordAudit(tx, {
			actor: toActor(by),
			action,
			targetType: 'plan',
			targetId: cid,
			before: { draftVersion: draft.version, scheduled: draft.scheduled },
			after: reason === undefined ? null : { reason }
		});
	});
}

/** The scheduler's own audit actor (a failed schedule's entry). */
export const SCHEDULER_ACTOR: AuditActor = {
	id: 'system:plan-scheduler',
	displayName: 'plan scheduler',
	role: null
};

interface DueRow {
	community_id: string;
	version: number;
	scheduled_for: string;
	scheduled_note: string | null;
	scheduled_by: string | null;
	scheduled_by_id: string | null;
	scheduled_by_role: string | null;
}

export interface AppliedSchedule {
	communityId: string;
	effectiveDate: string;
	/** The published version, or null when the publish failed (then `error` says why). */
	version: number | null;
	error?: string;
}

/**
 * Publishes every scheduled draft whose effective date is today or earlier (CST at `now`), as
 * the planner who scheduled it, then its live events and the simulator's grids. A publish that
 * is refused (ApiError: the plan changed meanwhile, the check fails) unschedules the draft,
 * keeps it and records `plan.schedule_failed`; any other error (the database away) is logged
 * and the schedule kept, so the next run tries again. Never throws for one community.
 */
export async function applyDuePlans(
	db: Db,
	bus: LiveBus | null,
	simulator: Pick<Simulator, 'reloadGrids'> | null,
	now: number = Date.now(),
	log: (message: string) => void = (m) => console.warn(`[onemap] ${m}`)
): Promise<AppliedSchedule[]> {
	const due = await db.query<DueRow>(
		`SELECT community_id, version, scheduled_for::text AS scheduled_for, scheduled_note,
		   scheduled_by, scheduled_by_id, scheduled_by_role
		 FROM plan_draft WHERE scheduled_for IS NOT NULL AND scheduled_for <= $1::date
		 ORDER BY scheduled_for, community_id`,
		[cstToday(now)]
	);
	const out: AppliedSchedule[] = [];
	for (const d of due) {
		const cid = d.community_id;
		const actor: AuditActor = {
			id: d.scheduled_by_id ?? `name:${d.scheduled_by ?? 'unknown'}`,
			displayName: d.scheduled_by ?? 'unknown',
			role: ROLES.includes(d.scheduled_by_role as Role) ? (d.scheduled_by_role as Role) : null
		};
		let outcome: PublishOutcome;
		try {
			outcome = await publishPlan(
				db,
				cid,
				{ version: d.version, effectiveDate: d.scheduled_for, note: d.scheduled_note ?? '' },
				actor,
				now,
				true
			);
		} catch (err) {
			const reason = err instanceof Error ? err.message : String(err);
			out.push({ communityId: cid, effectiveDate: d.scheduled_for, version: null, error: reason });
			if (!(err instanceof ApiError)) {
				log(`scheduled plan of ${cid} (${d.scheduled_for}) not published, will retry: ${reason}`);
				continue;
			}
			log(`scheduled plan of ${cid} (${d.scheduled_for}) refused, unscheduled: ${reason}`);
			try {
				await unschedulePlan(db, cid, d.version, SCHEDULER_ACTOR, 'plan.schedule_failed', reason);
			} catch (e) {
				log(`could not unschedule the plan of ${cid}: ${e instanceof Error ? e.message : e}`);
			}
			continue;
		}
		out.push({ communityId: cid, effectiveDate: d.scheduled_for, version: outcome.plan.version });
		try {
			await simulator?.reloadGrids();
			if (bus) publishPlanEvents(bus, cid, outcome, now);
		} catch (e) {
			log(`published the plan of ${cid}, but: ${e instanceof Error ? e.message : e}`);
		}
	}
	return out;
}

/** Runs applyDuePlans at start-up and then every minute (one run at a time). */
export class PlanScheduler {
	private timer: ReturnType<typeof setInterval> | null = null;
	private running: Promise<unknown> | null = null;

	constructor(
		private db: Db,
		private bus: LiveBus,
		private simulator: Pick<Simulator, 'reloadGrids'> | null,
		private everyMs = 60_000
	) {}

	/** One run now (skipped while one is running); never rejects. */
	tick(): Promise<unknown> {
		this.running ??= applyDuePlans(this.db, this.bus, this.simulator)
			.catch((err) =>
				console.warn(`[onemap] plan scheduler: ${err instanceof Error ? err.message : err}`)
			)
			.finally(() => {
				this.running = null;
			});
		return this.running;
	}

	start(): void {
		if (this.timer) return;
		void this.tick();
		this.timer = setInterval(() => void this.tick(), this.everyMs);
		this.timer.unref?.();
	}

	/** Stops the timer and waits for a run in progress (before the database closes). */
	async stop(): Promise<void> {
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
		await this.running;
	}
}
