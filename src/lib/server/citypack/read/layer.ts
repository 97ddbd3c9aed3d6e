/**
 * What every format reader gives back: features (geometry in the file's own CRS, properties as
 * written) or table rows, the CRS the file declares (if any) and notes.
 */
import type { Geometry } from 'geojson';
import type { PackMessage } from '$lib/domain/cityPack';

export interface RawFeature {
	geometry: Geometry | null;
	properties: Record<string, unknown>;
}

export interface RawLayer {
	/** Table input (CSV, XLSX, JSON array): rows without geometry; messages say "row". */
	table: boolean;
	features: RawFeature[];
	/** Column names a table declares in its header (rows may leave cells out). */
	columns?: string[];
	/** The CRS the file itself declares: a .prj's WKT, a GeoPackage srs, a GeoJSON `crs` member. */
	declared?: { text: string; from: string };
	/** The layer actually read (GeoPackage table, Shapefile in a zip). */
	layer?: string;
	notes: PackMessage[];
}

/** What a format reader needs besides the bytes. */
export interface ReadOptions {
	/** The pack path of the file (for messages). */
	file: string;
	layer?: string;
	sheet?: string;
	encoding?: string;
	/** A sibling file of `file` (.dbf, .prj, .cpg of a .shp), or null. */
	sibling(ext: string): Promise<Uint8Array | null>;
	budget: { left: number; limit: number };
}
