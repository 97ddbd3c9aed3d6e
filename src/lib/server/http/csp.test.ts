import { describe, expect, it } from 'vitest';
import { allowOrigin, basemapOrigin } from './csp';

const POLICY =
	"default-src 'self'; script-src 'self' 'nonce-abc'; connect-src 'self'; img-src 'self' data: blob:; frame-ancestors 'none'";

describe('basemapOrigin', () => {
	it('names the origin of an intranet raster or style URL, nothing for the others', () => {
		expect(
			basemapOrigin({
				kind: 'raster',
				url: 'http://tdt.intranet:8080/vec_w/{z}/{x}/{y}.png?tk=1',
				tileSize: 256,
				maxZoom: 18
			})
		).toBe('http://tdt.intranet:8080');
		expect(
			basemapOrigin({ kind: 'raster', url: 'http://{s}.bad/{z}', tileSize: 256, maxZoom: 1 })
		).toBe('http://s.bad');
		expect(basemapOrigin({ kind: 'style', url: 'https://maps.intranet/style.json' })).toBe(
			'https://maps.intranet'
		);
		expect(basemapOrigin({ kind: 'onemap' })).toBeNull();
		expect(
			basemapOrigin({ kind: 'pmtiles', url: '/data/basemap/city.pmtiles', flavor: 'protomaps' })
		).toBeNull();
	});
});

describe('allowOrigin', () => {
	it('adds exactly that origin to img-src and connect-src, nothing else changes', () => {
		expect(allowOrigin(POLICY, 'http://tdt.intranet')).toBe(
			"default-src 'self'; script-src 'self' 'nonce-abc'; connect-src 'self' http://tdt.intranet; img-src 'self' data: blob: http://tdt.intranet; frame-ancestors 'none'"
		);
	});
	it('is idempotent, and creates a missing directive from default-src', () => {
		const once = allowOrigin(POLICY, 'http://a');
		expect(allowOrigin(once, 'http://a')).toBe(once);
		expect(allowOrigin("default-src 'self'", 'http://a')).toBe(
			"default-src 'self'; img-src 'self' http://a; connect-src 'self' http://a"
		);
		expect(allowOrigin("img-src 'none'", 'http://a')).toBe(
			'img-src http://a; connect-src http://a'
		);
	});
});
