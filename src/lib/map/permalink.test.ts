import { describe, expect, it } from 'vitest';
import { fullFilter } from '$lib/engine/filter';
import { parseMapView, permalinkHref, setMapView, withoutMapView } from './permalink';

describe('the map view in the address', () => {
	it('round-trips a view and refuses what is not three numbers', () => {
		const params = new URLSearchParams('types=dispute');
		setMapView(params, { center: [117.123456, 39.0], zoom: 11.5 });
		expect(params.get('map')).toBe('117.12346,39.00000,11.50');
		expect(parseMapView(params)).toEqual({ center: [117.12346, 39], zoom: 11.5 });
		expect(parseMapView(new URLSearchParams('map=1,2'))).toBeNull();
		expect(parseMapView(new URLSearchParams('map=a,2,3'))).toBeNull();
	});

	it("drops a permalink's view for another city and keeps the filter", () => {
		expect(withoutMapView('http://onemap.local/?map=117.7,39.0,11&types=dispute')).toBe(
			'http://onemap.local/?types=dispute'
		);
		expect(withoutMapView('http://onemap.local/wall')).toBe('http://onemap.local/wall');
	});
});

describe('the permalink of a filter and a view', () => {
	const full = fullFilter(Date.UTC(2026, 0, 1) - 8 * 3_600_000, Date.UTC(2026, 2, 1));

	it('writes the view and leaves the whole period out', () => {
		const href = permalinkHref('http://onemap.local/', full, full, {
			center: [117.5, 39],
			zoom: 12
		});
		expect(href).toBe('http://onemap.local/?map=117.50000%2C39.00000%2C12.00');
	});

	it('keeps the view in the address until the map is there', () => {
		const href = 'http://onemap.local/?map=1.00000%2C2.00000%2C3.00';
		expect(permalinkHref(href, full, full, null)).toBe(href);
	});
});
