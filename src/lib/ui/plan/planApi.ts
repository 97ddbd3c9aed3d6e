/**
 * The `/plan` page's client for the grid-plan API (`/api/plans/{cid}/…`, see docs/architecture.md).
 * Every call answers a typed result: the body on success, or the error body with its status so
 * the page can show a 409 conflict or a 422 problem list instead of a bare failure.
 */
import type { Polygon } from 'geojson';
import type { GridCollection } from '$lib/domain/city';
import type { IncidentColumns } from '$lib/plan';

export interface PlanCommunity {
	id: string;
	name: string;
	streetId: string;
	streetName: string;
	outline: Polygon;
}

export interface PublishedPlan {
	version: number;
	publishedAt: string | null;
	publishedBy: string | null;
	effectiveDate: string | null;
	grids: GridCollection;
}

export interface ServerDraft {
	version: number;
	basePlanVersion: number;
	grids: GridCollection;
	updatedBy: string;
	updatedAt: string;
	note: string;
}

export interface PlanState {
	community: PlanCommunity;
	published: PublishedPlan;
	draft: ServerDraft | null;
}

/** One located problem (422 of save, publish or import). */
export interface PlanProblem {
	feature: string | number | null;
	reason: string;
	location: [number, number] | null;
	message: string;
}

export interface ApiErrorBody {
	message: string;
	field?: string;
	errors?: PlanProblem[];
}

export interface ConflictBody extends ApiErrorBody {
	current: ServerDraft | null;
	changedBy: string | null;
	changedAt: string | null;
	changedGridIds: string[];
}

export interface PlanVersion {
	version: number;
	publishedAt: string | null;
	publishedBy: string | null;
	effectiveDate: string | null;
	note: string | null;
	added: string[];
	removed: string[];
	reshaped: string[];
}

export interface PublishAnswer {
	plan: PlanVersion;
	reassigned: { open: number; closed: number };
}

export interface PlanDiff {
	added: string[];
	removed: string[];
	reshaped: string[];
	unchanged: string[];
}

export interface PlanIncidents extends IncidentColumns {
	from: number;
	to: number;
}

export type Answer<T> =
	{ ok: true; status: number; body: T } | { ok: false; status: number; body: ApiErrorBody };

export type Crs = 'wgs84' | 'gcj02' | 'bd09';
export const CRS_LIST: readonly Crs[] = ['wgs84', 'gcj02', 'bd09'];

const base = (cid: string) => `/api/plans/${encodeURIComponent(cid)}`;

async function call<T>(url: string, init?: RequestInit): Promise<Answer<T>> {
	let response: Response;
	try {
		response = await fetch(url, init);
	} catch (e) {
		return { ok: false, status: 0, body: { message: (e as Error).message } };
	}
	if (response.status === 204) return { ok: true, status: 204, body: undefined as T };
	let body: unknown = null;
	try {
		body = await response.json();
	} catch {
		body = { message: `${response.status} ${response.statusText}` };
	}
	return response.ok
		? { ok: true, status: response.status, body: body as T }
		: { ok: false, status: response.status, body: body as ApiErrorBody };
}

const json = (method: string, body: unknown): RequestInit => ({
	method,
	headers: { 'content-type': 'application/json' },
	body: JSON.stringify(body)
});

export const planApi = {
	get: (cid: string) => call<PlanState>(base(cid)),
	saveDraft: (cid: string, version: number | null, grids: GridCollection, note = '') =>
		call<{ draft: ServerDraft }>(`${base(cid)}/draft`, json('PUT', { version, grids, note })),
	discardDraft: (cid: string, version: number) =>
		call<void>(`${base(cid)}/draft?version=${version}`, { method: 'DELETE' }),
	publish: (cid: string, version: number, effectiveDate: string, note: string) =>
		call<PublishAnswer>(`${base(cid)}/publish`, json('POST', { version, effectiveDate, note })),
	history: (cid: string) => call<{ versions: PlanVersion[] }>(`${base(cid)}/history`),
	version: (cid: string, v: number) => call<GridCollection>(`${base(cid)}/versions/${v}`),
	diff: (cid: string, from: number, to: number | 'draft') =>
		call<PlanDiff>(`${base(cid)}/diff?from=${from}&to=${to}`),
	incidents: (cid: string, days: number) =>
		call<PlanIncidents>(`${base(cid)}/incidents?days=${days}`),
	importFile: (cid: string, file: File, crs: Crs, draftVersion: number | null) =>
		call<{ draft: ServerDraft }>(
			`${base(cid)}/import?crs=${crs}&version=${draftVersion ?? 'none'}`,
			{
				method: 'POST',
				headers: { 'content-type': importContentType(file.name) },
				body: file
			}
		),
	exportUrl: (
		cid: string,
		format: 'geojson' | 'shapefile',
		crs: Crs,
		source: 'draft' | 'published' | number
	) => `${base(cid)}/export?format=${format}&crs=${crs}&source=${source}`
};

/** The Content-Type the import endpoint expects for a file name. */
export function importContentType(name: string): string {
	const lower = name.toLowerCase();
	if (lower.endsWith('.zip')) return 'application/zip';
	if (lower.endsWith('.geojson')) return 'application/geo+json';
	return 'application/json';
}
