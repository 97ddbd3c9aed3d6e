/**
 * OGC API – Features – Part 2 (Coordinate Reference Systems by Reference): the CRSs /ogc offers,
 * by their OGC URIs, and the conversions — through src/lib/geo/crs.ts, the one projection module
 * (the city pack's importer uses it too).
 *
 * Storage is WGS84 longitude/latitude (CRS84). EPSG:4326 and EPSG:4490 (CGCS2000, the national
 * standard a 自然资源 office works in) are latitude-first, as their EPSG definitions say and
 * Part 2 requires: a response in them, and a `bbox-crs` box in them, list latitude first.
 */
import { CGCS2000, WGS84, converterFromWgs84, converterToWgs84, type Crs } from '$lib/geo/crs';
import { ApiError } from '../http/errors';

export interface OgcCrs {
	uri: string;
	crs: Crs;
	/** Axis order latitude, longitude (the EPSG geographic CRSs). */
	latFirst: boolean;
}

export const CRS84_URI = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

export const CRS84: OgcCrs = { uri: CRS84_URI, crs: WGS84, latFirst: false };

/** What /ogc offers, storage CRS first. */
export const OGC_CRS: readonly OgcCrs[] = [
	CRS84,
	{ uri: 'http://www.opengis.net/def/crs/EPSG/0/4326', crs: WGS84, latFirst: true },
	{ uri: 'http://www.opengis.net/def/crs/EPSG/0/4490', crs: CGCS2000, latFirst: true }
];

export const OGC_CRS_URIS = OGC_CRS.map((c) => c.uri);

/** The `crs` or `bbox-crs` parameter: a URI, or the safe CURIE `[EPSG:4490]`; absent = CRS84. */
export function parseOgcCrs(raw: string | null, param: 'crs' | 'bbox-crs'): OgcCrs {
	if (raw === null) return CRS84;
	const value = raw.trim();
	const curie = /^\[(EPSG|OGC):([\w.]+)\]$/i.exec(value);
	const uri = curie
		? curie[1].toUpperCase() === 'OGC'
			? `http://www.opengis.net/def/crs/OGC/1.3/${curie[2].toUpperCase()}`
			: `http://www.opengis.net/def/crs/EPSG/0/${curie[2]}`
		: value.replace(/^https:/, 'http:');
	const found = OGC_CRS.find((c) => c.uri === uri);
	if (!found) {
		throw new ApiError(
			400,
			`${param}: "${value.slice(0, 80)}" is not offered; use one of ${OGC_CRS_URIS.join(', ')}`,
			param
		);
	}
	return found;
}

/** 1e-7° ≈ 1 cm, the precision of the CRS84 answers (ST_AsGeoJSON(…, 7)). */
const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

/** WGS84 [lon, lat] → a position in `target`, in its axis order. */
export function outputPosition(target: OgcCrs): (p: readonly number[]) => number[] {
	const convert = converterFromWgs84(target.crs);
	return (p) => {
		const [x, y] = convert(p);
		return target.latFirst ? [round7(y), round7(x)] : [round7(x), round7(y)];
	};
}

type Coords = number[] | Coords[];

function mapCoords(c: Coords, f: (p: readonly number[]) => number[]): Coords {
	return typeof c[0] === 'number' ? f(c as number[]) : (c as Coords[]).map((x) => mapCoords(x, f));
}

/** A GeoJSON geometry text in CRS84 → the same geometry in `target` (text). */
export function convertGeometryText(geojson: string, target: OgcCrs): string {
	if (target === CRS84) return geojson;
	const f = outputPosition(target);
	const g = JSON.parse(geojson) as { type: string; coordinates?: Coords; geometries?: unknown[] };
	const convert = (geom: typeof g): typeof g =>
		geom.type === 'GeometryCollection'
			? { ...geom, geometries: (geom.geometries as (typeof g)[]).map(convert) }
			: { ...geom, coordinates: mapCoords(geom.coordinates as Coords, f) };
	return JSON.stringify(convert(g));
}

/** A bbox's four numbers given in `from` (its axis order) → WGS84 lon/lat corners, in order. */
export function bboxToCrs84(n: readonly number[], from: OgcCrs): number[] {
	if (from === CRS84) return [...n];
	const toWgs = converterToWgs84(from.crs);
	const corner = (a: number, b: number) => toWgs(from.latFirst ? [b, a] : [a, b]);
	const [x0, y0] = corner(n[0], n[1]);
	const [x1, y1] = corner(n[2], n[3]);
	return [x0, y0, x1, y1];
}

/** The Content-Crs header value of an answer in `crs`. */
export const contentCrs = (crs: OgcCrs) => `<${crs.uri}>`;
