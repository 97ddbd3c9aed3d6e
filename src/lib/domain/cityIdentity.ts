/**
 * The demo city's identity, for a database (or a manifest.json) from before city packs, which
 * holds the demo city without saying so. One definition for server and browser.
 */
import type { Bilingual, CityIdentity } from './cityPack';

/** Name in the chosen language; `en` falls back to `zh`. */
export function bilingual(text: Bilingual, lang: 'zh' | 'en'): string {
	return lang === 'en' ? (text.en ?? text.zh) : text.zh;
}

export function demoIdentity(center: [number, number] | null): CityIdentity {
	return {
		name: { zh: '天津市滨海新区（演示）', en: 'Binhai New Area, Tianjin (demo)' },
		title: { zh: '滨海新区社会治理指挥中心（演示）', en: 'Binhai Governance Command (demo)' },
		code: '120116',
		synthetic: true,
		levels: [
			{ level: 'street', name: { zh: '街道/镇', en: 'Subdistrict/town' } },
			{ level: 'community', name: { zh: '社区/村', en: 'Community/village' } },
			{ level: 'grid', name: { zh: '网格', en: 'Grid' } }
		],
		view: center ? { center, zoom: 10 } : null,
		basemap: { kind: 'onemap' },
		pack: { version: 'demo', hash: '', importedAt: '' }
	};
}

/** The identity a manifest.json carries (`city`), or the demo's for an older one. */
export function identityOf(manifest: {
	city?: CityIdentity;
	center?: [number, number];
}): CityIdentity {
	return manifest.city ?? demoIdentity(manifest.center ?? null);
}

/** The city's name and title in a UI language (`en` falls back to `zh`). */
export function cityLabels(
	manifest: { city?: CityIdentity; center?: [number, number] },
	locale: string
): { name: string; title: string; synthetic: boolean } {
	const c = identityOf(manifest);
	const lang = locale === 'en' ? 'en' : 'zh';
	return { name: bilingual(c.name, lang), title: bilingual(c.title, lang), synthetic: c.synthetic };
}

/**
 * Which city load a page holds: the stream's `hello` carries the server's, so a page that missed
 * the `city` event (it was reconnecting, or connected late) still notices the new city.
 */
export function cityLoadToken(city: CityIdentity): string {
	return `${city.code}|${city.pack.hash}|${city.pack.importedAt}`;
}
