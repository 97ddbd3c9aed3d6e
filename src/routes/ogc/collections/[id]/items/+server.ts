import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { answer } from '$lib/server/http/errors';
import { items } from '$lib/server/ogc/service';

export const GET: RequestHandler = ({ url, params }) =>
	answer(async () => items((await getApp()).db, url, params.id));
