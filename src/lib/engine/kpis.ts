/**
 * The wall's key figures, as SQL over the incidents DuckDB holds (all times CST).
 */
import { DEADLINE_HOURS, INCIDENT_STATUSES, INCIDENT_TYPES } from '$lib/domain/incidents';
import { DAY_MS, HOUR_MS, cstDayOf } from '$lib/domain/time';
import type { ResultTable, SqlRunner } from './queries';

const num = (t: ResultTable, name: string) => Number(t.getChild(name)!.toArray()[0] ?? 0);
const CLOSED = INCIDENT_STATUSES.indexOf('closed');

export interface TodayVsUsual {
	today: number;
	/** Mean over the same weekday of the previous `weeks` weeks, up to the same time of day. */
	usual: number;
	/** How many earlier weeks the mean is over. */
	weeks: number;
}

/**
 * Below this usual count a percentage says nothing ("↑3592%" just after midnight, or in a city
 * whose history starts this week): the wall shows the two counts and no percentage.
 */
export const MIN_COMPARISON_BASE = 20;

/** Today against the usual, in whole percent; null when the usual is too small to compare. */
export function changePercent(v: TodayVsUsual): number | null {
	if (v.usual < MIN_COMPARISON_BASE) return null;
	return Math.round((100 * (v.today - v.usual)) / v.usual);
}

/** Today's incidents so far against the same weekday's usual count by this time of day. */
export async function todayVsUsual(db: SqlRunner, nowMs: number, weeks = 8): Promise<TodayVsUsual> {
	const day = cstDayOf(nowMs);
	const sinceMidnight = nowMs - day;
	const week = 7 * DAY_MS;
	// r = how far into its week (counted from this weekday's midnight) an earlier incident lies:
	// the same weekday up to this time of day is r ≤ sinceMidnight.
	const t = await db.query(
		`SELECT
			count(*) FILTER (WHERE ts >= ?)::DOUBLE AS today,
			count(*) FILTER (WHERE ts < ? AND (ts - ?) - floor((ts - ?) / ?) * ? <= ?)::DOUBLE AS past
		FROM incidents WHERE ts >= ? AND ts <= ?`,
		[day, day, day, day, week, week, sinceMidnight, day - weeks * week, nowMs]
	);
	// `past` counts, for each earlier week, the same weekday from midnight to this time of day.
	return { today: num(t, 'today'), usual: num(t, 'past') / weeks, weeks };
}

/** Share of the incidents reported in [fromMs, toMs) that are closed (0..1). */
export async function closureRate(db: SqlRunner, fromMs: number, toMs: number): Promise<number> {
	const t = await db.query(
		`SELECT count(*)::DOUBLE AS n, count(*) FILTER (WHERE status = ?)::DOUBLE AS closed
		FROM incidents WHERE ts >= ? AND ts < ?`,
		[CLOSED, fromMs, toMs]
	);
	const n = num(t, 'n');
	return n ? num(t, 'closed') / n : 0;
}

/** SQL: the deadline of a case (report time + DEADLINE_HOURS of its priority). */
const DEADLINE_SQL = `ts + CASE priority ${Object.entries(DEADLINE_HOURS)
	.map(([p, h]) => `WHEN ${Number(p)} THEN ${h * HOUR_MS}`)
	.join(' ')} ELSE ${72 * HOUR_MS} END`;

/** Open cases past their deadline at `nowMs`. */
export async function overdueCount(db: SqlRunner, nowMs: number): Promise<number> {
	const t = await db.query(
		`SELECT count(*)::DOUBLE AS n FROM incidents WHERE status <> ? AND ts <= ? AND ${DEADLINE_SQL} < ?`,
		[CLOSED, nowMs, nowMs]
	);
	return num(t, 'n');
}

/** Hazmat alarms reported today (CST) up to now. */
export async function hazmatAlarmsToday(db: SqlRunner, nowMs: number): Promise<number> {
	const t = await db.query(
		`SELECT count(*)::DOUBLE AS n FROM incidents WHERE type = ? AND ts >= ? AND ts <= ?`,
		[INCIDENT_TYPES.indexOf('hazmat_alarm'), cstDayOf(nowMs), nowMs]
	);
	return num(t, 'n');
}

/** The indicators of the 平安指数 and their weights (they sum to 1). */
export const SAFETY_WEIGHTS = {
	/** incidents per 1,000 residents, last 30 days */
	rate: 0.4,
	/** 治安隐患 per 1,000 residents, last 30 days */
	security: 0.3,
	/** overdue open cases per 1,000 residents */
	overdue: 0.2,
	/** hazmat alarms, last 30 days */
	hazmat: 0.1
} as const;

export interface SafetyIndex {
	/** 0 (worst of the district on every indicator) … 100 (best on every indicator), per street. */
	index: Float64Array;
	/** The raw indicators per street, for the tooltip and the tests. */
	rate: Float64Array;
	security: Float64Array;
	overdue: Float64Array;
	hazmat: Float64Array;
}

/**
 * 平安指数 per 街镇: each indicator is scaled 0..1 across the streets (min–max, 0 = best), the
 * weighted sum is the risk, and the index is 100 × (1 − risk).
 */
export async function safetyIndex(
	db: SqlRunner,
	nowMs: number,
	population: ArrayLike<number>
): Promise<SafetyIndex> {
	const n = population.length;
	const from = nowMs - 30 * DAY_MS;
	const t = await db.query(
		`SELECT street,
			count(*) FILTER (WHERE ts >= ?)::DOUBLE AS total,
			count(*) FILTER (WHERE ts >= ? AND type = ?)::DOUBLE AS security,
			count(*) FILTER (WHERE status <> ? AND ${DEADLINE_SQL} < ?)::DOUBLE AS overdue,
			count(*) FILTER (WHERE ts >= ? AND type = ?)::DOUBLE AS hazmat
		FROM incidents WHERE ts <= ? GROUP BY street`,
		[
			from,
			from,
			INCIDENT_TYPES.indexOf('public_security'),
			CLOSED,
			nowMs,
			from,
			INCIDENT_TYPES.indexOf('hazmat_alarm'),
			nowMs
		]
	);
	const out: SafetyIndex = {
		index: new Float64Array(n),
		rate: new Float64Array(n),
		security: new Float64Array(n),
		overdue: new Float64Array(n),
		hazmat: new Float64Array(n)
	};
	const col = (name: string) =>
		Array.from(t.getChild(name)!.toArray() as ArrayLike<number>, Number);
	const street = col('street');
	const [total, security, overdue, hazmat] = ['total', 'security', 'overdue', 'hazmat'].map(col);
	street.forEach((s, i) => {
		if (s < 0 || s >= n) return;
		const per1000 = population[s] > 0 ? 1000 / population[s] : 0;
		out.rate[s] = total[i] * per1000;
		out.security[s] = security[i] * per1000;
		out.overdue[s] = overdue[i] * per1000;
		out.hazmat[s] = hazmat[i];
	});
	const scaled = (v: Float64Array) => {
		const min = Math.min(...v);
		const max = Math.max(...v);
		return (i: number) => (max > min ? (v[i] - min) / (max - min) : 0);
	};
	const [r, sec, o, h] = [out.rate, out.security, out.overdue, out.hazmat].map(scaled);
	for (let i = 0; i < n; i++) {
		const risk =
			SAFETY_WEIGHTS.rate * r(i) +
			SAFETY_WEIGHTS.security * sec(i) +
			SAFETY_WEIGHTS.overdue * o(i) +
			SAFETY_WEIGHTS.hazmat * h(i);
		out.index[i] = 100 * (1 - risk);
	}
	return out;
}
