/**
 * The request's envelope, checked before anything else (hooks.server.ts): exactly one Host
 * header (400), and — without ORIGIN — a Host this server answers for (421), so the Host header
 * never reaches OGC links or the CSRF origin unchecked. After the route: every refusal of the
 * API (/api/…) and of OGC API (/ogc…) is JSON `{ message, field }`, also those SvelteKit or
 * adapter-node answer themselves with a page or plain text (no route, malformed URI, …).
 */
import type { Handle, RequestEvent } from '@sveltejs/kit';
import { networkInterfaces, hostname as osHostname } from 'node:os';

type Env = Record<string, string | undefined>;

/** Host names always trusted: the loopback addresses. */
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARD = new Set(['0.0.0.0', '::', '[::]', '']);

const bracket = (address: string) => (address.includes(':') ? `[${address}]` : address);

/**
 * The host names (no port) a server without ORIGIN answers for: loopback, the listening
 * address (HOST; for 0.0.0.0/:: every address of this machine and its host name) and the
 * names the operator lists in ONEMAP_ALLOWED_HOSTS (comma-separated).
 */
export function trustedHosts(env: Env = process.env): Set<string> {
	const out = new Set(LOOPBACK);
	const listen = (env.HOST ?? '0.0.0.0').trim().toLowerCase();
	if (WILDCARD.has(listen)) {
		out.add(osHostname().toLowerCase());
		for (const list of Object.values(networkInterfaces()))
			for (const a of list ?? []) out.add(bracket(a.address.toLowerCase()));
	} else out.add(bracket(listen.replace(/^\[|\]$/g, '')));
	for (const name of (env.ONEMAP_ALLOWED_HOSTS ?? '').split(','))
		if (name.trim()) out.add(name.trim().toLowerCase().replace(/:\d+$/, ''));
	return out;
}

/** Why the start must be refused, or null: a production start needs ORIGIN. */
export function originProblem(production: boolean, env: Env = process.env): string | null {
	if (!production || env.ORIGIN?.trim()) return null;
	return (
		'A production start (ONEMAP_ENV=production or NODE_ENV=production) needs ORIGIN, the ' +
		'public URL people and GIS clients use (e.g. ORIGIN=https://onemap.example.gov.cn): links and ' +
		'the cross-site check must not come from the Host header a client sends. Set it and start again.'
	);
}

function refusal(status: number, message: string): Response {
	return Response.json({ message, field: null }, { status });
}

/** The Host header(s) of the raw request (adapter-node hands it over as platform.req). */
function hostHeaderCount(event: RequestEvent): number | null {
	const raw = (event.platform as { req?: { rawHeaders?: string[] } } | undefined)?.req?.rawHeaders;
	if (!raw) return null;
	let n = 0;
	for (let i = 0; i < raw.length; i += 2) if (raw[i].toLowerCase() === 'host') n++;
	return n;
}

/** Null when the request may go on; else the refusal. */
export function envelopeProblem(
	event: RequestEvent,
	env: Env = process.env,
	trusts: (host: string) => boolean = (host) => trustedHosts(env).has(host)
): Response | null {
	const hosts = hostHeaderCount(event);
	if (hosts !== null && hosts > 1)
		return refusal(400, `The request has ${hosts} Host headers; send exactly one.`);
	// With ORIGIN set, adapter-node builds every URL from it and the Host header is not used.
	if (env.ORIGIN?.trim() || env.HOST_HEADER) return null;
	const name = event.url.hostname.toLowerCase();
	if (!trusts(name))
		return refusal(
			421,
			`This server does not answer for the host "${name.slice(0, 100)}". Use its address, or ask the operator to list the name in ONEMAP_ALLOWED_HOSTS (or set ORIGIN).`
		);
	return null;
}

/** Paths whose every answer is JSON. */
export function isApiPath(pathname: string): boolean {
	return pathname.startsWith('/api/') || pathname === '/ogc' || pathname.startsWith('/ogc/');
}

const GENERIC: Record<number, string> = {
	400: 'The request could not be read (is the URL correctly percent-encoded?).',
	403: 'Not allowed.',
	404: 'There is no such API resource; README "Server interfaces" lists them.',
	405: 'This method is not offered here.',
	413: 'The body is too large for this server.'
};

/** A non-JSON refusal of an API path, as the API's JSON `{ message, field }`. */
export async function asJsonError(pathname: string, response: Response): Promise<Response> {
	if (response.status < 400 || !isApiPath(pathname)) return response;
	const type = response.headers.get('content-type') ?? '';
	if (/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) return response;
	const text = type.startsWith('text/plain') ? (await response.text()).trim().slice(0, 300) : '';
	const message =
		text || GENERIC[response.status] || `The request was refused (HTTP ${response.status}).`;
	const headers = new Headers(response.headers);
	headers.set('content-type', 'application/json');
	headers.delete('content-length');
	return new Response(JSON.stringify({ message, field: null }), {
		status: response.status,
		headers
	});
}

let trusted: Set<string> | null = null;
/** Read once, and again when a name is missing (an address may have been added since). */
const trusts = (host: string) =>
	(trusted ??= trustedHosts()).has(host) || (trusted = trustedHosts()).has(host);

export const requestGuard: Handle = async ({ event, resolve }) => {
	const problem = envelopeProblem(event, process.env, trusts);
	if (problem) return problem;
	return asJsonError(event.url.pathname, await resolve(event));
};
