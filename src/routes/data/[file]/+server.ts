import type { RequestHandler } from './$types';
import { serveCityFile } from '$lib/server/cityFiles';
import { answer } from '$lib/server/http/errors';

export const GET: RequestHandler = ({ params, request }) =>
	answer(() => serveCityFile(params.file, request.headers.get('if-none-match')));
