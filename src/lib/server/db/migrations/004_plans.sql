-- Grid plans (issue 7): one shared working draft per community with an optimistic version,
-- every saved revision of it (so a 409 can say which grids the other planner changed), and the
-- published plan versions. The `grid` table stays the live, published truth the map and the
-- incident placement read; a publish rewrites a community's rows there in one transaction.

-- The working draft of a community (at most one). `version` grows with every save and never
-- repeats within a community (a new draft after a discard continues the count), so a client
-- holding a version of a discarded draft can never overwrite a newer one by accident.
CREATE TABLE plan_draft (
	community_id text PRIMARY KEY REFERENCES community (id),
	version integer NOT NULL,
	-- The published plan version the draft started from; publishing checks it is still current.
	base_plan_version integer NOT NULL,
	-- GeoJSON FeatureCollection of GridFeature (src/lib/domain/city.ts), WGS84.
	grids jsonb NOT NULL,
	note text NOT NULL DEFAULT '',
	updated_by text NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every saved state of every draft, never updated (the draft row is the latest of these).
CREATE TABLE plan_draft_revision (
	community_id text NOT NULL REFERENCES community (id),
	version integer NOT NULL,
	grids jsonb NOT NULL,
	updated_by text NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (community_id, version)
);

-- Published plans. Version 0 is the generated city's grids, recorded at the first publish of the
-- community (before that, version 0 is read from the grid table). added/removed/reshaped are
-- grid ids relative to the previous version.
CREATE TABLE plan_version (
	community_id text NOT NULL REFERENCES community (id),
	version integer NOT NULL CHECK (version >= 0),
	published_at timestamptz,
	published_by text,
	effective_date date,
	note text NOT NULL DEFAULT '',
	added text[] NOT NULL DEFAULT '{}',
	removed text[] NOT NULL DEFAULT '{}',
	reshaped text[] NOT NULL DEFAULT '{}',
	grids jsonb NOT NULL,
	PRIMARY KEY (community_id, version)
);
