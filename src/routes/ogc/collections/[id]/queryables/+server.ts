import type { RequestHandler } from './$types';
import { answer } from '$lib/server/http/errors';
import { queryables } from '$lib/server/ogc/service';

export const GET: RequestHandler = ({ url, params }) =>
	answer(async () => queryables(url, params.id));
