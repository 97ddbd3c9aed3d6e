/**
 * The Content-Security-Policy for a city whose basemap is an intranet URL (a `raster` tile URL or
 * a `style` URL, CityIdentity.basemap): SvelteKit writes the static policy of svelte.config.js
 * (`kit.csp`) on every page; this handle adds exactly that one origin to `img-src` (raster tiles
 * are images) and `connect-src` (a style, its tiles, glyphs and sprites are fetched) — only while
 * the loaded city names one. Every other directive stays as configured.
 */
import type { Handle } from '@sveltejs/kit';
import type { CityIdentity } from '$lib/domain/cityPack';
import { getApp } from '../app';

/** The intranet origin the basemap loads from, or null (OneMap's own, or the pack's PMTiles). */
export function basemapOrigin(basemap: CityIdentity['basemap']): string | null {
	if (basemap.kind !== 'raster' && basemap.kind !== 'style') return null;
	try {
		// A raster template's {z}/{x}/{y} are in the path; the origin is what the CSP names.
		const origin = new URL(basemap.url.replace(/[{}]/g, '')).origin;
		return origin === 'null' ? null : origin;
	} catch {
		return null;
	}
}

const WIDENED = ['img-src', 'connect-src'];

/** The policy with `origin` added to img-src and connect-src (each created from default-src
 * if the policy lacks it). Anything else unchanged. */
export function allowOrigin(policy: string, origin: string): string {
	const directives = policy
		.split(';')
		.map((d) => d.trim())
		.filter(Boolean);
	const fallback = directives.find((d) => d.split(/\s+/)[0] === 'default-src');
	const out = directives.map((d) => {
		const [name, ...values] = d.split(/\s+/);
		if (!WIDENED.includes(name) || values.includes(origin)) return d;
		return [name, ...values.filter((v) => v !== "'none'"), origin].join(' ');
	});
	for (const name of WIDENED)
		if (!directives.some((d) => d.split(/\s+/)[0] === name)) {
			const values = fallback ? fallback.split(/\s+/).slice(1) : [];
			out.push([name, ...values.filter((v) => v !== "'none'"), origin].join(' '));
		}
	return out.join('; ');
}

export const basemapCsp: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const policy = response.headers.get('content-security-policy');
	if (!policy) return response;
	const app = await getApp();
	const origin = basemapOrigin((await app.cityIdentity.get(app.db)).basemap);
	if (!origin) return response;
	try {
		response.headers.set('content-security-policy', allowOrigin(policy, origin));
		return response;
	} catch {
		// Headers of some answers are immutable.
		const copy = new Response(response.body, response);
		copy.headers.set('content-security-policy', allowOrigin(policy, origin));
		return copy;
	}
};
