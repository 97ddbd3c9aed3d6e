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
