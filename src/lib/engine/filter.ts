/**
 * The duty officer's incident filter: a time range and, per categorical column, the set of codes
 * that pass — held as a bitmask so every SQL query binds a fixed number of integer parameters.
 * The filter round-trips through the URL, so a permalink reproduces the view.
 */
import {
	INCIDENT_PRIORITIES,
	INCIDENT_SOURCES,
	INCIDENT_STATUSES,
	INCIDENT_TYPES
} from '$lib/domain/incidents';
import { CST_OFFSET_MS, DAY_MS } from '$lib/domain/time';

export interface IncidentFilter {
	/** Report time range [fromMs, toMs), epoch milliseconds. */
	fromMs: number;
	toMs: number;
	/** Bit i set ⇔ code i passes (INCIDENT_TYPES / SOURCES / STATUSES order; priority p ⇒ bit p). */
	types: number;
	sources: number;
	statuses: number;
	priorities: number;
}

// China time is defined once, in domain/time.ts; the filter's callers get it from here too.
export { CST_OFFSET_MS, DAY_MS, HOUR_MS, cstDate, cstDayStart } from '$lib/domain/time';

const allBits = (n: number) => (1 << n) - 1;
export const ALL_TYPES = allBits(INCIDENT_TYPES.length);
export const ALL_SOURCES = allBits(INCIDENT_SOURCES.length);
export const ALL_STATUSES = allBits(INCIDENT_STATUSES.length);
/** Priorities are 1..4, so bits 1..4. */
export const ALL_PRIORITIES = INCIDENT_PRIORITIES.reduce((m, p) => m | (1 << p), 0);

export function fullFilter(startMs: number, endMs: number): IncidentFilter {
	return {
		fromMs: startMs,
		toMs: endMs,
		types: ALL_TYPES,
		sources: ALL_SOURCES,
		statuses: ALL_STATUSES,
		priorities: ALL_PRIORITIES
	};
}

export function hasBit(mask: number, bit: number): boolean {
	return (mask & (1 << bit)) !== 0;
}

export function toggleBit(mask: number, bit: number): number {
	return mask ^ (1 << bit);
}

/** A CST day (YYYY-MM-DD) or, when not on a day boundary, a CST hour (YYYY-MM-DDTHH). */
export function cstStamp(ms: number): string {
	const iso = new Date(ms + CST_OFFSET_MS).toISOString();
	return (ms + CST_OFFSET_MS) % DAY_MS === 0 ? iso.slice(0, 10) : iso.slice(0, 13);
}

/** Reads a cstStamp back; NaN when unreadable. */
export function parseCstStamp(text: string): number {
	const m = text.match(/^(\d{4}-\d{2}-\d{2})(?:T(\d{2}))?$/);
	if (!m) return NaN;
	return Date.parse(`${m[1]}T${m[2] ?? '00'}:00:00Z`) - CST_OFFSET_MS;
}

function maskToNames(mask: number, names: readonly (string | number)[], offset = 0): string {
	return names.filter((_, i) => hasBit(mask, i + offset)).join(',');
}

function namesToMask(text: string, names: readonly (string | number)[], offset = 0): number {
	let mask = 0;
	for (const name of text.split(',')) {
		const i = names.findIndex((n) => String(n) === name);
		if (i >= 0) mask |= 1 << (i + offset);
	}
	return mask;
}

/**
 * Writes the filter into URL parameters, leaving out whatever equals the full filter so that
 * a plain link stays plain. Times are CST days or hours; `to` is exclusive (the next day's start).
 */
export function filterToParams(f: IncidentFilter, full: IncidentFilter, params: URLSearchParams) {
	const set = (key: string, value: string | null) =>
		value === null ? params.delete(key) : params.set(key, value);
	set('from', f.fromMs === full.fromMs ? null : cstStamp(f.fromMs));
	set('to', f.toMs === full.toMs ? null : cstStamp(f.toMs));
	set('type', f.types === full.types ? null : maskToNames(f.types, INCIDENT_TYPES));
	set('source', f.sources === full.sources ? null : maskToNames(f.sources, INCIDENT_SOURCES));
	set('status', f.statuses === full.statuses ? null : maskToNames(f.statuses, INCIDENT_STATUSES));
	set(
		'priority',
		f.priorities === full.priorities ? null : maskToNames(f.priorities, INCIDENT_PRIORITIES, 1)
	);
}

/** Reads a filter from URL parameters; anything missing or unreadable falls back to `full`. */
export function filterFromParams(params: URLSearchParams, full: IncidentFilter): IncidentFilter {
	const stamp = (key: string) => {
		const ms = parseCstStamp(params.get(key) ?? '');
		return Number.isNaN(ms) ? null : ms;
	};
	const from = stamp('from');
	const to = stamp('to');
	const mask = (key: string, names: readonly (string | number)[], fallback: number, offset = 0) => {
		const v = params.get(key);
		return v === null ? fallback : namesToMask(v, names, offset);
	};
	const f: IncidentFilter = {
		fromMs: from === null ? full.fromMs : Math.max(full.fromMs, from),
		toMs: to === null ? full.toMs : Math.min(full.toMs, to),
		types: mask('type', INCIDENT_TYPES, full.types),
		sources: mask('source', INCIDENT_SOURCES, full.sources),
		statuses: mask('status', INCIDENT_STATUSES, full.statuses),
		priorities: mask('priority', INCIDENT_PRIORITIES, full.priorities, 1)
	};
	if (f.toMs <= f.fromMs) return { ...f, fromMs: full.fromMs, toMs: full.toMs };
	return f;
}
