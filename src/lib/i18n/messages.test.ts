import { describe, expect, it } from 'vitest';
import { INCIDENT_SOURCES, INCIDENT_STATUSES, INCIDENT_TYPES } from '$lib/domain/incidents';
import { LOCALES, format, paramsOf, zhCN, type MessageKey } from './messages';

describe('message catalogue', () => {
	it('translates every key in every locale, with the same parameters', () => {
		for (const catalogue of Object.values(LOCALES)) {
			for (const key of Object.keys(zhCN) as MessageKey[]) {
				expect(catalogue[key], key).toBeTruthy();
				expect(paramsOf(catalogue[key]), key).toEqual(paramsOf(zhCN[key]));
			}
		}
	});

	it('names every incident type, source and status', () => {
		for (const type of INCIDENT_TYPES) expect(zhCN).toHaveProperty(`incident.type.${type}`);
		for (const source of INCIDENT_SOURCES) expect(zhCN).toHaveProperty(`incident.source.${source}`);
		for (const status of INCIDENT_STATUSES)
			expect(zhCN).toHaveProperty(`incident.status.${status}`);
	});

	it('fills parameters', () => {
		expect(format(zhCN, 'incidents.total', { count: 12 })).toBe('共 12 件');
		expect(format(LOCALES.en, 'incidents.total', { count: 3 })).toBe('3 incidents');
	});

	it('says "1 incident" in English, with formatted numbers too', () => {
		const en = (key: MessageKey, params: Record<string, string | number>) =>
			format(LOCALES.en, key, params);
		expect(en('incidents.total', { count: 1 })).toBe('1 incident');
		expect(en('incidents.total', { count: '1,234' })).toBe('1,234 incidents');
		expect(en('incidents.total', { count: 0 })).toBe('0 incidents');
		expect(en('filter.matching', { count: 1, total: '1' })).toBe('1 / 1 incident');
		expect(en('wall.period', { n: 1 })).toBe('incidents, last day');
		expect(en('wall.period', { n: 7 })).toBe('incidents, last 7 days');
		expect(en('admin.city.refused', { n: 1 })).toBe('Refused: 1 problem; nothing was written');
		// Chinese has one form.
		expect(format(zhCN, 'incidents.total', { count: 1 })).toBe('共 1 件');
	});

	it('gives every plural message an "other" form and leaves no ICU syntax unfilled', () => {
		for (const [key, text] of Object.entries(LOCALES.en)) {
			for (const m of text.matchAll(/\{(\w+),\s*plural,/g)) {
				expect(text, key).toMatch(/other\s*\{/);
				const filled = format(LOCALES.en, key as MessageKey, { [m[1]]: 2 });
				expect(filled, key).not.toMatch(/plural|#/);
			}
		}
	});
});
