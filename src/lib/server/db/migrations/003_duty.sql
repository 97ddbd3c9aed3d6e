-- Duty officer (issue 5): case lifecycle with an audit trail, assignees, optimistic concurrency,
-- repeat-complaint links, alerts, and patrol units held by a case.

-- `version` counts changes to one incident (the client sends the one it saw; a stale one is
-- refused). It is bumped by the same trigger as `rev`, so no writer can forget it.
-- `repeat_group`: the smallest id of a linked repeat-complaint group (null: not a repeat).
-- `hazmat_site_id`: the site whose risk radius the incident lies in (escalated at intake).
-- `supervised_at`: when an officer issued 督办 on the overdue case (the overdue flag itself is
-- computed on read from ts + priority, see incidents/deadlines.ts).
ALTER TABLE incident
	ADD COLUMN version integer NOT NULL DEFAULT 1,
	ADD COLUMN repeat_group bigint,
	ADD COLUMN hazmat_site_id text,
	ADD COLUMN supervised_at timestamptz;
CREATE INDEX incident_repeat_group_idx ON incident (repeat_group) WHERE repeat_group IS NOT NULL;

CREATE OR REPLACE FUNCTION incident_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.rev := nextval('incident_rev_seq');
	NEW.version := OLD.version + 1;
	RETURN NEW;
END
$$;

-- The audit trail: one row per transition, never updated. `version` is the incident's version
-- after the change, so "what changed since version v" is `version > v`.
CREATE TABLE incident_event (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	incident_id bigint NOT NULL REFERENCES incident (id),
	at timestamptz NOT NULL DEFAULT now(),
	actor text NOT NULL,
	action text NOT NULL,
	from_status text NOT NULL,
	to_status text NOT NULL,
	comment text NOT NULL DEFAULT '',
	assignees jsonb NOT NULL DEFAULT '[]',
	version integer NOT NULL
);
CREATE INDEX incident_event_incident_idx ON incident_event (incident_id, id);

-- Who a case is dispatched to ("中心吹哨、部门报到": several departments may report to one case).
-- A send-back from dispatched releases them (released_at), the rows stay for the record.
CREATE TABLE incident_assignee (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	incident_id bigint NOT NULL REFERENCES incident (id),
	kind text NOT NULL CHECK (kind IN ('grid_worker', 'department', 'patrol_unit')),
	name text NOT NULL,
	unit_id text REFERENCES patrol_unit (id),
	assigned_at timestamptz NOT NULL DEFAULT now(),
	released_at timestamptz
);
CREATE INDEX incident_assignee_incident_idx ON incident_assignee (incident_id);

-- A patrol unit sent to a case is unavailable until the case is closed or sent back.
ALTER TABLE patrol_unit ADD COLUMN responding_incident_id bigint REFERENCES incident (id);

CREATE TABLE alert (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind text NOT NULL CHECK (kind IN ('hazmat_radius', 'vehicle_off_lane')),
	ts timestamptz NOT NULL DEFAULT now(),
	lon double precision NOT NULL,
	lat double precision NOT NULL,
	incident_id bigint REFERENCES incident (id),
	site_id text,
	vehicle_id text,
	lane_id text,
	distance_m double precision,
	message text NOT NULL,
	acked_at timestamptz,
	acked_by text
);
CREATE INDEX alert_open_idx ON alert (ts) WHERE acked_at IS NULL;
CREATE INDEX alert_incident_idx ON alert (incident_id) WHERE incident_id IS NOT NULL;
