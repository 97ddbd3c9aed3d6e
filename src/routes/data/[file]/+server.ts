import type { RequestHandler } from './$types';
import { MASKED_PROPERTIES, masksPersonalData } from '$lib/server/auth/mask';
import { serveCityFile } from '$lib/server/cityFiles';
import { answer } from '$lib/server/http/errors';

/** The city files and the incident snapshot; the wall's copies carry no names or phones. */
export const GET: RequestHandler = ({ params, request, locals }) =>
	answer(() =>
		serveCityFile(
			params.file,
			request.headers.get('if-none-match'),
			masksPersonalData(locals.user?.role) ? (MASKED_PROPERTIES[params.file] ?? []) : []
		)
	);
