import { describe, expect, it } from 'vitest';
import { demoIdentity } from '$lib/domain/cityIdentity';
import { I18n } from './i18n.svelte';

describe('I18n and the loaded city', () => {
	it("names levels and titles pages as the city pack does, in the UI's language", () => {
		const i18n = new I18n();
		expect(i18n.level('street')).toBe('街镇');
		expect(i18n.title('网格规划')).toBe('网格规划 · 一张图');
		i18n.city = {
			...demoIdentity(null),
			name: { zh: '天津市', en: 'Tianjin' },
			levels: [
				{ level: 'district', name: { zh: '区', en: 'District' } },
				{ level: 'street', name: { zh: '乡镇/街道' } }
			]
		};
		expect(i18n.level('district')).toBe('区');
		expect(i18n.level('street')).toBe('乡镇/街道');
		expect(i18n.level('grid')).toBe('网格');
		expect(i18n.title()).toBe('天津市 · 一张图');
		i18n.locale = 'en';
		expect(i18n.level('district')).toBe('District');
		expect(i18n.level('street')).toBe('乡镇/街道');
		expect(i18n.title('Grid planning')).toBe('Grid planning · Tianjin · OneMap');
	});
});
