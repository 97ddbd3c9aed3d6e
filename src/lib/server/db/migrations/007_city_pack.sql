-- City packs (issue 12): a real city brings its own boundaries, registers and basemap.
-- An optional district level (区/县) above the streets; streets and communities may be
-- MultiPolygons (islands, enclaves); grids stay single Polygons. Units without a 24 h track (a
-- real city's patrol units before they report) have none. The pack's basemap files live in the
-- database like everything else the city brought; every import is recorded.
CREATE TABLE district (
	id text PRIMARY KEY,
	ord integer NOT NULL UNIQUE,
	name text NOT NULL,
	kind text NOT NULL,
	population integer NOT NULL,
	households integer NOT NULL,
	area_km2 double precision NOT NULL,
	label_lon double precision NOT NULL,
	label_lat double precision NOT NULL,
	geom geometry(MultiPolygon, 4326) NOT NULL
);
CREATE INDEX district_geom_idx ON district USING gist (geom);

ALTER TABLE street ADD COLUMN district_id text REFERENCES district (id);
ALTER TABLE street ALTER COLUMN geom TYPE geometry(MultiPolygon, 4326) USING ST_Multi(geom);
ALTER TABLE community ALTER COLUMN geom TYPE geometry(MultiPolygon, 4326) USING ST_Multi(geom);
ALTER TABLE patrol_unit ALTER COLUMN track DROP NOT NULL;

CREATE TABLE city_asset (
	name text PRIMARY KEY,
	content_type text NOT NULL,
	sha256 text NOT NULL,
	bytes bytea NOT NULL
);

CREATE TABLE city_pack_import (
	id serial PRIMARY KEY,
	at timestamptz NOT NULL DEFAULT now(),
	actor text NOT NULL,
	name text NOT NULL,
	code text NOT NULL,
	version text NOT NULL,
	hash text NOT NULL,
	mode text NOT NULL CHECK (mode IN ('fresh', 'takeover')),
	counts jsonb NOT NULL,
	removed jsonb,
	report jsonb NOT NULL
);
