import { describe, expect, it } from 'vitest';
import { NO_FIGURE, changeText, countText, percentText, safetyRanking } from './kpiText';

describe('the wall KPI text', () => {
	it('shows a dash until a figure is known', () => {
		expect(countText(null, 'zh-CN')).toBe(NO_FIGURE);
		expect(countText(12345, 'en')).toBe('12,345');
		expect(percentText(null)).toBe(NO_FIGURE);
		expect(percentText(0.8766)).toBe('87.7%');
		expect(percentText(1)).toBe('100.0%');
	});

	it('compares today with the usual by an arrow and whole percent', () => {
		expect(changeText(12)).toBe('↑12%');
		expect(changeText(-5)).toBe('↓5%');
		expect(changeText(0)).toBe('↑0%');
	});

	it('ranks the streets by their safety index, best first', () => {
		const streets = ['甲', '乙', '丙'].map((name) => ({ properties: { name } }));
		expect(safetyRanking(streets, { index: Float64Array.from([50, 90, 70]) })).toEqual([
			{ name: '乙', index: 90 },
			{ name: '丙', index: 70 },
			{ name: '甲', index: 50 }
		]);
		expect(safetyRanking(streets, null)).toEqual([]);
	});
});
