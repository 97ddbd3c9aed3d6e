import { getContext, setContext } from 'svelte';
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

/** The UI language, shared by context. `t` is stable; reading it re-runs when the locale changes. */
export class I18n {
	locale = $state<Locale>(DEFAULT_LOCALE);

	t: Translate = (key: MessageKey, params?: Record<string, string | number>) =>
		format(LOCALES[this.locale], key, params);

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
