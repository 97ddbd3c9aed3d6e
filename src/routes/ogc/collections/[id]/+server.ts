import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { answer } from '$lib/server/http/errors';
import { collection } from '$lib/server/ogc/service';

export const GET: RequestHandler = ({ url, params }) =>
	answer(async () => collection((await getApp()).db, url, params.id));
