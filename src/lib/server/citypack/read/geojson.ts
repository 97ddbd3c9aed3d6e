/**
 * GeoJSON (.geojson/.json): a FeatureCollection or one Feature. A `.json` holding an array of
 * plain objects is a table instead (the demo city writes its patrol units that way). The old
 * GeoJSON `crs` member ("urn:ogc:def:crs:EPSG::4527") counts as the file's declared CRS.
 */
import type { Feature } from 'geojson';
import { ReadError, message } from './messages';
import type { RawLayer, ReadOptions } from './layer';
import { decodeText } from './text';

export function readJson(bytes: Uint8Array, opts: ReadOptions): RawLayer {
	const { text, notes } = decodeText(bytes, opts.file, opts.encoding);
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (err) {
		throw new ReadError([
			message(
				'file-unreadable',
				{
					reason: {
						zh: `不是有效的 JSON（${(err as Error).message}）`,
						en: `not valid JSON (${(err as Error).message})`
					}
				},
				{ source: { file: opts.file } }
			)
		]);
	}
	if (Array.isArray(value)) {
		const bad = value.findIndex((r) => typeof r !== 'object' || r === null || Array.isArray(r));
		if (bad >= 0)
			throw new ReadError([
				message(
					'file-unreadable',
					{
						reason: {
							zh: '数组中的每一项都须是对象（一行一个）',
							en: 'every item of the array must be an object (one per row)'
						}
					},
					{ source: { file: opts.file, index: bad }, rows: true }
				)
			]);
		return {
			table: true,
			features: value.map((r) => ({ geometry: null, properties: r as Record<string, unknown> })),
			notes
		};
	}
	const v = value as {
		type?: unknown;
		features?: unknown;
		crs?: { properties?: { name?: unknown } };
	};
	let features: Feature[];
	if (v?.type === 'Feature') features = [v as unknown as Feature];
	else if (v?.type === 'FeatureCollection' && Array.isArray(v.features))
		features = v.features as Feature[];
	else
		throw new ReadError([
			message(
				'file-unreadable',
				{
					reason: {
						zh: `须是 GeoJSON FeatureCollection 或 Feature（实际：${JSON.stringify(v?.type ?? typeof value)}）`,
						en: `must be a GeoJSON FeatureCollection or Feature (got ${JSON.stringify(v?.type ?? typeof value)})`
					}
				},
				{ source: { file: opts.file } }
			)
		]);
	const crsName = v.crs?.properties?.name;
	return {
		table: false,
		features: features.map((f) => ({
			geometry: f && typeof f === 'object' ? (f.geometry ?? null) : null,
			properties: (f && typeof f === 'object' && f.properties) || {}
		})),
		declared: typeof crsName === 'string' ? { text: crsName, from: 'GeoJSON crs' } : undefined,
		notes
	};
}
