/**
 * The pmtiles:// protocol (the `pmtiles` package) registered with MapLibre once per page, when a
 * style reads a city pack's PMTiles file. Loaded lazily: a city on OneMap's own basemap never
 * downloads it.
 */
import type { StyleSpecification } from 'maplibre-gl';
import { usesPmtiles } from './packBasemap';

let registered: Promise<void> | null = null;

export function ensurePmtilesProtocol(
	style: StyleSpecification,
	maplibre: Pick<typeof import('maplibre-gl'), 'addProtocol'>
): Promise<void> {
	if (!usesPmtiles(style)) return Promise.resolve();
	registered ??= import('pmtiles').then(({ Protocol }) => {
		const protocol = new Protocol();
		maplibre.addProtocol('pmtiles', protocol.tile);
	});
	return registered;
}
