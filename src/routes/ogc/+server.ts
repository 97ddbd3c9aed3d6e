import type { RequestHandler } from './$types';
import { answer } from '$lib/server/http/errors';
import { landing } from '$lib/server/ogc/service';

/** OGC API – Features landing page. */
export const GET: RequestHandler = ({ url }) => answer(async () => landing(url));
