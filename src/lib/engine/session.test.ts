import { describe, expect, it } from 'vitest';
import { withoutMapView } from './session.svelte';

describe('withoutMapView', () => {
	it("drops a permalink's map view and keeps the filter", () => {
		expect(withoutMapView('http://onemap.local/?map=117.7,39.0,11&types=dispute')).toBe(
			'http://onemap.local/?types=dispute'
		);
		expect(withoutMapView('http://onemap.local/wall')).toBe('http://onemap.local/wall');
	});
});
