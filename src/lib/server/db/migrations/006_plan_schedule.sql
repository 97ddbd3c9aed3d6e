-- Scheduled publishing of grid plans: a draft published with an effective date after today
-- (China Standard Time) is not applied at once but marked here; the server's plan scheduler
-- (src/lib/server/plans/schedule.ts) publishes it on that day as the planner who scheduled it.
-- While scheduled_for is set the draft is frozen (no save, import, discard or publish) until
-- the schedule is cancelled or applied. All columns are null for a draft that is not scheduled.
ALTER TABLE plan_draft
	ADD COLUMN scheduled_for date,
	ADD COLUMN scheduled_note text,
	-- Who scheduled it (display name, user id, role): the actor of the later publish.
	ADD COLUMN scheduled_by text,
	ADD COLUMN scheduled_by_id text,
	ADD COLUMN scheduled_by_role text,
	ADD COLUMN scheduled_at timestamptz;
