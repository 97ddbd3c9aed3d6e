-- A new version of the loaded city (citypack/update.ts): recorded as mode 'update'.
ALTER TABLE city_pack_import DROP CONSTRAINT city_pack_import_mode_check;
ALTER TABLE city_pack_import ADD CONSTRAINT city_pack_import_mode_check
	CHECK (mode IN ('fresh', 'takeover', 'update'));
