import { describe, expect, it } from 'vitest';
import * as city from '$lib/layers/fixtures';
import { cstSecondsOfDay } from '$lib/domain/time';
import { LIVE_PATROLS_MAX_AGE_MS, activeUnits, livePatrols, patrolFrame } from './patrols';
import { NearUnits } from './nearUnits.svelte';
import type { NearestUnit } from '$lib/domain/live';

const t = Date.UTC(2026, 11, 3, 4, 0, 0); // 12:00 CST
const report = livePatrols(t, [{ id: 'U1', lon: 118, lat: 40, status: 'responding' }], 1_000_000);

describe('patrol frame', () => {
	it('shows the server units while their report is fresh, at the report time', () => {
		const clock = { timeOfDay: 100, replay: false };
		const frame = patrolFrame(clock, report, 1_000_000 + 2_000);
		expect(frame).toMatchObject({ mode: 'live', timeOfDay: cstSecondsOfDay(t) });
		expect(frame.live?.get('U1')?.status).toBe('responding');
	});

	it('falls back to the tracks at the clock when the report is stale or missing', () => {
		const clock = { timeOfDay: 100, replay: false };
		const stale = patrolFrame(clock, report, 1_000_000 + LIVE_PATROLS_MAX_AGE_MS + 1);
		expect(stale).toEqual({ mode: 'tracks', timeOfDay: 100, live: null });
		expect(patrolFrame(clock, null, 0)).toEqual({ mode: 'tracks', timeOfDay: 100, live: null });
	});

	it('replays the tracks at the clock even when a report is fresh', () => {
		const frame = patrolFrame({ timeOfDay: 36_000, replay: true }, report, 1_000_000);
		expect(frame).toEqual({ mode: 'replay', timeOfDay: 36_000, live: null });
	});

	it('counts active units by the reported status', () => {
		const units = city.patrols.units;
		const standby = new Map(
			units.map((u) => [u.id, { id: u.id, lon: 0, lat: 0, status: 'standby' as const }])
		);
		expect(activeUnits(units, standby)).toBe(0);
		expect(activeUnits(units, null)).toBe(units.filter((u) => u.status !== 'standby').length);
	});
});

describe('NearUnits', () => {
	const unit = (id: string, distanceM: number): NearestUnit => ({
		id,
		callsign: id,
		mode: 'land',
		status: 'on_patrol',
		available: true,
		lon: 0,
		lat: 0,
		distanceM,
		etaS: 60
	});

	it('keeps only the latest answer, and empties without a place', async () => {
		const answers: ((u: NearestUnit[]) => void)[] = [];
		const near = new NearUnits(
			() => new Promise((resolve) => answers.push((units) => resolve({ units })))
		);
		const first = near.refresh([117, 39]);
		const second = near.refresh([117.5, 39.2]);
		answers[1]([unit('B', 10)]);
		await second;
		answers[0]([unit('A', 5)]);
		await first;
		expect(near.units.map((u) => u.id)).toEqual(['B']);
		await near.refresh(null);
		expect(near.units).toEqual([]);
	});

	it('says why when the server refuses', async () => {
		const near = new NearUnits(() => Promise.reject(new Error('403 Forbidden')));
		await near.refresh([117, 39]);
		expect(near.error).toBe('403 Forbidden');
	});
});
