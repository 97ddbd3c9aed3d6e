-- Case history import (issue 15): cases from another system (the 12345 hotline platform, a grid
-- app's export) keep that system's case number. `import_source` names the system ("12345"),
-- `external_id` its case number; together they are unique, so importing the same file again
-- updates those cases instead of duplicating them. Both are null for cases reported through
-- intake. `address` is the address text as the source wrote it.
ALTER TABLE incident
	ADD COLUMN IF NOT EXISTS import_source text,
	ADD COLUMN IF NOT EXISTS external_id text,
	ADD COLUMN IF NOT EXISTS address text;
ALTER TABLE incident ADD CONSTRAINT incident_external_pair
	CHECK ((import_source IS NULL) = (external_id IS NULL));
CREATE UNIQUE INDEX incident_external_idx ON incident (import_source, external_id)
	WHERE external_id IS NOT NULL;

-- The column mapping last used for each source (the CLI's --mapping, /admin's 案件导入), so the
-- next file from that source is read the same way.
CREATE TABLE case_import_mapping (
	source text PRIMARY KEY,
	mapping jsonb NOT NULL,
	updated_at timestamptz NOT NULL DEFAULT now(),
	updated_by text NOT NULL
);
