/** Path and query parameters shared by the API routes. */
import { ApiError } from './errors';

/** Versions and counters are 32-bit integer columns: nothing larger names a row. */
export const MAX_INT32 = 2 ** 31 - 1;

/** Echoes a client's value in a message without echoing kilobytes of it. */
export function clip(value: string, max = 80): string {
	return value.length > max ? value.slice(0, max) + '…' : value;
}

/**
 * A query parameter that may be given once: its value (null when absent); given twice → 400
 * (which one would the client mean? the first-wins guess hides a client's bug).
 */
export function oneParam(url: URL, name: string): string | null {
	const all = url.searchParams.getAll(name);
	if (all.length > 1)
		throw new ApiError(400, `${name}: given ${all.length} times; send it once.`, name);
	return all.length ? all[0] : null;
}

/** A positive integer id from the path; 400 naming `field` otherwise. */
export function parseId(raw: string, what = 'an incident', field = 'id'): number {
	const id = Number(raw);
	if (!/^\d+$/.test(raw) || !Number.isSafeInteger(id) || id <= 0) {
		throw new ApiError(400, `"${clip(raw)}" is not ${what} id (a positive integer).`, field);
	}
	return id;
}

/**
 * `?version=N`: the row version a write starts from (a positive 32-bit integer); 400 saying
 * `meaning` otherwise. With `none` allowed, `?version=none` (or no parameter) is null.
 */
export function parseVersion(url: URL, meaning: string, allowNone = false): number | null {
	const raw = oneParam(url, 'version') ?? (allowNone ? 'none' : '');
	if (allowNone && raw === 'none') return null;
	const n = Number(raw);
	if (!/^\d+$/.test(raw) || n < 1 || n > MAX_INT32)
		throw new ApiError(
			400,
			`version: must be ${meaning} (a positive integer${allowNone ? ', or "none"' : ''}), got "${clip(raw)}".`,
			'version'
		);
	return n;
}

/** `?limit=` between 1 and max (default `def`). */
export function parseLimit(url: URL, def: number, max: number): number {
	const raw = oneParam(url, 'limit');
	if (raw === null) return def;
	const n = Number(raw);
	if (!/^\d+$/.test(raw) || n < 1 || n > max)
		throw new ApiError(
			400,
			`limit: must be an integer from 1 to ${max} (got "${clip(raw)}").`,
			'limit'
		);
	return n;
}

/** `?lon=&lat=`: a WGS84 place (degrees); 400 naming the parameter otherwise. */
export function parseLonLat(url: URL): [number, number] {
	const read = (name: 'lon' | 'lat', max: number) => {
		const raw = oneParam(url, name);
		const n = Number(raw);
		if (raw === null || !/^-?\d{1,3}(\.\d{1,12})?$/.test(raw) || Math.abs(n) > max)
			throw new ApiError(
				400,
				`${name}: must be a number from -${max} to ${max} (WGS84 degrees)${raw === null ? '' : `, got "${clip(raw)}"`}.`,
				name
			);
		return n;
	};
	return [read('lon', 180), read('lat', 90)];
}

/** A flag such as `?overdue=1`: absent → false; 1/true → true; 0/false → false; else 400. */
export function parseFlag(url: URL, name: string): boolean {
	const raw = oneParam(url, name);
	if (raw === null || raw === '0' || raw === 'false') return false;
	if (raw === '1' || raw === 'true') return true;
	throw new ApiError(400, `${name}: must be 1 or 0 (got "${clip(raw)}").`, name);
}
