import { getContext, setContext } from 'svelte';
import { bilingual } from '$lib/domain/cityIdentity';
import type { CityIdentity, PackLevel } from '$lib/domain/cityPack';
import {
	DEFAULT_LOCALE,
	LOCALES,
	format,
	type Locale,
	type MessageKey,
	type Translate
} from './messages';

const KEY = Symbol('i18n');
const STORAGE_KEY = 'onemap.locale';

/**
 * The UI language, shared by context. `t` is stable; reading it re-runs when the locale changes.
 * It also holds the loaded city (a map page sets it once the city is there), so every component
 * names the city and its levels as the city pack does.
 */
export class I18n {
	locale = $state<Locale>(DEFAULT_LOCALE);
	city = $state.raw<CityIdentity | null>(null);

	t: Translate = (key: MessageKey, params?: Record<string, string | number>) =>
		format(LOCALES[this.locale], key, params);

	private get lang(): 'zh' | 'en' {
		return this.locale === 'en' ? 'en' : 'zh';
	}

	/** A level of the hierarchy by the pack's name for it (e.g. 乡镇/街道), else the app's. */
	level = (level: PackLevel): string => {
		const named = this.city?.levels.find((l) => l.level === level)?.name;
		return named ? bilingual(named, this.lang) : this.t(`grids.level.${level}`);
	};

	/** The loaded city's name ('' until a page has loaded it). */
	cityName = (): string => (this.city ? bilingual(this.city.name, this.lang) : '');

	/** A page's document title: the page, the city, the app (`网格规划 · 天津市 · 一张图`). */
	title = (page?: string, city: string = this.cityName()): string =>
		[page, city, this.t('app.shortTitle')].filter(Boolean).join(' · ');

	/** Picks the locale from `?lang=`, then the saved choice, then zh-CN. */
	init(url: URL): void {
		const asked = url.searchParams.get('lang') ?? localStorage.getItem(STORAGE_KEY);
		if (asked && asked in LOCALES) this.locale = asked as Locale;
		document.documentElement.lang = this.locale;
	}

	set(locale: Locale): void {
		this.locale = locale;
		localStorage.setItem(STORAGE_KEY, locale);
		document.documentElement.lang = locale;
	}

	toggle(): void {
		this.set(this.locale === 'zh-CN' ? 'en' : 'zh-CN');
	}
}

export function setI18n(i18n: I18n): I18n {
	return setContext(KEY, i18n);
}

export function getI18n(): I18n {
	return getContext<I18n>(KEY);
}
