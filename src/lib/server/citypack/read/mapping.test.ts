/** Field mapping and value parsing in detail: boundary fields, lenient numbers and lists, risk
 * levels, copyParent ids, hazmat sites from a point layer; absolute zip paths; the per-file cap. */
import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { readPack } from './index';
import { copyParentId, lenientNumber, list, riskLevelOf } from './map';
import { basicTree, fc, manifest, square, zipOf, type PackTree } from './testing';

const read = async (tree: PackTree) => readPack({ zip: await zipOf(tree), name: 'test.zip' });

describe('boundaries', () => {
	it('maps boundary fields: ids, names, parents, lenient numbers, workers, sources', async () => {
		const r = await read(basicTree());
		const p = r.pack!;
		expect(p.units.district).toEqual([]);
		expect(p.units.grid[0]).toMatchObject({
			level: 'grid',
			id: 'G1',
			name: '第01网格',
			parentId: '120116001001',
			population: 1234,
			households: 0,
			workerName: '张三',
			workerPhone: '13800000000',
			source: { file: 'grids.geojson', index: 0 }
		});
		expect(p.units.grid[1]).toMatchObject({ population: 56, workerName: '', workerPhone: '' });
		expect(p.units.community[0].parentId).toBe('120116001');
		expect(p.manifest.toleranceM).toBe(1);
		expect(p.notes).toBe(r.notes);
	});

	it('an absolute path in the zip refuses the pack (zip-unsafe)', async () => {
		const zip = new JSZip();
		for (const [k, v] of Object.entries(basicTree())) zip.file(k, JSON.stringify(v));
		zip.file('/etc/evil.txt', 'x');
		const r = await readPack({ zip: await zip.generateAsync({ type: 'uint8array' }) });
		expect(r.errors.map((e) => e.code)).toEqual(['zip-unsafe']);
		expect(r.errors[0].en).toContain('/etc/');
	});

	it('lists at most 50 problems of one kind per file and counts the rest', async () => {
		const tree = basicTree();
		tree['grids.geojson'] = fc(
			Array.from({ length: 60 }, (_, i) => ({
				geometry: square(117.2 + i * 0.01, 39.1),
				properties: { id: `G${i}`, name: '', cid: 'c', pop: 1, wn: '', wp: '' }
			}))
		);
		const r = await read(tree);
		expect(r.errors).toHaveLength(51);
		expect(r.errors[50].en).toMatch(/10 more problems/);
	});
});

describe('value parsing', () => {
	it('reads numbers, lists and risk levels leniently', () => {
		expect(copyParentId('street', '120101', 'district')).toBe('120101001');
		expect(copyParentId('grid', '120101001001', 'community')).toBe('12010100100101');
		expect(copyParentId('street', 'D1', 'district')).toBe('D1001');
		expect(lenientNumber('1,234')).toBe(1234);
		expect(lenientNumber(' １２３ ')).toBe(123);
		expect(lenientNumber('12.5')).toBe(12.5);
		expect(lenientNumber('12a')).toBeNaN();
		expect(list('苯、甲苯，二甲苯;氯|氨', '、,;，；|')).toEqual([
			'苯',
			'甲苯',
			'二甲苯',
			'氯',
			'氨'
		]);
		expect(list('["a","b"]', ',')).toEqual(['a', 'b']);
		expect(list('a/b', '/')).toEqual(['a', 'b']);
		expect([
			riskLevelOf('一级'),
			riskLevelOf('3级'),
			riskLevelOf(2),
			riskLevelOf('IV'),
			riskLevelOf('五级')
		]).toEqual([1, 3, 2, 4, null]);
	});

	it('hazmat sites from a point layer, with a custom delimiter', async () => {
		const tree = basicTree();
		tree['city.json'] = manifest({
			registers: {
				hazmatSites: {
					file: 'sites.geojson',
					substancesDelimiter: '/',
					fields: { id: 'id', name: 'name', substances: 's', riskLevel: 'r', riskRadiusM: 'rad' }
				}
			}
		});
		tree['sites.geojson'] = fc([
			{
				geometry: { type: 'Point', coordinates: [117.2, 39.1] },
				properties: { id: 'H1', name: 'a', s: '苯/氯', r: '2', rad: 1000 }
			},
			{
				geometry: { type: 'Point', coordinates: [117.2, 39.1] },
				properties: { id: 'H2', name: 'b', s: ['氨'], r: '五级' }
			}
		]);
		const r = await read(tree);
		expect(r.errors.map((e) => [e.code, e.source?.field])).toEqual([['field-invalid', 'r']]);
		tree['sites.geojson'] = fc([
			{
				geometry: { type: 'Point', coordinates: [117.2, 39.1] },
				properties: { id: 'H1', name: 'a', s: '苯/氯', r: '2', rad: 1000 }
			}
		]);
		const ok = await read(tree);
		expect(ok.pack!.hazmatSites[0]).toMatchObject({
			substances: ['苯', '氯'],
			riskLevel: 2,
			riskRadiusM: 1000,
			hazardClass: 9
		});
		expect(ok.notes.find((n) => n.code === 'defaults-used')!.en).toMatch(/hazard class/);
	});
});
