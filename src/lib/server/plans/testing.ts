/** Helpers shared by the plan tests (not used by the app). */
import type { Polygon } from 'geojson';
import { ApiError } from '../http/errors';

/** An axis-aligned rectangle, counter-clockwise from its south-west corner. */
export function rect(x0: number, y0: number, x1: number, y1: number): Polygon {
	return {
		type: 'Polygon',
		coordinates: [
			[
				[x0, y0],
				[x1, y0],
				[x1, y1],
				[x0, y1],
				[x0, y0]
			]
		]
	};
}

/** The ApiError a call is refused with; anything else (or no refusal) fails the test. */
export async function rejected(p: Promise<unknown>): Promise<ApiError> {
	try {
		await p;
	} catch (err) {
		if (err instanceof ApiError) return err;
		throw err;
	}
	throw new Error('expected the call to be refused');
}
