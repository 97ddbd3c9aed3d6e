/**
 * The drill-down hierarchy: city → (区/县, where the city has that level) → 街道/镇 → 社区/村 →
 * 网格. For a scope, its breadcrumbs, its children and the grids whose workers answer for it.
 * Pure: (city, scope) → crumbs. A city without districts (the demo city) goes city → street.
 */
import type { City } from '$lib/map/cityData';
import type { Scope } from '$lib/engine/queries';

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
