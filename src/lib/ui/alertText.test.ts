import { describe, expect, it } from 'vitest';
import type { Alert } from '$lib/domain/live';
import { LOCALES, format, type MessageKey } from '$lib/i18n/messages';
import { alertPlace } from './alertText';

const zh = (key: MessageKey, params?: Record<string, string | number>) =>
	format(LOCALES['zh-CN'], key, params);
const base: Alert = {
	id: 1,
	kind: 'hazmat_radius',
	ts: 0,
	lon: 117,
	lat: 39,
	incidentId: 5,
	siteId: 'HZ001',
	vehicleId: null,
	laneId: null,
	distanceM: 1234.4,
	message: '',
	ackedAt: null,
	ackedBy: null
};

describe('alertPlace', () => {
	it('names the hazmat site and the distance, or the vehicle and how far off its lane', () => {
		const names = (id: string) => (id === 'HZ001' ? '渤化石化' : null);
		expect(alertPlace(base, zh, names, 'zh-CN')).toBe('渤化石化，距1,234米');
		expect(
			alertPlace(
				{ ...base, kind: 'vehicle_off_lane', siteId: null, vehicleId: 'TJ-H-07', distanceM: 88 },
				zh,
				names,
				'zh-CN'
			)
		).toBe('车辆TJ-H-07，偏离通道88米');
	});
});
