import type { RequestHandler } from './$types';
import { getApp } from '$lib/server/app';
import { answer } from '$lib/server/http/errors';
import { landing } from '$lib/server/ogc/service';

/** OGC API – Features landing page (it names the loaded city). */
export const GET: RequestHandler = ({ url }) =>
	answer(async () => landing((await getApp()).db, url));
