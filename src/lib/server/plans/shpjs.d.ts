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
	/** The .shp's geometries, reprojected to WGS84 by the .prj's text when there is one. */
	export function parseShp(shp: ArrayBuffer | Uint8Array, prj?: string): unknown[];
	/** The .dbf's records, decoded with the .cpg's code page (UTF-8 when none). */
	export function parseDbf(dbf: ArrayBuffer | Uint8Array, cpg?: string): unknown[];
	/** Geometries and records → a FeatureCollection. */
	export function combine(parts: [unknown[], unknown[] | undefined]): FeatureCollection;
}
