/**
 * The loaded city's basemap style for a map page: packStyle() over the city's identity, plus the
 * fetched style of a `style` basemap (an intranet MapLibre style URL, fetched once per URL; until
 * it arrives, or if it fails, the map shows OneMap's own style and `error` says why).
 */
import type { StyleSpecification } from 'maplibre-gl';
import type { CityIdentity } from '$lib/domain/cityPack';
import { fetchExternalStyle, packStyle, type PackStyleOptions } from './packBasemap';

export class CityBasemap {
	external = $state.raw<StyleSpecification | null>(null);
	error = $state<string | null>(null);
	private url: string | null = null;

	/** Starts fetching a `style` basemap's style (once per URL). */
	load(basemap: CityIdentity['basemap']): void {
		if (basemap.kind !== 'style' || basemap.url === this.url) return;
		const url = basemap.url;
		this.url = url;
		this.external = null;
		this.error = null;
		fetchExternalStyle(url).then(
			(style) => {
				if (this.url === url) this.external = style;
			},
			(err: Error) => {
				if (this.url === url) this.error = err.message;
			}
		);
	}

	style(basemap: CityIdentity['basemap'], o: Omit<PackStyleOptions, 'origin'>): StyleSpecification {
		return packStyle(basemap, { ...o, origin: location.origin }, this.external);
	}
}
