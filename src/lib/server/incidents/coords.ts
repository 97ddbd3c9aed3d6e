/**
 * Coordinate systems an incident may be reported in. Chinese map apps deliver GCJ-02 (高德,
 * 腾讯) or BD-09 (百度); the database stores WGS84 (≈ CGCS2000 at map accuracy).
 */
import gcoord from 'gcoord';

export const CRS_NAMES = ['wgs84', 'gcj02', 'bd09'] as const;
export type CrsName = (typeof CRS_NAMES)[number];

/** "GCJ-02", "gcj02", "BD-09", "WGS 84" … → canonical name, or null. */
export function normalizeCrs(value: string): CrsName | null {
	const key = value.toLowerCase().replace(/[\s_-]/g, '');
	return (CRS_NAMES as readonly string[]).includes(key) ? (key as CrsName) : null;
}

export function toWgs84(lon: number, lat: number, crs: CrsName): [number, number] {
	if (crs === 'wgs84') return [lon, lat];
	const from = crs === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09;
	const [x, y] = gcoord.transform([lon, lat], from, gcoord.WGS84) as [number, number];
	return [x, y];
}
