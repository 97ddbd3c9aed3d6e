/**
 * Colours of the domain layers, shared by the deck.gl layers and the legend so the two never
 * disagree. RGBA 0–255, tuned for the dark command-centre basemap.
 */
import type { IncidentType } from '$lib/domain/incidents';
import type { PatrolMode, RiskLevel } from '$lib/domain/city';

export type RGBA = [number, number, number, number];

export const INCIDENT_TYPE_COLORS: Record<IncidentType, RGBA> = {
	dispute: [255, 159, 67, 255],
	public_security: [238, 82, 83, 255],
	work_safety: [255, 221, 89, 255],
	pollution: [126, 214, 223, 255],
	city_appearance: [120, 224, 143, 255],
	livelihood: [84, 160, 255, 255],
	hazmat_alarm: [255, 56, 180, 255],
	fire_hazard: [255, 107, 53, 255],
	traffic: [200, 214, 229, 255]
};

/** Clusters are coloured by size: few (cool) → many (hot). */
export const CLUSTER_COLORS: { min: number; color: RGBA }[] = [
	{ min: 0, color: [46, 204, 213, 230] },
	{ min: 50, color: [72, 219, 251, 235] },
	{ min: 500, color: [254, 202, 87, 240] },
	{ min: 5000, color: [255, 107, 107, 245] }
];

export function clusterColor(count: number): RGBA {
	let color = CLUSTER_COLORS[0].color;
	for (const step of CLUSTER_COLORS) if (count >= step.min) color = step.color;
	return color;
}

export const PATROL_MODE_COLORS: Record<PatrolMode, RGBA> = {
	land: [0, 230, 118, 255],
	sea: [41, 182, 246, 255],
	air: [213, 128, 255, 255]
};

export const RISK_LEVEL_COLORS: Record<RiskLevel, RGBA> = {
	1: [255, 23, 68, 255],
	2: [255, 109, 0, 255],
	3: [255, 214, 0, 255],
	4: [118, 255, 3, 255]
};

export const HAZMAT_LANE_COLOR: RGBA = [255, 145, 0, 220];

/** Sequential ramp for the incident-density choropleth (low → high). */
export const DENSITY_RAMP: RGBA[] = [
	[24, 48, 89, 150],
	[28, 82, 122, 160],
	[24, 120, 140, 170],
	[70, 160, 120, 175],
	[200, 180, 60, 185],
	[230, 120, 40, 195],
	[220, 50, 50, 205]
];

export const BOUNDARY_COLORS = {
	district: [255, 214, 130, 240] as RGBA,
	street: [120, 200, 255, 230] as RGBA,
	community: [90, 150, 210, 170] as RGBA,
	grid: [70, 110, 160, 140] as RGBA
};

export function cssColor([r, g, b, a]: RGBA): string {
	return `rgba(${r}, ${g}, ${b}, ${(a / 255).toFixed(2)})`;
}
