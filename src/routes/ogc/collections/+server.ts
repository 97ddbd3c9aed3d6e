import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { answer } from '$lib/server/http/errors';
import { collections } from '$lib/server/ogc/service';

export const GET: RequestHandler = ({ url }) =>
	answer(async () => collections((await getApp()).db, url));
