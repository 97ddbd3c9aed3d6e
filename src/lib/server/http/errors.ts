import {
	databaseUnavailableResponse,
	isDatabaseUnavailable,
	logUnavailable
} from '../db/unavailable';

/**
 * Errors the API answers with: a status and a JSON body `{ message, field }` that tells a person
 * what to change (`field` names the offending input, e.g. "lat" or "[3].type", when there is one).
 */
export interface FieldError {
	field: string | null;
	message: string;
}

export class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly field: string | null = null,
		readonly errors: FieldError[] = [],
		/** More of the answer's body, e.g. the current record of a stale-version 409. */
		readonly details: Record<string, unknown> = {},
		/** Headers of the answer, e.g. Retry-After on a 503. */
		readonly headers: Record<string, string> = {}
	) {
		super(message);
	}
}

export function errorResponse(err: ApiError): Response {
	const body: Record<string, unknown> = { ...err.details, message: err.message, field: err.field };
	if (err.errors.length > 1) body.errors = err.errors;
	return Response.json(body, { status: err.status, headers: err.headers });
}

/**
 * Runs a handler; ApiErrors become their JSON answer, a database that cannot be reached a 503
 * (db/unavailable.ts), anything else a logged 500.
 */
export async function answer(fn: () => Promise<Response>): Promise<Response> {
	try {
		return await fn();
	} catch (err) {
		if (err instanceof ApiError) return errorResponse(err);
		if (isDatabaseUnavailable(err)) {
			logUnavailable('api', err);
			return databaseUnavailableResponse();
		}
		console.error('[api]', err);
		return Response.json(
			{
				message: 'Internal error; the request was not applied. Try again, or see the server log.',
				field: null
			},
			{ status: 500 }
		);
	}
}
