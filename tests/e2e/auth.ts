/**
 * Signing in from Node (spawned-server tests, GDAL, the benchmarks) the way any client does:
 * POST /api/session with the demo password → the session cookie, sent with an Origin header
 * (the CSRF check); or, for non-browser clients, a device token an admin issued, sent as
 * `Authorization: Bearer …`.
 */
export type DemoRole = 'admin' | 'officer' | 'planner';

/** The demo accounts created on first start (README.md). */
export const DEMO_PASSWORDS: Record<DemoRole, string> = {
	admin: 'onemap-admin',
	officer: 'onemap-officer',
	planner: 'onemap-planner'
};

/** Headers of a signed-in browser-like client: the session cookie and the app's Origin. */
export async function signIn(
	baseURL: string,
	username: string,
	password = DEMO_PASSWORDS[username as DemoRole]
): Promise<Record<string, string>> {
	const origin = new URL(baseURL).origin;
	const r = await fetch(`${origin}/api/session`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin },
		body: JSON.stringify({ username, password })
	});
	if (!r.ok) throw new Error(`sign-in as ${username} failed: ${r.status} ${await r.text()}`);
	const cookie = r.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.find((c) => c.startsWith('onemap_session='));
	if (!cookie) throw new Error('sign-in answered without a session cookie');
	return { cookie, origin };
}

/** An admin issues a device token (role wall or officer); returns the secret. */
export async function issueDeviceToken(
	baseURL: string,
	name: string,
	role: 'wall' | 'officer' = 'wall'
): Promise<string> {
	const admin = await signIn(baseURL, 'admin');
	const r = await fetch(`${new URL(baseURL).origin}/api/admin/devices`, {
		method: 'POST',
		headers: { ...admin, 'content-type': 'application/json' },
		body: JSON.stringify({ name, role })
	});
	if (r.status !== 201)
		throw new Error(`issuing a device token failed: ${r.status} ${await r.text()}`);
	return ((await r.json()) as { token: string }).token;
}

/** `Authorization: Bearer …` headers of a fresh device token. */
export async function bearer(
	baseURL: string,
	name: string,
	role: 'wall' | 'officer' = 'officer'
): Promise<Record<string, string>> {
	return { authorization: `Bearer ${await issueDeviceToken(baseURL, name, role)}` };
}
