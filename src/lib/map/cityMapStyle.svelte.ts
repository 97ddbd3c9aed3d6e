/**
 * The loaded city's map style, one definition for every map page (the command map, the wall,
 * the planner): the city's identity handed to the catalogue for titles and level names; the
 * basemap (fetching an intranet style where the pack names one); the style with the city's
 * 区/县, street and community labels drawn in the app's own font; and the footer's basemap
 * notice. Construct it during a component's initialisation (it runs effects).
 */
import fontUrl from '@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-400-normal.woff2?url';
import type { StyleSpecification } from 'maplibre-gl';
import type { CityIdentity } from '$lib/domain/cityPack';
import type { I18n } from '$lib/i18n/i18n.svelte';
import { unitLabels } from './basemapStyle';
import { CityBasemap } from './cityBasemap.svelte';
import { dataUrl } from './cityData';
import { basemapNotice } from './packBasemap';

export interface CityMapStyleOptions {
	/**
	 * The map takes its style once (the planner): with a `style` basemap the style is null
	 * until the intranet style has answered or failed, instead of OneMap's own style first.
	 */
	once?: boolean;
}

export class CityMapStyle {
	readonly basemap = new CityBasemap();

	style = $derived.by((): StyleSpecification | null => {
		const identity = this.identity();
		const units = this.units();
		if (!identity || !units) return null;
		const b = identity.basemap;
		if (this.options.once && b.kind === 'style' && !this.basemap.external && !this.basemap.error)
			return null;
		return this.basemap.style(b, { dataUrl, fontUrl, ...unitLabels(units) });
	});

	/** What the map footer says about the basemap (a synthetic demo, its attribution). */
	notice = $derived.by(() => {
		const identity = this.identity();
		return identity ? basemapNotice(identity, this.i18n.t('app.syntheticNotice')) : '';
	});

	constructor(
		private readonly identity: () => CityIdentity | null,
		/** The units whose names are drawn (null until loaded). */
		private readonly units: () => Parameters<typeof unitLabels>[0] | null,
		private readonly i18n: I18n,
		private readonly options: CityMapStyleOptions = {}
	) {
		$effect(() => {
			i18n.city = this.identity();
		});
		$effect(() => {
			const identity = this.identity();
			if (identity) this.basemap.load(identity.basemap);
		});
	}
}
