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

/**
 * The identity, read once and kept (the CSP of every page needs the basemap's origin); an import
 * into this server forgets it (citypack/service.ts). A pack imported by `npm run city -- import`
 * in another process is seen after a restart.
 */
export class CityIdentityCache {
	private value: Promise<CityIdentity> | null = null;

	get(db: Queryable): Promise<CityIdentity> {
		if (!this.value) {
			const read = readCityIdentity(db);
			this.value = read;
			read.catch(() => {
				if (this.value === read) this.value = null;
			});
		}
		return this.value;
	}

	forget(): void {
		this.value = null;
	}
}
