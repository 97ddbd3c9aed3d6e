import { describe, expect, it } from 'vitest';
import {
	ALL_PRIORITIES,
	ALL_TYPES,
	DAY_MS,
	HOUR_MS,
	cstStamp,
	filterFromParams,
	filterToParams,
	fullFilter,
	parseCstStamp,
	toggleBit
} from './filter';

const start = Date.parse('2025-11-27T00:00:00+08:00');
const end = Date.parse('2026-11-27T00:00:00+08:00');
const full = fullFilter(start, end);

const roundTrip = (f: typeof full) => {
	const params = new URLSearchParams();
	filterToParams(f, full, params);
	return { params: params.toString(), back: filterFromParams(params, full) };
};

describe('filter ↔ URL', () => {
	it('leaves a full filter out of the URL', () => {
		expect(roundTrip(full)).toEqual({ params: '', back: full });
	});

	it('round-trips day and hour ranges and every code set', () => {
		const f = {
			...full,
			fromMs: end - 30 * DAY_MS,
			toMs: end - 2 * DAY_MS + 5 * HOUR_MS,
			types: (1 << 0) | (1 << 3),
			statuses: 1 << 5,
			priorities: 1 << 1
		};
		const { params, back } = roundTrip(f);
		expect(params).toBe(
			'from=2026-10-28&to=2026-11-25T05&type=dispute%2Cpollution&status=closed&priority=1'
		);
		expect(back).toEqual(f);
	});

	it('ignores garbage and clamps to the data period', () => {
		const params = new URLSearchParams('from=yesterday&to=2030-01-01&type=nope,dispute');
		const f = filterFromParams(params, full);
		expect(f.fromMs).toBe(full.fromMs);
		expect(f.toMs).toBe(full.toMs);
		expect(f.types).toBe(1);
		expect(f.priorities).toBe(ALL_PRIORITIES);
	});

	it('falls back to the full period when the range is empty', () => {
		const f = filterFromParams(new URLSearchParams('from=2026-11-20&to=2026-11-10'), full);
		expect([f.fromMs, f.toMs]).toEqual([full.fromMs, full.toMs]);
	});

	it('writes CST stamps', () => {
		expect(cstStamp(end)).toBe('2026-11-27');
		expect(cstStamp(end + 13 * HOUR_MS)).toBe('2026-11-27T13');
		expect(parseCstStamp('2026-11-27T13')).toBe(end + 13 * HOUR_MS);
		expect(Number.isNaN(parseCstStamp('2026-13'))).toBe(true);
		expect(toggleBit(ALL_TYPES, 0) & 1).toBe(0);
	});
});
