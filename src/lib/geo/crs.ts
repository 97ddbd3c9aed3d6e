/**
 * Coordinate reference systems OneMap reads (issue 12): everything is stored in WGS84.
 *
 * - EPSG:4326 / CRS84: WGS84 longitude/latitude, taken as is.
 * - EPSG:4490: CGCS2000 geographic. CGCS2000 and WGS84 (G1150+) agree to a few centimetres, far
 *   below map accuracy, so CGCS2000 longitude/latitude are taken as WGS84 unchanged.
 * - EPSG:4491–4554: CGCS2000 Gauss–Krüger (transverse Mercator, k=1, GRS80 = CGCS2000 ellipsoid)
 *   in 6° zones (4491–4501 zone 13–23 with the zone number in the false easting, 4502–4512 by
 *   central meridian 75°E–135°E without it) and 3° zones (4513–4533 zone 25–45 with, 4534–4554
 *   75°E–135°E without). The proj4 definition is computed from the code; proj4 does the maths.
 * - GCJ-02 (高德/腾讯) and BD-09 (百度): gcoord, its inverse refined on the forward transform.
 * - A Shapefile's `.prj` WKT is parsed by proj4 and matched onto one of the above.
 */
import gcoord from 'gcoord';
import proj4 from 'proj4';

export type CrsKind = 'geographic' | 'projected' | 'gcj02' | 'bd09';

export interface Crs {
	/** Canonical id: "EPSG:4326", "EPSG:4490", "EPSG:4527", "GCJ-02", "BD-09". */
	id: string;
	kind: CrsKind;
	/** For people: "CGCS2000 / 3-degree Gauss-Kruger zone 39 (117°E)". */
	label: string;
	/** Projected systems only. */
	proj4?: string;
	/** Plausible coordinates [minX, minY, maxX, maxY] in the CRS's own units (China and around). */
	bounds: [number, number, number, number];
}

/** Longitude/latitude of China, with margin: a city pack whose coordinates fall outside this box
 * has them swapped or in another CRS. */
const CHINA_LONLAT: Crs['bounds'] = [70, 0, 140, 56];

export const WGS84: Crs = {
	id: 'EPSG:4326',
	kind: 'geographic',
	label: 'WGS84',
	bounds: CHINA_LONLAT
};
export const CGCS2000: Crs = {
	id: 'EPSG:4490',
	kind: 'geographic',
	label: 'CGCS2000 (≈ WGS84 at map accuracy)',
	bounds: CHINA_LONLAT
};
export const GCJ02: Crs = { id: 'GCJ-02', kind: 'gcj02', label: 'GCJ-02', bounds: CHINA_LONLAT };
export const BD09: Crs = { id: 'BD-09', kind: 'bd09', label: 'BD-09', bounds: CHINA_LONLAT };

/** "EPSG:4527 CGCS2000 / 3-degree Gauss-Kruger zone 39", "GCJ-02": the id and, when it says more, the label. */
export const crsTitle = (crs: Crs) => (crs.label === crs.id ? crs.id : `${crs.id} ${crs.label}`);

/** The central meridian, zone and false easting of a CGCS2000 Gauss–Krüger EPSG code, or null. */
export function gaussKrugerZone(
	code: number
): { width: 3 | 6; zone: number; centralMeridian: number; falseEasting: number } | null {
	if (code >= 4491 && code <= 4501) {
		const zone = code - 4491 + 13;
		return { width: 6, zone, centralMeridian: zone * 6 - 3, falseEasting: zone * 1e6 + 5e5 };
	}
	if (code >= 4502 && code <= 4512) {
		const zone = code - 4502 + 13;
		return { width: 6, zone, centralMeridian: zone * 6 - 3, falseEasting: 5e5 };
	}
	if (code >= 4513 && code <= 4533) {
		const zone = code - 4513 + 25;
		return { width: 3, zone, centralMeridian: zone * 3, falseEasting: zone * 1e6 + 5e5 };
	}
	if (code >= 4534 && code <= 4554) {
		const zone = code - 4534 + 25;
		return { width: 3, zone, centralMeridian: zone * 3, falseEasting: 5e5 };
	}
	return null;
}

function gaussKruger(code: number): Crs | null {
	const z = gaussKrugerZone(code);
	if (!z) return null;
	const withZone = z.falseEasting > 1e6;
	const label =
		`CGCS2000 / ${z.width === 3 ? '3-degree ' : ''}Gauss-Kruger ` +
		(withZone ? `zone ${z.zone}` : `CM ${z.centralMeridian}E`);
	// Eastings within ±(half a zone, generously 5°) of the central meridian, northings 0–6 000 km.
	const half = 600_000;
	return {
		id: `EPSG:${code}`,
		kind: 'projected',
		label,
		proj4: `+proj=tmerc +lat_0=0 +lon_0=${z.centralMeridian} +k=1 +x_0=${z.falseEasting} +y_0=0 +ellps=GRS80 +units=m +no_defs`,
		bounds: [z.falseEasting - half, 0, z.falseEasting + half, 6_200_000]
	};
}

/** "EPSG:4527", "epsg:4326", "CRS84", "gcj02", "GCJ-02", "BD-09", "wgs84", "cgcs2000" → Crs, or null. */
export function crsByName(name: string): Crs | null {
	const key = name
		.trim()
		.toUpperCase()
		.replace(/[\s_-]/g, '');
	if (key === 'CRS84' || key === 'WGS84' || key === 'OGC:CRS84' || key === 'EPSG:4326')
		return WGS84;
	if (key === 'CGCS2000' || key === 'EPSG:4490') return CGCS2000;
	if (key === 'GCJ02') return GCJ02;
	if (key === 'BD09') return BD09;
	const m = /^EPSG:?(\d{4,5})$/.exec(key);
	if (m) return gaussKruger(Number(m[1]));
	return null;
}

/** Every EPSG code `crsByName` knows (for docs and messages). */
export const KNOWN_EPSG = ['4326', '4490', '4491–4554 (CGCS2000 Gauss–Krüger)'] as const;

/**
 * A `.prj` / WKT text → Crs, or null when it is none OneMap knows. Named ESRI/OGC systems are
 * matched by name (GCS_WGS_1984, GCS_China_Geodetic_Coordinate_System_2000,
 * CGCS2000_3_Degree_GK_Zone_39, CGCS2000_3_Degree_GK_CM_117E, …); any other transverse Mercator on
 * the GRS80/CGCS2000 ellipsoid is matched by its central meridian and false easting (as proj4
 * parses them).
 */
export function crsFromWkt(wkt: string): Crs | null {
	const text = wkt.trim();
	if (!text) return null;
	const authority = /AUTHORITY\s*\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]\s*\]\s*$/i.exec(text);
	if (authority) {
		const hit = crsByName(`EPSG:${authority[1]}`);
		if (hit) return hit;
	}
	const head = /^\s*(PROJCS|GEOGCS|PROJCRS|GEOGCRS|GEODCRS)\s*\[\s*"([^"]*)"/i.exec(text);
	if (!head) return null;
	const [, type, rawName] = head;
	const name = rawName.replace(/[\s-]/g, '_').toUpperCase();
	if (/^GEOG/i.test(type) || /^GEOD/i.test(type)) {
		if (/WGS_?(19)?84/.test(name)) return WGS84;
		if (/CHINA_GEODETIC_COORDINATE_SYSTEM_2000|CGCS_?2000|CHINA_2000/.test(name)) return CGCS2000;
		return null;
	}
	const zone = /CGCS_?2000_(3|6)_DEGREE_GK_ZONE_(\d+)/.exec(name);
	if (zone) {
		const [w, n] = [Number(zone[1]), Number(zone[2])];
		return gaussKruger(w === 3 ? 4513 + n - 25 : 4491 + n - 13);
	}
	const gkZone6 = /CGCS_?2000_GK_ZONE_(\d+)/.exec(name);
	if (gkZone6) return gaussKruger(4491 + Number(gkZone6[1]) - 13);
	const cm = /CGCS_?2000_(?:(3|6)_DEGREE_)?GK_CM_(\d+)E/.exec(name);
	if (cm) {
		const [w, c] = [Number(cm[1] ?? 6), Number(cm[2])];
		return gaussKruger(w === 3 ? 4534 + (c - 75) / 3 : 4502 + (c - 75) / 6);
	}
	// Anything else: let proj4 parse it and match the parameters.
	try {
		const p = proj4.Proj(text) as unknown as {
			projName?: string;
			long0?: number;
			x0?: number;
			y0?: number;
			k0?: number;
			a?: number;
			rf?: number;
			datumCode?: string;
		};
		if (p.projName === 'longlat') {
			if (p.datumCode === 'WGS84' || p.datumCode === 'wgs84') return WGS84;
			if (Math.abs((p.a ?? 0) - 6378137) < 1e-3) return CGCS2000;
			return null;
		}
		if (/tmerc|etmerc|Transverse_Mercator/i.test(p.projName ?? '')) {
			if (Math.abs((p.a ?? 0) - 6378137) > 1e-3 || Math.abs((p.k0 ?? 1) - 1) > 1e-9 || p.y0)
				return null;
			const cmDeg = Math.round(((p.long0 ?? 0) * 180) / Math.PI);
			const fe = p.x0 ?? 0;
			for (let code = 4491; code <= 4554; code++) {
				const z = gaussKrugerZone(code)!;
				if (z.centralMeridian === cmDeg && Math.abs(z.falseEasting - fe) < 1e-3)
					return gaussKruger(code);
			}
		}
	} catch {
		return null;
	}
	return null;
}

/** A function converting [x, y] in `crs` to WGS84 [lon, lat]. */
export function converterToWgs84(crs: Crs): (p: readonly number[]) => [number, number] {
	switch (crs.kind) {
		case 'geographic':
			return (p) => [p[0], p[1]];
		case 'gcj02':
			return (p) => chinaToWgs84(p[0], p[1], gcoord.GCJ02);
		case 'bd09':
			return (p) => chinaToWgs84(p[0], p[1], gcoord.BD09);
		case 'projected': {
			const t = proj4(crs.proj4!, 'EPSG:4326');
			return (p) => t.forward([p[0], p[1]]) as [number, number];
		}
	}
}

/** A function converting WGS84 [lon, lat] to `crs`. */
export function converterFromWgs84(crs: Crs): (p: readonly number[]) => [number, number] {
	switch (crs.kind) {
		case 'geographic':
			return (p) => [p[0], p[1]];
		case 'gcj02':
			return (p) => gcoord.transform([p[0], p[1]], gcoord.WGS84, gcoord.GCJ02) as [number, number];
		case 'bd09':
			return (p) => gcoord.transform([p[0], p[1]], gcoord.WGS84, gcoord.BD09) as [number, number];
		case 'projected': {
			const t = proj4('EPSG:4326', crs.proj4!);
			return (p) => t.forward([p[0], p[1]]) as [number, number];
		}
	}
}

/** One point in `crs` → WGS84. */
export function toWgs84(crs: Crs, p: readonly number[]): [number, number] {
	return converterToWgs84(crs)(p);
}

/** One WGS84 point → `crs`. */
export function fromWgs84(crs: Crs, p: readonly number[]): [number, number] {
	return converterFromWgs84(crs)(p);
}

type GcoordCrs = typeof gcoord.GCJ02 | typeof gcoord.BD09;

/**
 * GCJ-02/BD-09 → WGS84, exact to ~1e-12°: gcoord's inverse (BD-09's is off by up to ~1e-6°) is
 * refined by fixed-point steps on the forward transform.
 */
function chinaToWgs84(lon: number, lat: number, from: GcoordCrs): [number, number] {
	let [x, y] = gcoord.transform([lon, lat], from, gcoord.WGS84) as [number, number];
	for (let k = 0; k < 4; k++) {
		const [fx, fy] = gcoord.transform([x, y], gcoord.WGS84, from) as [number, number];
		const [dx, dy] = [fx - lon, fy - lat];
		x -= dx;
		y -= dy;
		if (Math.abs(dx) < 1e-13 && Math.abs(dy) < 1e-13) break;
	}
	return [x, y];
}

/** True when [x, y] is a plausible coordinate of `crs` (see `Crs.bounds`). */
export function plausible(crs: Crs, p: readonly number[]): boolean {
	const [x, y] = p;
	const [a, b, c, d] = crs.bounds;
	return Number.isFinite(x) && Number.isFinite(y) && x >= a && x <= c && y >= b && y <= d;
}

/** Why a coordinate does not fit its CRS (see `implausibleReason`). */
export type ImplausibleReason =
	| 'not-a-number'
	| 'metres-in-lonlat'
	| 'swapped'
	| 'outside-china'
	| 'lonlat-in-metres'
	| 'outside-zone';

/**
 * Why [x, y] does not fit `crs`, or null when it fits: projected metres in a geographic file,
 * lon/lat swapped, outside China, lon/lat in a projected file, outside the Gauss–Krüger zone (an
 * easting without or with the zone number).
 */
export function implausibleReason(crs: Crs, p: readonly number[]): ImplausibleReason | null {
	if (plausible(crs, p)) return null;
	const [x, y] = p;
	if (!Number.isFinite(x) || !Number.isFinite(y)) return 'not-a-number';
	if (crs.kind !== 'projected') {
		if (x >= 0 && x <= 56 && y >= 70 && y <= 140) return 'swapped';
		if (Math.abs(x) > 180 || Math.abs(y) > 90) return 'metres-in-lonlat';
		return 'outside-china';
	}
	if (Math.abs(x) <= 180 && Math.abs(y) <= 90) return 'lonlat-in-metres';
	return 'outside-zone';
}
