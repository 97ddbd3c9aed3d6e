import type { RequestHandler } from './$types';
import { serveCityFile } from '$lib/server/cityFiles';

export const GET: RequestHandler = ({ params, request }) =>
	serveCityFile(params.file, request.headers.get('if-none-match'));
