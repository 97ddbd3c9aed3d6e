import { describe, expect, it } from 'vitest';
import proj4 from 'proj4';
import {
	BD09,
	CGCS2000,
	GCJ02,
	WGS84,
	crsByName,
	crsFromWkt,
	fromWgs84,
	gaussKrugerZone,
	implausibleReason,
	plausible,
	toWgs84
} from './crs';

const R = Math.PI / 180;

/**
 * Meridian arc length on GRS80 (= CGCS2000 ellipsoid) from the equator, by Helmert's series —
 * independent of proj4: the northing of a point on a Gauss–Krüger zone's central meridian (k=1).
 */
function meridianArc(latDeg: number): number {
	const a = 6378137;
	const f = 1 / 298.257222101;
	const n = f / (2 - f);
	const phi = latDeg * R;
	const A = (a / (1 + n)) * (1 + n ** 2 / 4 + n ** 4 / 64);
	return (
		A *
		(phi -
			((3 * n) / 2 - (9 * n ** 3) / 16) * Math.sin(2 * phi) +
			((15 * n ** 2) / 16 - (15 * n ** 4) / 32) * Math.sin(4 * phi) -
			((35 * n ** 3) / 48) * Math.sin(6 * phi) +
			((315 * n ** 4) / 512) * Math.sin(8 * phi))
	);
}

describe('CGCS2000 Gauss–Krüger (EPSG:4491–4554)', () => {
	it('numbers zones and false eastings as EPSG does', () => {
		expect(gaussKrugerZone(4491)).toEqual({
			width: 6,
			zone: 13,
			centralMeridian: 75,
			falseEasting: 13_500_000
		});
		expect(gaussKrugerZone(4501)?.centralMeridian).toBe(135);
		expect(gaussKrugerZone(4509)).toEqual({
			width: 6,
			zone: 20,
			centralMeridian: 117,
			falseEasting: 500_000
		});
		expect(gaussKrugerZone(4527)).toEqual({
			width: 3,
			zone: 39,
			centralMeridian: 117,
			falseEasting: 39_500_000
		});
		expect(gaussKrugerZone(4548)).toEqual({
			width: 3,
			zone: 39,
			centralMeridian: 117,
			falseEasting: 500_000
		});
		expect(gaussKrugerZone(4554)?.centralMeridian).toBe(135);
		expect(gaussKrugerZone(4490)).toBeNull();
		expect(gaussKrugerZone(4555)).toBeNull();
	});

	it('puts a point on the central meridian at the false easting and the meridian arc (Tianjin, EPSG:4527)', () => {
		const crs = crsByName('EPSG:4527')!;
		const [x, y] = fromWgs84(crs, [117, 39.1]);
		expect(x).toBeCloseTo(39_500_000, 3);
		expect(Math.abs(y - meridianArc(39.1))).toBeLessThan(0.001);
		// …and back, for a point off the meridian (天津站 ≈ 117.2105°E 39.1361°N): < 1 mm.
		const p = fromWgs84(crs, [117.2105, 39.1361]);
		expect(p[0]).toBeGreaterThan(39_500_000 + 18_000);
		expect(p[0]).toBeLessThan(39_500_000 + 18_300);
		const [lon, lat] = toWgs84(crs, p);
		expect(Math.abs(lon - 117.2105) * 111e3).toBeLessThan(1e-3);
		expect(Math.abs(lat - 39.1361) * 111e3).toBeLessThan(1e-3);
		// The same point without the zone number (EPSG:4548) differs by exactly 39 000 km of easting.
		const q = fromWgs84(crsByName('EPSG:4548')!, [117.2105, 39.1361]);
		expect(p[0] - q[0]).toBeCloseTo(39_000_000, 6);
		expect(p[1]).toBeCloseTo(q[1], 6);
	});

	it('proj4 (the library doing the maths) meets the EPSG Guidance Note 7-2 transverse Mercator example', () => {
		// OSGB 1936 / British National Grid: 50°30'N 0°30'E → E 577274.99, N 69740.50.
		const osgb =
			'+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy +units=m +no_defs';
		const [e, n] = proj4('+proj=longlat +ellps=airy +no_defs', osgb, [0.5, 50.5]);
		expect(e).toBeCloseTo(577274.99, 1);
		expect(n).toBeCloseTo(69740.5, 1);
	});
});

describe('GCJ-02 and BD-09 (gcoord)', () => {
	// Reference values of wandergis/coordtransform (the published algorithm gcoord implements).
	it('offsets WGS84 → GCJ-02 within 1 m of the reference, and back exactly', () => {
		const [x, y] = fromWgs84(GCJ02, [116.404, 39.915]);
		expect(Math.abs(x - 116.41024449916938) * 85e3).toBeLessThan(1);
		expect(Math.abs(y - 39.91640428150164) * 111e3).toBeLessThan(1);
		const [lon, lat] = toWgs84(GCJ02, [x, y]);
		expect(Math.abs(lon - 116.404)).toBeLessThan(1e-9);
		expect(Math.abs(lat - 39.915)).toBeLessThan(1e-9);
	});
	it('BD-09 is GCJ-02 plus Baidu offset (reference gcj02tobd09), and back exactly', () => {
		const gcjToBd = (p: [number, number]) => fromWgs84(BD09, toWgs84(GCJ02, p));
		const [x, y] = gcjToBd([116.404, 39.915]);
		expect(Math.abs(x - 116.41036949371029) * 85e3).toBeLessThan(1);
		expect(Math.abs(y - 39.92133699351021) * 111e3).toBeLessThan(1);
		const [lon, lat] = toWgs84(BD09, fromWgs84(BD09, [117.2, 39.1]));
		expect(Math.abs(lon - 117.2)).toBeLessThan(1e-9);
		expect(Math.abs(lat - 39.1)).toBeLessThan(1e-9);
	});
});

describe('names and .prj', () => {
	it('knows the names a manifest may use', () => {
		expect(crsByName('EPSG:4326')).toBe(WGS84);
		expect(crsByName('crs84')).toBe(WGS84);
		expect(crsByName('EPSG:4490')).toBe(CGCS2000);
		expect(crsByName('gcj02')).toBe(GCJ02);
		expect(crsByName('BD-09')).toBe(BD09);
		expect(crsByName('EPSG:3857')).toBeNull();
		// CGCS2000 geographic is taken as WGS84 unchanged (they differ by centimetres).
		expect(toWgs84(CGCS2000, [117.2, 39.1])).toEqual([117.2, 39.1]);
	});

	const GEOG2000 =
		'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
	const projcs = (name: string, fe: number, cm: number) =>
		`PROJCS["${name}",${GEOG2000},PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",${fe}],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${cm}],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;

	it('reads ESRI .prj texts', () => {
		expect(crsFromWkt(GEOG2000)).toBe(CGCS2000);
		expect(
			crsFromWkt(
				'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["Degree",0.017453292519943295]]'
			)
		).toBe(WGS84);
		expect(crsFromWkt(projcs('CGCS2000_3_Degree_GK_Zone_39', 39500000, 117))?.id).toBe('EPSG:4527');
		expect(crsFromWkt(projcs('CGCS2000_3_Degree_GK_CM_117E', 500000, 117))?.id).toBe('EPSG:4548');
		expect(crsFromWkt(projcs('CGCS2000_GK_Zone_20', 20500000, 117))?.id).toBe('EPSG:4498');
		expect(crsFromWkt(projcs('CGCS2000_GK_CM_117E', 500000, 117))?.id).toBe('EPSG:4509');
		// An unnamed transverse Mercator is matched by its parameters (as proj4 parses them).
		expect(
			crsFromWkt(
				projcs('My_local_grid', 39500000, 117).replace('Gauss_Kruger', 'Transverse_Mercator')
			)?.id
		).toBe('EPSG:4527');
		expect(crsFromWkt('')).toBeNull();
		expect(crsFromWkt('nonsense')).toBeNull();
	});
});

describe('plausible coordinates', () => {
	it('tells projected metres, swapped lon/lat and a missing zone number', () => {
		expect(plausible(WGS84, [117.2, 39.1])).toBe(true);
		expect(implausibleReason(WGS84, [39_520_000, 4_330_000])).toBe('metres-in-lonlat');
		expect(implausibleReason(WGS84, [39.1, 117.2])).toBe('swapped');
		const z39 = crsByName('EPSG:4527')!;
		expect(plausible(z39, [39_518_000, 4_332_000])).toBe(true);
		expect(implausibleReason(z39, [518_000, 4_332_000])).toBe('outside-zone');
		expect(implausibleReason(z39, [117.2, 39.1])).toBe('lonlat-in-metres');
	});
});
