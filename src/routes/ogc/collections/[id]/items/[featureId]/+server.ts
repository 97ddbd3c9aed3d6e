import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { answer } from '$lib/server/http/errors';
import { item } from '$lib/server/ogc/service';

export const GET: RequestHandler = ({ url, params }) =>
	answer(async () => item((await getApp()).db, url, params.id, params.featureId));
