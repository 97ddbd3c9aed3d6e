-- The demo city's units, sites and routes. Geometries are WGS84 (SRID 4326), GiST-indexed.
-- `ord` keeps the order of the features in the generated files: the incident snapshot's
-- dictionary codes are positions in that order (src/lib/domain/incidents.ts).
CREATE EXTENSION IF NOT EXISTS postgis;

-- Small key/value facts about this database: its instance id, the demo manifest, versions.
CREATE TABLE meta (
	key text PRIMARY KEY,
	value jsonb NOT NULL
);
INSERT INTO meta (key, value) VALUES
	('instance', to_jsonb(md5(random()::text || clock_timestamp()::text))),
	('city_version', '0');

CREATE TABLE street (
	id text PRIMARY KEY,
	ord integer NOT NULL UNIQUE,
	name text NOT NULL,
	kind text NOT NULL CHECK (kind IN ('subdistrict', 'town')),
	population integer NOT NULL,
	households integer NOT NULL,
	area_km2 double precision NOT NULL,
	label_lon double precision NOT NULL,
	label_lat double precision NOT NULL,
	geom geometry(Polygon, 4326) NOT NULL
);
CREATE INDEX street_geom_idx ON street USING gist (geom);

CREATE TABLE community (
	id text PRIMARY KEY,
	ord integer NOT NULL UNIQUE,
	name text NOT NULL,
	kind text NOT NULL CHECK (kind IN ('community', 'village')),
	street_id text NOT NULL REFERENCES street (id),
	population integer NOT NULL,
	households integer NOT NULL,
	area_km2 double precision NOT NULL,
	label_lon double precision NOT NULL,
	label_lat double precision NOT NULL,
	geom geometry(Polygon, 4326) NOT NULL
);
CREATE INDEX community_geom_idx ON community USING gist (geom);

CREATE TABLE grid (
	id text PRIMARY KEY,
	ord integer NOT NULL UNIQUE,
	name text NOT NULL,
	community_id text NOT NULL REFERENCES community (id),
	street_id text NOT NULL REFERENCES street (id),
	population integer NOT NULL,
	households integer NOT NULL,
	area_km2 double precision NOT NULL,
	worker_name text NOT NULL,
	worker_phone text NOT NULL,
	geom geometry(Polygon, 4326) NOT NULL
);
CREATE INDEX grid_geom_idx ON grid USING gist (geom);

CREATE TABLE hazmat_site (
	id text PRIMARY KEY,
	ord integer NOT NULL UNIQUE,
	name text NOT NULL,
	zone text NOT NULL,
	hazard_class smallint NOT NULL,
	risk_level smallint NOT NULL CHECK (risk_level BETWEEN 1 AND 4),
	substances text[] NOT NULL,
	quantity_tonnes double precision NOT NULL,
	responsible_name text NOT NULL,
	responsible_phone text NOT NULL,
	risk_radius_m double precision NOT NULL,
	grid_id text NOT NULL,
	geom geometry(Point, 4326) NOT NULL
);
CREATE INDEX hazmat_site_geom_idx ON hazmat_site USING gist (geom);

CREATE TABLE hazmat_lane (
	id text PRIMARY KEY,
	ord integer NOT NULL UNIQUE,
	name text NOT NULL,
	site_ids text[] NOT NULL,
	geom geometry(LineString, 4326) NOT NULL
);
CREATE INDEX hazmat_lane_geom_idx ON hazmat_lane USING gist (geom);

CREATE TABLE patrol_route (
	id text PRIMARY KEY,
	ord integer NOT NULL UNIQUE,
	name text NOT NULL,
	mode text NOT NULL CHECK (mode IN ('land', 'sea', 'air')),
	geom geometry(LineString, 4326) NOT NULL
);
CREATE INDEX patrol_route_geom_idx ON patrol_route USING gist (geom);

CREATE TABLE patrol_unit (
	id text PRIMARY KEY,
	ord integer NOT NULL UNIQUE,
	callsign text NOT NULL,
	mode text NOT NULL CHECK (mode IN ('land', 'sea', 'air')),
	route_id text NOT NULL REFERENCES patrol_route (id),
	status text NOT NULL CHECK (status IN ('on_patrol', 'responding', 'standby')),
	-- 24 h of positions: {"lon": [...], "lat": [...], "t": [...]} (t = seconds since local midnight)
	track jsonb NOT NULL
);
