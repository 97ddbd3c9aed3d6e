/**
 * The loaded city's identity (names, levels, view, basemap: domain/cityPack.ts CityIdentity),
 * as the importer stored it in meta 'city'. A database loaded before city packs existed has
 * none: it holds the demo city, whose identity is the demo's.
 */
import type { CityIdentity } from '$lib/domain/cityPack';
import { demoIdentity } from '$lib/domain/cityIdentity';
import type { Queryable } from '../db/types';

export async function readCityIdentity(db: Queryable): Promise<CityIdentity> {
	const rows = await db.query<{ key: string; value: unknown }>(
		`SELECT key, value FROM meta WHERE key IN ('city', 'manifest')`
	);
	const city = rows.find((r) => r.key === 'city')?.value as CityIdentity | undefined;
	if (city) return city;
	const manifest = rows.find((r) => r.key === 'manifest')?.value as
		{ center?: [number, number] } | undefined;
	return demoIdentity(manifest?.center ?? null);
}
