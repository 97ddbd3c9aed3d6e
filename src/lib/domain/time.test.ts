import { describe, expect, it } from 'vitest';
import { cstDate, cstDayOf, cstDayStart, cstSecondsOfDay, formatChinaTime } from './time';

describe('China Standard Time', () => {
	// 2026-12-02T16:30Z is 00:30 on 3 December in China.
	const ms = Date.UTC(2026, 11, 2, 16, 30);

	it('counts days from CST midnight, not UTC', () => {
		expect(cstDate(ms)).toBe('2026-12-03');
		expect(cstDayStart('2026-12-03')).toBe(Date.UTC(2026, 11, 2, 16, 0));
		expect(cstDayOf(ms)).toBe(cstDayStart('2026-12-03'));
		expect(cstDayOf(cstDayStart('2026-12-03'))).toBe(cstDayStart('2026-12-03'));
	});

	it('gives the time of day in seconds since CST midnight, before 1970 too', () => {
		expect(cstSecondsOfDay(ms)).toBe(30 * 60);
		expect(cstSecondsOfDay(Date.UTC(1969, 11, 31, 16, 0))).toBe(0);
	});

	it('formats in China time whatever the zone of the machine', () => {
		expect(formatChinaTime(ms, 'en-GB', { hour: '2-digit', minute: '2-digit' })).toBe('00:30');
	});
});
