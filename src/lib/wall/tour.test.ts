import { describe, expect, it } from 'vitest';
import { TourCursor, buildTour } from './tour';

const tour = buildTour({
	overview: [117, 38, 118, 39],
	overviewLabel: '全区',
	hotspots: [
		{ label: 'A', center: [117.1, 38.1] },
		{ label: 'B', center: [117.2, 38.2] }
	],
	alerts: [{ label: 'Site', center: [117.3, 38.3] }]
});

describe('auto-tour', () => {
	it('visits the overview, each hotspot and each alerting site, then starts over', () => {
		const cursor = new TourCursor(tour);
		const labels = Array.from({ length: 6 }, () => cursor.next()!.label);
		expect(labels).toEqual(['全区', 'A', 'B', 'Site', '全区', 'A']);
		expect(tour[1]).toMatchObject({ kind: 'hotspot', zoom: 14, center: [117.1, 38.1] });
	});

	it('lets an urgent alert jump the queue, then resumes where it was', () => {
		const cursor = new TourCursor(tour);
		cursor.next();
		cursor.interrupt({ kind: 'alert', label: 'NEW', center: [117.5, 38.5], zoom: 15 });
		expect(cursor.pendingUrgent).toBe(1);
		expect(cursor.next()!.label).toBe('NEW');
		expect(cursor.next()!.label).toBe('A');
	});

	it('keeps going when the stops change, and is quiet without any', () => {
		const cursor = new TourCursor(tour);
		for (let i = 0; i < 3; i++) cursor.next();
		cursor.setStops(tour.slice(0, 2));
		expect(cursor.next()!.label).toBe('全区');
		expect(new TourCursor([]).next()).toBeNull();
	});
});
