import type { RequestHandler } from './$types';
import { answer } from '$lib/server/http/errors';
import { conformance } from '$lib/server/ogc/service';

export const GET: RequestHandler = ({ url }) => answer(async () => conformance(url));
