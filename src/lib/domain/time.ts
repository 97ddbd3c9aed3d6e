/**
 * China Standard Time (UTC+8, no daylight saving): the one definition of the city's days and
 * hours. Calendar days, hours and weekdays of incidents, the wall's "today", patrol tracks'
 * time of day, schedules and the OGC API's bare dates all count in it; browser and server import
 * it from here.
 */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const DAY_SECONDS = 86_400;
/** UTC+8. */
export const CST_OFFSET_MS = 8 * HOUR_MS;
/** The IANA zone for Intl formatting (toLocaleString) of times shown to people. */
export const CHINA_TIME_ZONE = 'Asia/Shanghai';

/** YYYY-MM-DD of the CST calendar day containing `ms`. */
export function cstDate(ms: number): string {
	return new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** Start (epoch ms) of the CST calendar day written YYYY-MM-DD. */
export function cstDayStart(date: string): number {
	return Date.parse(`${date}T00:00:00Z`) - CST_OFFSET_MS;
}

const ISO_TIME =
	/^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))?)?$/i;

/**
 * An ISO 8601 date or date-time → epoch ms, or NaN when it is not one or names no real moment
 * (2026-02-30, 24:00, 08:60, +25:00: `Date.parse` would quietly roll those over). A bare date is
 * the start of that CST day; a time without an offset is China time. `rfc3339`: only a full
 * date-time with seconds and an offset (what OGC API `datetime` takes) is accepted.
 */
export function parseIsoTime(raw: string, rfc3339 = false): number {
	const m = ISO_TIME.exec(raw);
	if (!m) return NaN;
	const [, y, mo, d, hh, mi, ss, frac, zone, zh, zm] = m;
	if (rfc3339 && (ss === undefined || zone === undefined)) return NaN;
	const year = +y,
		month = +mo,
		day = +d;
	if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate())
		return NaN;
	if (hh === undefined) return cstDayStart(`${y}-${mo}-${d}`);
	if (+hh > 23 || +mi > 59 || (ss !== undefined && +ss > 59)) return NaN;
	if (zh !== undefined && (+zh > 23 || +zm > 59)) return NaN;
	const offsetMs =
		zone === undefined
			? CST_OFFSET_MS
			: zone.toUpperCase() === 'Z'
				? 0
				: (zone[0] === '-' ? -1 : 1) * (+zh * HOUR_MS + +zm * 60_000);
	const ms = frac ? Math.floor(Number(`0${frac}`) * 1000) : 0;
	const utc = Date.UTC(year, month - 1, day, +hh, +mi, ss === undefined ? 0 : +ss, ms);
	// Date.UTC maps years 0–99 to 1900–1999.
	const fixed = year < 100 ? new Date(utc).setUTCFullYear(year) : utc;
	return fixed - offsetMs;
}

/** Start (epoch ms) of the CST day containing `ms`. */
export function cstDayOf(ms: number): number {
	return Math.floor((ms + CST_OFFSET_MS) / DAY_MS) * DAY_MS - CST_OFFSET_MS;
}

/** Seconds since CST midnight (what patrol tracks are timed in), in [0, 86400). */
export function cstSecondsOfDay(ms: number): number {
	return (((ms / 1000 + CST_OFFSET_MS / 1000) % DAY_SECONDS) + DAY_SECONDS) % DAY_SECONDS;
}

/** A time for people, in China time, in the UI's locale. */
export function formatChinaTime(
	ms: number | Date,
	locale: string,
	options: Intl.DateTimeFormatOptions = {}
): string {
	return new Date(ms).toLocaleString(locale, { ...options, timeZone: CHINA_TIME_ZONE });
}

export type DurationUnit = 'minute' | 'hour' | 'day';

/**
 * A duration in the unit a person reads: minutes under an hour, hours up to 48, days above
 * (rounded: "超期8693小时" reads as 362 天).
 */
export function readableDuration(ms: number): { n: number; unit: DurationUnit } {
	const abs = Math.max(0, ms);
	if (abs < HOUR_MS) return { n: Math.round(abs / 60_000), unit: 'minute' };
	if (abs <= 48 * HOUR_MS) return { n: Math.round(abs / HOUR_MS), unit: 'hour' };
	return { n: Math.round(abs / DAY_MS), unit: 'day' };
}

/**
 * Date-and-time options for a moment shown to a person: month, day and minute, plus the year
 * when it is not this (China) year — a deadline in last December must not read as this one.
 */
export function dateTimeOptions(ms: number, now: number): Intl.DateTimeFormatOptions {
	const sameYear = cstDate(ms).slice(0, 4) === cstDate(now).slice(0, 4);
	return {
		...(sameYear ? {} : { year: 'numeric' }),
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit'
	};
}
