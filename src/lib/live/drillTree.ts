/**
 * The drill-down hierarchy: city → (区/县, where the city has that level) → 街道/镇 → 社区/村 →
 * 网格. For a scope, its breadcrumbs, its children and the grids whose workers answer for it.
 * Pure: (city, scope) → crumbs. A city without districts (the demo city) goes city → street.
 */
import type { AreaLevel, UnitLevel } from '$lib/domain/city';
import type { Scope } from '$lib/engine/queries';
import { bboxOf } from '$lib/geo/bbox';
import { unitsOf } from '$lib/layers/grids';
import type { City } from '$lib/map/cityData';

export interface Crumb {
	label: string;
	scope: Scope;
}

type Units = Pick<City, 'districts' | 'streets' | 'communities' | 'grids'>;

export interface DrillTree {
	title: string;
	crumbs: Crumb[];
	children: Crumb[];
	/** Grid indexes whose workers answer for the scope; null: ask the incidents (an area, a case). */
	grids: number[] | null;
}

export const hasDistricts = (city: Pick<City, 'districts'>) =>
	(city.districts?.features.length ?? 0) > 0;

/** District index of every street (-1 where a street names none, or the city has none). */
export function districtOfStreet(city: Pick<City, 'districts' | 'streets'>): Int32Array {
	const index = new Map((city.districts?.features ?? []).map((f, i) => [f.properties.id, i]));
	return Int32Array.from(city.streets.features, (f) =>
		f.properties.districtId ? (index.get(f.properties.districtId) ?? -1) : -1
	);
}

/** Street indexes of a district. */
export function streetsOfDistrict(city: Pick<City, 'districts' | 'streets'>, district: number) {
	const of = districtOfStreet(city);
	const streets: number[] = [];
	of.forEach((d, i) => {
		if (d === district) streets.push(i);
	});
	return streets;
}

/** The scope of a district: its streets' incidents. */
export function districtScope(city: Pick<City, 'districts' | 'streets'>, district: number): Scope {
	return { kind: 'streets', district, streets: streetsOfDistrict(city, district) };
}

/** Incidents per district: the sum over its streets of per-street counts. */
export function districtCounts(
	city: Pick<City, 'districts' | 'streets'>,
	streetCounts: ArrayLike<number>
): Uint32Array {
	const counts = new Uint32Array(city.districts?.features.length ?? 0);
	districtOfStreet(city).forEach((d, i) => {
		if (d >= 0) counts[d] += streetCounts[i] ?? 0;
	});
	return counts;
}

export function drillTree(
	city: Units,
	scope: Scope,
	labels: { city: string; area: string; incident: (id: number) => string }
): DrillTree {
	const top: Crumb = { label: labels.city, scope: { kind: 'district' } };
	const crumbs: Crumb[] = [top];
	const name = (f: { properties: { name: string } } | undefined) => f?.properties.name ?? '';
	const streetCrumb = (i: number): Crumb => ({
		label: name(city.streets.features[i]),
		scope: { kind: 'unit', level: 'street', index: i }
	});
	const communityCrumb = (i: number): Crumb => ({
		label: name(city.communities.features[i]),
		scope: { kind: 'unit', level: 'community', index: i }
	});
	const gridCrumb = (i: number): Crumb => ({
		label: name(city.grids.features[i]),
		scope: { kind: 'unit', level: 'grid', index: i }
	});
	const ofStreet = districtOfStreet(city);
	const districtCrumb = (d: number): Crumb => ({
		label: name(city.districts.features[d]),
		scope: districtScope(city, d)
	});
	/** The district above a street, as a crumb, where the city has one. */
	const aboveStreet = (si: number) => {
		const d = si >= 0 ? ofStreet[si] : -1;
		if (d >= 0) crumbs.push(districtCrumb(d));
	};
	const streetIndex = (id: string | undefined) =>
		city.streets.features.findIndex((f) => f.properties.id === id);
	const communityIndex = (id: string | undefined) =>
		city.communities.features.findIndex((f) => f.properties.id === id);
	const indexes = <T>(list: T[], keep: (f: T) => boolean) =>
		list.flatMap((f, i) => (keep(f) ? [i] : []));

	switch (scope.kind) {
		case 'district': {
			const children = hasDistricts(city)
				? city.districts.features.map((_, d) => districtCrumb(d))
				: city.streets.features.map((_, i) => streetCrumb(i));
			return { title: labels.city, crumbs, children, grids: [] };
		}
		case 'streets': {
			const crumb = districtCrumb(scope.district);
			crumbs.push(crumb);
			return {
				title: crumb.label,
				crumbs,
				children: scope.streets.map(streetCrumb),
				grids: []
			};
		}
		case 'unit': {
			const { level, index } = scope;
			if (level === 'street') {
				aboveStreet(index);
				const crumb = streetCrumb(index);
				crumbs.push(crumb);
				const id = city.streets.features[index]?.properties.id;
				const children = indexes(city.communities.features, (f) => f.properties.streetId === id);
				return { title: crumb.label, crumbs, children: children.map(communityCrumb), grids: [] };
			}
			if (level === 'community') {
				const p = city.communities.features[index]?.properties;
				const si = streetIndex(p?.streetId);
				aboveStreet(si);
				if (si >= 0) crumbs.push(streetCrumb(si));
				const crumb = communityCrumb(index);
				crumbs.push(crumb);
				const grids = indexes(city.grids.features, (f) => f.properties.communityId === p?.id);
				return { title: crumb.label, crumbs, children: grids.map(gridCrumb), grids };
			}
			const p = city.grids.features[index]?.properties;
			const si = streetIndex(p?.streetId);
			const ci = communityIndex(p?.communityId);
			aboveStreet(si);
			if (si >= 0) crumbs.push(streetCrumb(si));
			if (ci >= 0) crumbs.push(communityCrumb(ci));
			const crumb = gridCrumb(index);
			crumbs.push(crumb);
			return { title: crumb.label, crumbs, children: [], grids: p ? [index] : [] };
		}
		default: {
			const title = scope.kind === 'area' ? labels.area : labels.incident(scope.id);
			crumbs.push({ label: title, scope });
			return { title, crumbs, children: [], grids: null };
		}
	}
}

/** The zoom a unit of each level is shown at when drilled into. */
export const LEVEL_ZOOM: Record<UnitLevel, number> = { street: 12, community: 13.5, grid: 14.5 };

/** A unit's name; a grid's with its community's in front (grid names repeat across communities). */
export function unitName(city: Units, level: AreaLevel, index: number): string {
	if (level !== 'grid') return unitsOf(city, level).features[index]?.properties.name ?? '';
	const grid = city.grids.features[index]?.properties;
	const community = city.communities.features.find((c) => c.properties.id === grid?.communityId);
	return grid ? `${community?.properties.name ?? ''} ${grid.name}` : '';
}

/** The middle of a unit's bounding box (where the map flies to), or null without that unit. */
export function unitCenter(city: Units, level: UnitLevel, index: number): [number, number] | null {
	const unit = unitsOf(city, level).features[index];
	if (!unit) return null;
	const [w, s, e, n] = bboxOf(unit.geometry);
	return [(w + e) / 2, (s + n) / 2];
}

/** Where a scope is: the place the nearest units and hazmat sites are asked about. */
export function scopeCenter(
	city: Units & { manifest: { center: [number, number] } },
	scope: Scope
): [number, number] | null {
	switch (scope.kind) {
		case 'unit':
			return unitCenter(city, scope.level, scope.index);
		case 'streets': {
			const p = city.districts.features[scope.district]?.properties;
			return p ? [p.labelLon, p.labelLat] : null;
		}
		case 'area':
			return [(scope.bbox[0] + scope.bbox[2]) / 2, (scope.bbox[1] + scope.bbox[3]) / 2];
		default:
			return city.manifest.center;
	}
}

/** A grid worker who answers for (part of) a scope. */
export interface Responsible {
	where: string;
	workerName: string;
	workerPhone: string;
}

/** What the drill panel shows for a scope, with the responsible grid workers. */
export interface DrillView {
	title: string;
	crumbs: Crumb[];
	children: Crumb[];
	responsible: Responsible[];
}

/**
 * The drill panel's view of a scope: its place in the hierarchy and its grid workers — the
 * scope's own grids, or for an area or a case the grids with the most incidents (`topGrids`,
 * asked of the engine; empty until answered).
 */
export function drillView(
	city: Units,
	scope: Scope,
	labels: Parameters<typeof drillTree>[2],
	topGrids: ArrayLike<number> | null
): DrillView {
	const tree = drillTree(city, scope, labels);
	const grids = tree.grids ?? (topGrids ? Array.from(topGrids) : []);
	const responsible = grids.flatMap((g): Responsible[] => {
		const p = city.grids.features[g]?.properties;
		return p
			? [{ where: unitName(city, 'grid', g), workerName: p.workerName, workerPhone: p.workerPhone }]
			: [];
	});
	return { title: tree.title, crumbs: tree.crumbs, children: tree.children, responsible };
}
