/**
 * Coordinate systems an incident may be reported in. Chinese map apps deliver GCJ-02 (高德,
 * 腾讯) or BD-09 (百度); the database stores WGS84 (≈ CGCS2000 at map accuracy). The conversion
 * itself is geo/crs.ts's (one truth for GCJ-02/BD-09).
 */
import { BD09, GCJ02, WGS84, toWgs84 as crsToWgs84 } from '$lib/geo/crs';

export const CRS_NAMES = ['wgs84', 'gcj02', 'bd09'] as const;
export type CrsName = (typeof CRS_NAMES)[number];

/** "GCJ-02", "gcj02", "BD-09", "WGS 84" … → canonical name, or null. */
export function normalizeCrs(value: string): CrsName | null {
	const key = value.toLowerCase().replace(/[\s_-]/g, '');
	return (CRS_NAMES as readonly string[]).includes(key) ? (key as CrsName) : null;
}

const BY_NAME = { wgs84: WGS84, gcj02: GCJ02, bd09: BD09 } as const;

export function toWgs84(lon: number, lat: number, crs: CrsName): [number, number] {
	return crsToWgs84(BY_NAME[crs], [lon, lat]);
}
