import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '$lib/domain/time';
import { startPlayback, stepPlayback } from './playback';

const END = Date.UTC(2026, 11, 1) - 8 * HOUR_MS; // 2026-12-01 00:00 CST
const last30 = { fromMs: END - 30 * DAY_MS, toMs: END };

describe('timeline playback', () => {
	it('plays the selected 30 days day by day, never leaving them', () => {
		let p = startPlayback(last30);
		expect(p.window).toEqual({ fromMs: last30.fromMs, toMs: last30.fromMs + DAY_MS });
		const seen: number[] = [p.window.fromMs];
		for (let i = 0; i < 40; i++) {
			p = stepPlayback(p);
			expect(p.window.fromMs).toBeGreaterThanOrEqual(last30.fromMs);
			expect(p.window.toMs).toBeLessThanOrEqual(last30.toMs);
			seen.push(p.window.fromMs);
		}
		// 30 days, then back to the first.
		expect(seen[29]).toBe(END - DAY_MS);
		expect(seen[30]).toBe(last30.fromMs);
	});

	it('plays a day hour by hour and a year a week at a time, a day per step', () => {
		const day = { fromMs: END - DAY_MS, toMs: END };
		const d = stepPlayback(startPlayback(day));
		expect(d.window).toEqual({ fromMs: day.fromMs + HOUR_MS, toMs: day.fromMs + 2 * HOUR_MS });
		const year = { fromMs: END - 365 * DAY_MS, toMs: END };
		const y = stepPlayback(startPlayback(year));
		expect(y.window.toMs - y.window.fromMs).toBe(7 * DAY_MS);
		expect(y.window.fromMs).toBe(year.fromMs + DAY_MS);
	});

	it('a range shorter than one window is played whole', () => {
		const short = { fromMs: END - 30 * 60_000, toMs: END };
		const p = startPlayback(short);
		expect(p.window).toEqual(short);
		expect(stepPlayback(p).window).toEqual(short);
	});
});
