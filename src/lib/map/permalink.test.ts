import { describe, expect, it } from 'vitest';
import { parseMapView, setMapView, withoutMapView } from './permalink';

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
