/** What /admin shows about the loaded city: its identity and every import so far. */
import type { LoadedCity, PackImportEntry } from '$lib/domain/cityPack';
import { readCityIdentity } from '../city/identity';
import type { Queryable } from '../db/types';

export async function loadedCity(db: Queryable): Promise<LoadedCity> {
	const city = await readCityIdentity(db);
	const imports = await db.query<PackImportEntry>(
		`SELECT id, (extract(epoch FROM at) * 1000)::float8 AS at, actor, name, code, version, hash, mode
		 FROM city_pack_import ORDER BY id DESC LIMIT 50`
	);
	const b = city.basemap;
	return { city, imports, basemapUrl: b.kind === 'raster' || b.kind === 'style' ? b.url : null };
}
