import { describe, expect, it } from 'vitest';
import {
	DAY_MS,
	HOUR_MS,
	cstDate,
	cstDayOf,
	cstDayStart,
	cstSecondsOfDay,
	dateTimeOptions,
	formatChinaTime,
	parseIsoTime,
	readableDuration
} from './time';

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

	it('says a duration in minutes, hours up to two days, then days', () => {
		expect(readableDuration(25 * 60_000)).toEqual({ n: 25, unit: 'minute' });
		expect(readableDuration(47.6 * HOUR_MS)).toEqual({ n: 48, unit: 'hour' });
		expect(readableDuration(8693 * HOUR_MS)).toEqual({ n: 362, unit: 'day' });
		expect(readableDuration(-5)).toEqual({ n: 0, unit: 'minute' });
	});

	it('writes the year only when it is not this China year', () => {
		const newYear = Date.UTC(2026, 11, 31, 16, 30); // 00:30 on 1 January 2027 in China
		expect(dateTimeOptions(newYear - DAY_MS, newYear).year).toBe('numeric');
		expect(dateTimeOptions(newYear + DAY_MS, newYear).year).toBeUndefined();
		expect(
			formatChinaTime(newYear - DAY_MS, 'zh-CN', dateTimeOptions(newYear - DAY_MS, newYear))
		).toContain('2026');
	});
});

describe('parseIsoTime: ISO dates and times that name a real moment', () => {
	it('reads dates as CST days, times with an offset as written, without one as China time', () => {
		expect(parseIsoTime('2026-11-27')).toBe(Date.parse('2026-11-26T16:00:00Z'));
		expect(parseIsoTime('2024-02-29')).toBe(Date.parse('2024-02-28T16:00:00Z'));
		expect(parseIsoTime('2026-11-27T08:00:00Z')).toBe(Date.parse('2026-11-27T08:00:00Z'));
		expect(parseIsoTime('2026-11-27T08:00:00.250+08:00')).toBe(
			Date.parse('2026-11-27T00:00:00.250Z')
		);
		expect(parseIsoTime('2026-11-27T08:00')).toBe(Date.parse('2026-11-27T00:00:00Z'));
		expect(parseIsoTime('2026-11-27T08:00:00-05:30')).toBe(Date.parse('2026-11-27T13:30:00Z'));
	});

	it.each([
		'2026-02-30',
		'2025-02-29',
		'2026-04-31',
		'2026-13-01',
		'2026-00-10',
		'2026-01-00',
		'2026-02-30T08:00:00Z',
		'2026-11-27T24:00:00Z',
		'2026-11-27T08:60:00Z',
		'2026-11-27T08:00:60Z',
		'2026-11-27T08:00:00+25:00',
		'2026-11-27 08:00',
		'27/11/2026',
		'tomorrow',
		''
	])('refuses %j', (raw) => {
		expect(parseIsoTime(raw)).toBeNaN();
	});

	it('rfc3339: needs seconds and an offset', () => {
		expect(parseIsoTime('2026-11-27T08:00:00Z', true)).toBe(Date.parse('2026-11-27T08:00:00Z'));
		expect(parseIsoTime('2026-11-27T08:00Z', true)).toBeNaN();
		expect(parseIsoTime('2026-11-27T08:00:00', true)).toBeNaN();
		expect(parseIsoTime('2026-11-27', true)).toBeNaN();
	});
});
