// shpjs 6 ships no types; the part the plan importer uses.
declare module 'shpjs' {
	import type { FeatureCollection } from 'geojson';
	/** A zipped Shapefile (or several) → GeoJSON in WGS84 (reprojected by its .prj, if any). */
	export function parseZip(
		buffer: ArrayBuffer | Uint8Array,
		whiteList?: string[]
	): Promise<
		(FeatureCollection & { fileName?: string }) | (FeatureCollection & { fileName?: string })[]
	>;
}
