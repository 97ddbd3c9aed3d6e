import { describe, expect, it } from 'vitest';
import * as city from '$lib/layers/fixtures';
import { hazmatNear, riskSite } from './nearby';

describe('nearby', () => {
	it('finds hazmat sites within a kilometre, nearest first', () => {
		const near = hazmatNear(city.hazmatSites, [117.05, 39.025]);
		expect(near.map((s) => s.site.properties.id)).toEqual(['HZ001']);
		expect(near[0].distanceM).toBeGreaterThan(500);
		expect(
			hazmatNear(city.hazmatSites, [117.09, 39.04], 10_000).map((s) => s.site.properties.id)
		).toEqual(['HZ001', 'HZ002']);
	});

	it('names the site that flagged a case, however far beyond 1 km it is', () => {
		const at: [number, number] = [117.09, 39.04];
		expect(hazmatNear(city.hazmatSites, at).map((s) => s.site.properties.id)).not.toContain(
			'HZ001'
		);
		const site = riskSite(city.hazmatSites, 'HZ001', at)!;
		const hz = city.hazmatSites.features.find((f) => f.properties.id === 'HZ001')!;
		expect(site.name).toBe(hz.properties.name);
		expect(site.distanceM).toBeGreaterThan(1000);
		expect(site.riskRadiusM).toBe(hz.properties.riskRadiusM);
		expect(riskSite(city.hazmatSites, 'nope', at)).toBeNull();
	});
});
