/**
 * The demo city as the generator writes it (src/lib/domain/city.ts), read from a data folder
 * into memory so it can be loaded into the database.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { tableFromIPC } from 'apache-arrow';
import {
	CITY_FILES,
	type CommunityCollection,
	type DistrictProps,
	type GridCollection,
	type HazmatLaneCollection,
	type HazmatSiteCollection,
	type Manifest,
	type Patrols,
	type StreetCollection
} from '$lib/domain/city';

export type { DistrictProps };

/** Incidents column by column; dictionary columns decoded to their string values. */
export interface IncidentTable {
	length: number;
	id: ArrayLike<number>;
	lon: ArrayLike<number>;
	lat: ArrayLike<number>;
	/** Epoch milliseconds. */
	ts: ArrayLike<number>;
	/** Epoch milliseconds of closure, NaN while open. */
	closedTs: ArrayLike<number>;
	type: ArrayLike<string>;
	source: ArrayLike<string>;
	status: ArrayLike<string>;
	priority: ArrayLike<number>;
	gridId: ArrayLike<string>;
	communityId: ArrayLike<string>;
	streetId: ArrayLike<string>;
}

export interface CityData {
	manifest: Manifest;
	/** 区/县 above the streets, when the city has that level. */
	districts?: FeatureCollection<Polygon | MultiPolygon, DistrictProps>;
	streets: StreetCollection;
	communities: CommunityCollection;
	grids: GridCollection;
	hazmatSites: HazmatSiteCollection;
	hazmatLanes: HazmatLaneCollection;
	patrols: Patrols;
	incidents: IncidentTable;
}

/** Reads incidents.arrow (the contract of src/lib/domain/incidents.ts). */
export function readIncidentArrow(bytes: Uint8Array): IncidentTable {
	const table = tableFromIPC(bytes);
	const col = <T>(name: string): T => {
		const vector = table.getChild(name);
		if (!vector) throw new Error(`incidents.arrow has no column "${name}"`);
		return vector.toArray() as T;
	};
	return {
		length: table.numRows,
		id: col('id'),
		lon: col('lon'),
		lat: col('lat'),
		ts: col('ts'),
		closedTs: col('closedTs'),
		type: col('type'),
		source: col('source'),
		status: col('status'),
		priority: col('priority'),
		gridId: col('gridId'),
		communityId: col('communityId'),
		streetId: col('streetId')
	};
}

export function hasCityData(dir: string): boolean {
	return existsSync(join(dir, CITY_FILES.manifest));
}

export function readManifest(dir: string): Manifest {
	return JSON.parse(readFileSync(join(dir, CITY_FILES.manifest), 'utf8')) as Manifest;
}
