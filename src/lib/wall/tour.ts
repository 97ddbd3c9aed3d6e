/**
 * The wall's auto-tour: a cycle of stops (the district, each hotspot, each alerting site), and
 * urgent stops (a new high-priority alert) that jump the queue. Pure; the page owns the timer.
 */
import type { Bbox } from '$lib/geo/bbox';

export interface TourStop {
	kind: 'overview' | 'hotspot' | 'alert';
	label: string;
	/** Where to look: a box to fit, or a centre and zoom. */
	bounds?: Bbox;
	center?: [number, number];
	zoom?: number;
}

export interface TourInput {
	overview: Bbox;
	overviewLabel: string;
	hotspots: { label: string; center: [number, number] }[];
	alerts: { label: string; center: [number, number] }[];
}

export const HOTSPOT_ZOOM = 14;
export const ALERT_ZOOM = 14.5;

/** Overview first, then hotspots and alerting sites, the overview again between each. */
export function buildTour(input: TourInput): TourStop[] {
	const overview: TourStop = {
		kind: 'overview',
		label: input.overviewLabel,
		bounds: input.overview
	};
	const stops: TourStop[] = [overview];
	for (const h of input.hotspots) {
		stops.push({ kind: 'hotspot', label: h.label, center: h.center, zoom: HOTSPOT_ZOOM });
	}
	for (const a of input.alerts) {
		stops.push({ kind: 'alert', label: a.label, center: a.center, zoom: ALERT_ZOOM });
	}
	return stops;
}

export class TourCursor {
	private index = 0;
	private urgent: TourStop[] = [];

	constructor(private stops: TourStop[] = []) {}

	/** New stops (hotspots change): the cycle goes on from where it was, wrapped. */
	setStops(stops: TourStop[]): void {
		this.stops = stops;
		if (this.index >= stops.length) this.index = 0;
	}

	/** The next stop: urgent ones first, then the cycle. */
	next(): TourStop | null {
		const urgent = this.urgent.shift();
		if (urgent) return urgent;
		if (this.stops.length === 0) return null;
		const stop = this.stops[this.index];
		this.index = (this.index + 1) % this.stops.length;
		return stop;
	}

	/** Shows this stop before anything else (a new high-priority alert). */
	interrupt(stop: TourStop): void {
		this.urgent.push(stop);
	}

	get pendingUrgent(): number {
		return this.urgent.length;
	}
}
