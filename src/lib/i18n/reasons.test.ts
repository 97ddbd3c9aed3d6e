import { describe, expect, it } from 'vitest';
import { PLAN_REASONS } from '$lib/plan/reasons';
import { LOCALES, format, zhCN, type MessageKey } from './messages';
import { REASON_MESSAGES, reasonText } from './reasons';

describe('refusal reasons in words', () => {
	it('gives every reason of the planner a message in Chinese and in English', () => {
		expect(Object.keys(REASON_MESSAGES).sort()).toEqual([...PLAN_REASONS].sort());
		for (const reason of PLAN_REASONS) {
			const key = REASON_MESSAGES[reason];
			for (const [locale, catalogue] of Object.entries(LOCALES)) {
				const text = catalogue[key];
				expect(text, `${locale} ${reason}`).toBeTruthy();
				expect(text, `${locale} ${reason}`).not.toBe(reason);
			}
		}
		// Each reason says something of its own.
		const zh = PLAN_REASONS.map((r) => zhCN[REASON_MESSAGES[r]]);
		const en = PLAN_REASONS.map((r) => LOCALES.en[REASON_MESSAGES[r]]);
		expect(new Set(zh).size).toBe(PLAN_REASONS.length);
		expect(new Set(en).size).toBe(PLAN_REASONS.length);
	});

	it('lists each reason once, and no message for a reason that does not exist', () => {
		expect(new Set(PLAN_REASONS).size).toBe(PLAN_REASONS.length);
		const known = new Set<string>(Object.values(REASON_MESSAGES));
		const stray = Object.keys(zhCN).filter((k) => k.startsWith('plan.reason.') && !known.has(k));
		expect(stray).toEqual([]);
	});

	it('says a reason in the language asked, and an unknown one as it is', () => {
		const t = (key: MessageKey) => format(LOCALES.en, key);
		expect(reasonText(t, 'overlap')).toBe('Grids would overlap');
		expect(reasonText(t, 'outline_several_parts')).toContain('several parts');
		expect(reasonText(t, 'a_reason_from_a_newer_server')).toBe('a_reason_from_a_newer_server');
	});
});
