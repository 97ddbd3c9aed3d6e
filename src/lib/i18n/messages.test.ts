import { describe, expect, it } from 'vitest';
import { INCIDENT_SOURCES, INCIDENT_STATUSES, INCIDENT_TYPES } from '$lib/domain/incidents';
import { LOCALES, format, zhCN, type MessageKey } from './messages';

describe('message catalogue', () => {
	it('translates every key in every locale, with the same parameters', () => {
		for (const catalogue of Object.values(LOCALES)) {
			for (const key of Object.keys(zhCN) as MessageKey[]) {
				expect(catalogue[key], key).toBeTruthy();
				const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
				expect(params(catalogue[key]), key).toEqual(params(zhCN[key]));
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
});
