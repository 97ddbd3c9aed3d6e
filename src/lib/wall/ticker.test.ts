import { describe, expect, it } from 'vitest';
import type { Alert, IncidentRecord } from '$lib/domain/live';
import { format, zhCN, type MessageKey } from '$lib/i18n/messages';
import * as city from '$lib/layers/fixtures';
import { TICKER_KEPT, alertItem, incidentItem, placeOf, prepend, tourInput } from './ticker';

const t = (key: MessageKey, params?: Record<string, string | number>) => format(zhCN, key, params);
const record = (id: number, priority = 3): IncidentRecord =>
	({
		id,
		lon: 117.05,
		lat: 39.02,
		ts: 1000 * id,
		type: 'dispute',
		priority,
		gridId: '12011600100101',
		communityId: '120116001001',
		streetId: '120116001'
	}) as IncidentRecord;
const alert = (id: number, kind: Alert['kind'] = 'hazmat_radius') =>
	({ id, kind, ts: 5, lon: 117.1, lat: 39.1 }) as Alert;

describe('the wall ticker', () => {
	it('says where, never who', () => {
		expect(placeOf(city, '120116001', '120116001002')).toBe('塘沽街道 · 东沽村');
		expect(placeOf(city, '120116001', 'nowhere')).toBe('塘沽街道');
		expect(placeOf(null, '120116001', '120116001002')).toBe('');
		expect(incidentItem(record(7, 1), t, city)).toEqual({
			key: 'i7',
			at: 7000,
			kind: 'incident',
			type: 0,
			text: '矛盾纠纷 · 塘沽街道 · 新港一社区',
			urgent: true
		});
		expect(alertItem(alert(3, 'vehicle_off_lane'), t)).toMatchObject({
			key: 'a3',
			kind: 'alert',
			text: '危化品车辆偏离专用道',
			urgent: true
		});
	});

	it('puts a batch on top, newest first, and keeps 30', () => {
		let ticker = prepend(
			[],
			[1, 2].map((i) => incidentItem(record(i), t, city))
		);
		expect(ticker.map((i) => i.key)).toEqual(['i2', 'i1']);
		for (let i = 3; i < 40; i++) ticker = prepend(ticker, [incidentItem(record(i), t, city)]);
		expect(ticker).toHaveLength(TICKER_KEPT);
		expect(ticker[0].key).toBe('i39');
	});

	it('tours the district, the hotspots at their grids and the alerting sites', () => {
		const manifest = { bbox: [117, 39, 117.2, 39.1] as [number, number, number, number] };
		const hotspot = { grid: 2, recent: 9, expected: 1, score: 4 };
		const input = tourInput({ ...city, manifest }, [hotspot], [alert(1)], t);
		expect(input.overview).toEqual(manifest.bbox);
		expect(input.overviewLabel).toBe('全区总览');
		expect(input.hotspots).toHaveLength(1);
		expect(input.hotspots[0].label).toBe('新兴热点 · 塘沽街道 · 东沽村');
		expect(input.hotspots[0].center[0]).toBeCloseTo(117.15);
		expect(input.hotspots[0].center[1]).toBeCloseTo(39.05);
		expect(input.alerts).toEqual([{ label: '危化品场所风险半径内事件', center: [117.1, 39.1] }]);
		expect(tourInput({ ...city, manifest }, null, [], t).hotspots).toEqual([]);
	});
});
