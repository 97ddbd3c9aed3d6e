/**
 * The loaded city's map style, one definition for every map page: the city's identity (names,
 * basemap, view) from its manifest, handed to the catalogue for titles and level names; the
 * basemap (fetching an intranet style where the pack names one); and the style with the city's
 * 区/县, street and community labels drawn in the app's own font. Construct it during a
 * component's initialisation (it runs effects).
 */
import fontUrl from '@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-400-normal.woff2?url';
import type { StyleSpecification } from 'maplibre-gl';
import { identityOf } from '$lib/domain/cityIdentity';
import type { CityIdentity } from '$lib/domain/cityPack';
import type { I18n } from '$lib/i18n/i18n.svelte';
import { unitLabels } from './basemapStyle';
import { CityBasemap } from './cityBasemap.svelte';
import { dataUrl, type City } from './cityData';
import { basemapNotice } from './packBasemap';

export class CityMapStyle {
	readonly basemap = new CityBasemap();

	identity = $derived.by((): CityIdentity | null => {
		const city = this.city();
		return city ? identityOf(city.manifest) : null;
	});

	style = $derived.by((): StyleSpecification | null => {
		const city = this.city();
		const identity = this.identity;
		return city && identity
			? this.basemap.style(identity.basemap, { dataUrl, fontUrl, ...unitLabels(city) })
			: null;
	});

	/** What the map footer says about the basemap (a synthetic demo, an unreachable style). */
	notice = $derived.by(() =>
		this.identity ? basemapNotice(this.identity, this.i18n.t('app.syntheticNotice')) : ''
	);

	constructor(
		private readonly city: () => City | null,
		private readonly i18n: I18n
	) {
		$effect(() => {
			i18n.city = this.identity;
		});
		$effect(() => {
			if (this.identity) this.basemap.load(this.identity.basemap);
		});
	}
}
