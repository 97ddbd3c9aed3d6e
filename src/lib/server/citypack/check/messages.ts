/**
 * Every message the city pack checker can print, with its stable code and its Chinese and
 * English templates (`{name}` placeholders), listed in docs/city-pack.md. Locations are written
 * the reader's way (read/messages.ts `locate`).
 */
import type { PackMessage, SourceRef } from '$lib/domain/cityPack';
import { locate, type Bi } from '../read/messages';

interface Template {
	severity: PackMessage['severity'];
	zh: string;
	en: string;
}

export const CHECK_MESSAGES = {
	'geometry-empty': {
		severity: 'error',
		zh: '{level} {id}（{name}）没有几何图形（空多边形）。请补上边界，或从文件中删除该要素。',
		en: '{level} {id} ({name}) has no geometry (an empty polygon). Draw its boundary, or remove the feature from the file.'
	},
	'geometry-invalid': {
		severity: 'error',
		zh: '{level} {id}（{name}）的边界无效：{reason}；修复会移动 {area}，超过容差。请在 GIS 软件中修复（如 QGIS“修复几何”）。',
		en: '{level} {id} ({name}) has an invalid boundary: {reason}; repairing it would move {area}, more than the tolerance. Fix it in your GIS (e.g. QGIS "Fix geometries").'
	},
	'geometry-repaired': {
		severity: 'repair',
		zh: '{level} {id}（{name}）的边界无效（{reason}），已修复，移动面积 {area}。',
		en: '{level} {id} ({name}) had an invalid boundary ({reason}); repaired, {area} moved.'
	},
	'vertices-duplicate': {
		severity: 'repair',
		zh: '{level}：删除了 {count} 个重复顶点（{units} 个单元）。',
		en: '{level}: removed {count} duplicate vertices (in {units} units).'
	},
	'coverage-overlap': {
		severity: 'error',
		zh: '{level} {a} 与 {b} 重叠 {area}（最宽约 {width} 米，超过容差 {tolerance} 米）。请修正两者的公共边界。',
		en: '{level} {a} and {b} overlap by {area} (up to about {width} m wide, more than the {tolerance} m tolerance). Fix their shared boundary.'
	},
	'coverage-gap': {
		severity: 'error',
		zh: '{level}之间有缝隙 {area}（最宽约 {width} 米，超过容差 {tolerance} 米），相邻：{units}。请把缝隙划入某个单元。',
		en: 'Gap of {area} between {level} (up to about {width} m wide, more than the {tolerance} m tolerance), next to {units}. Assign the gap to one of them.'
	},
	'coverage-repaired': {
		severity: 'repair',
		zh: '{level} {id}（{name}）：容差内的重叠/缝隙/细条已修复，移动面积 {area}。',
		en: '{level} {id} ({name}): overlaps, gaps and slivers within the tolerance repaired, {area} moved.'
	},
	'parent-unknown': {
		severity: 'error',
		zh: '{level} {id}（{name}）的上级编号 {parent} 不存在于{parentLevel}中。',
		en: '{level} {id} ({name}) names parent {parent}, which is not among the {parentLevel}.'
	},
	'child-outside-parent': {
		severity: 'error',
		zh: '{level} {id}（{name}）有 {area} 在上级 {parent} 之外（最宽约 {width} 米，超过容差）。',
		en: '{level} {id} ({name}) has {area} outside its parent {parent} (up to about {width} m wide, more than the tolerance).'
	},
	'parent-not-covered': {
		severity: 'error',
		zh: '{parentLevel} {parent}（{name}）有 {area} 未被任何下级单元覆盖（最宽约 {width} 米，超过容差）。请把该区域划入某个{level}。',
		en: '{parentLevel} {parent} ({name}) has {area} that none of its {level} covers (up to about {width} m wide, more than the tolerance). Assign it to one of them.'
	},
	'snapped-to-parent': {
		severity: 'repair',
		zh: '{level} {id}（{name}）已贴合上级 {parent} 的边界，移动面积 {area}。',
		en: '{level} {id} ({name}) snapped to the outline of its parent {parent}, {area} moved.'
	},
	'parent-without-children': {
		severity: 'error',
		zh: '{parentLevel} {parent}（{name}）下没有任何{level}。每个{parentLevel}至少需要一个{level}（可在 city.json 中对该层使用 copyParent）。',
		en: '{parentLevel} {parent} ({name}) has no {level}. Every one needs at least one (or use copyParent for that level in city.json).'
	},
	'id-duplicate': {
		severity: 'error',
		zh: '{level}编号 {id} 出现了 {count} 次；编号在同一层中必须唯一。',
		en: '{level} id {id} occurs {count} times; ids must be unique within a level.'
	},
	'grid-multipart': {
		severity: 'error',
		zh: '网格 {id}（{name}）由 {parts} 块组成；一个网格必须是一块（一名网格员负责一片）。请拆分为多个网格。',
		en: 'Grid {id} ({name}) is {parts} separate pieces; a grid must be one piece (one worker walks one area). Split it into several grids.'
	},
	'grid-part-dropped': {
		severity: 'repair',
		zh: '网格 {id}（{name}）中容差以内的碎片已删除（{area}）。',
		en: 'Grid {id} ({name}): pieces within the tolerance removed ({area}).'
	},
	'grid-split': {
		severity: 'note',
		zh: '{id}（{name}）由 {parts} 块组成，复制为 {parts} 个网格（{ids}）。',
		en: '{id} ({name}) is {parts} pieces, copied as {parts} grids ({ids}).'
	},
	'site-outside': {
		severity: 'error',
		zh: '危化企业 {id}（{name}）的位置不在任何网格内。请检查经纬度和坐标系。',
		en: 'Hazmat site {id} ({name}) lies outside every grid. Check its longitude/latitude and coordinate system.'
	},
	'line-invalid': {
		severity: 'error',
		zh: '{what} {id}（{name}）的线无效（少于两个不同的点）。',
		en: '{what} {id} ({name}) is not a valid line (fewer than two distinct points).'
	},
	'route-unknown': {
		severity: 'error',
		zh: '巡逻单元 {id}（{name}）的巡逻路线 {route} 不存在。',
		en: 'Patrol unit {id} ({name}) names route {route}, which the pack does not have.'
	},
	'more-problems': {
		severity: 'error',
		zh: '另有 {count} 个同类问题未列出。',
		en: '{count} more problems of this kind are not listed.'
	}
} as const satisfies Record<string, Template>;

export type CheckCode = keyof typeof CHECK_MESSAGES;

export function formatArea(m2: number): string {
	if (m2 >= 1e6) return `${(m2 / 1e6).toFixed(2)} km²`;
	return `${m2 < 10 ? m2.toFixed(1) : Math.round(m2)} m²`;
}

type Params = Record<string, string | number | Bi>;

export function checkMessage(
	code: CheckCode,
	params: Params,
	where: Partial<Pick<PackMessage, 'unit' | 'at' | 'areaM2'>> & { source?: SourceRef } = {}
): PackMessage {
	const t: Template = CHECK_MESSAGES[code];
	const fill = (s: string, lang: 'zh' | 'en') =>
		s.replace(/\{(\w+)\}/g, (whole, key: string) => {
			const v = params[key];
			return v === undefined ? whole : typeof v === 'object' ? v[lang] : String(v);
		});
	let zh = fill(t.zh, 'zh');
	let en = fill(t.en, 'en');
	if (where.source) {
		const loc = locate(where.source);
		zh = `${loc.zh}：${zh}`;
		en = `${loc.en}: ${en}`;
	}
	return { code, severity: t.severity, zh, en, ...where };
}
