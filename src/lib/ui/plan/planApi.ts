/**
 * The `/plan` page's client for the grid-plan API (`/api/plans/{cid}/…`, see docs/architecture.md)
 * and the city files it picks a community from. Every plan call answers a typed result: the body
 * on success, or the error body with its status so the page can show a 409 conflict or a 422
 * problem list instead of a bare failure. `createPlanApi(fetch)` takes the fetch to use (tests
 * pass a fake); `planApi` is the browser's.
 */
import {
	CITY_FILES,
	type CommunityCollection,
	type GridCollection,
	type Manifest,
	type StreetCollection
} from '$lib/domain/city';
import { dataUrl } from '$lib/map/cityData';
import type {
	DraftConflict,
	PlanCrs,
	PlanDiff,
	PlanDraft,
	PlanIncidents,
	PlanProblem,
	PlanSchedule,
	PlanState,
	PlanImportResult,
	PlanVersionInfo,
	PublishResult,
	ScheduleResult
} from '$lib/domain/plans';

/** An error answer: `{ message, field, errors? }`, or a 409's conflict fields. */
export interface ApiErrorBody extends Partial<Omit<DraftConflict, 'message' | 'field'>> {
	message: string;
	field?: string;
	errors?: PlanProblem[];
	/** A 409 for a scheduled (frozen) draft. */
	scheduled?: PlanSchedule;
}

export type Answer<T> =
	{ ok: true; status: number; body: T } | { ok: false; status: number; body: ApiErrorBody };

/** The city files the planner picks a community from (and labels its basemap with). */
export interface CityHierarchy {
	streets: StreetCollection;
	communities: CommunityCollection;
	manifest: Manifest;
}

export type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

const base = (cid: string) => `/api/plans/${encodeURIComponent(cid)}`;

async function call<T>(fetch: Fetch, url: string, init?: RequestInit): Promise<Answer<T>> {
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

/** The plan API over a fetch (the browser's by default). */
export function createPlanApi(fetch: Fetch = (url, init) => globalThis.fetch(url, init)) {
	const get = async <T>(file: string): Promise<T> => {
		const r = await fetch(dataUrl(file));
		if (!r.ok) throw new Error(`${file}: ${r.status}`);
		return (await r.json()) as T;
	};
	return {
		/** The street and community files and the manifest; throws `file: status` on a failure. */
		hierarchy: async (): Promise<CityHierarchy> => {
			const [streets, communities, manifest] = await Promise.all([
				get<StreetCollection>(CITY_FILES.streets),
				get<CommunityCollection>(CITY_FILES.communities),
				get<Manifest>(CITY_FILES.manifest)
			]);
			return { streets, communities, manifest };
		},
		get: (cid: string) => call<PlanState>(fetch, base(cid)),
		saveDraft: (cid: string, version: number | null, grids: GridCollection, note = '') =>
			call<{ draft: PlanDraft }>(
				fetch,
				`${base(cid)}/draft`,
				json('PUT', { version, grids, note })
			),
		discardDraft: (cid: string, version: number) =>
			call<void>(fetch, `${base(cid)}/draft?version=${version}`, { method: 'DELETE' }),
		/** 200 PublishResult, or 202 ScheduleResult for an effective date after today (CST). */
		publish: (cid: string, version: number, effectiveDate: string, note: string) =>
			call<PublishResult | ScheduleResult>(
				fetch,
				`${base(cid)}/publish`,
				json('POST', { version, effectiveDate, note })
			),
		unschedule: (cid: string, version: number) =>
			call<void>(fetch, `${base(cid)}/schedule?version=${version}`, { method: 'DELETE' }),
		history: (cid: string) => call<{ versions: PlanVersionInfo[] }>(fetch, `${base(cid)}/history`),
		version: (cid: string, v: number) => call<GridCollection>(fetch, `${base(cid)}/versions/${v}`),
		diff: (cid: string, from: number, to: number | 'draft') =>
			call<PlanDiff>(fetch, `${base(cid)}/diff?from=${from}&to=${to}`),
		incidents: (cid: string, days: number) =>
			call<PlanIncidents>(fetch, `${base(cid)}/incidents?days=${days}`),
		importFile: (cid: string, file: File, crs: PlanCrs, draftVersion: number | null) =>
			call<PlanImportResult>(
				fetch,
				`${base(cid)}/import?crs=${crs}&version=${draftVersion ?? 'none'}`,
				{
					method: 'POST',
					headers: { 'content-type': importContentType(file.name) },
					body: file
				}
			),
		exportUrl
	};
}

export type PlanApi = ReturnType<typeof createPlanApi>;

/** Where a plan export downloads from (same-origin: a link, not a fetch). */
export function exportUrl(
	cid: string,
	format: 'geojson' | 'shapefile',
	crs: PlanCrs,
	source: 'draft' | 'published' | number
): string {
	return `${base(cid)}/export?format=${format}&crs=${crs}&source=${source}`;
}

export const planApi = createPlanApi();

/** The Content-Type the import endpoint expects for a file name. */
export function importContentType(name: string): string {
	const lower = name.toLowerCase();
	if (lower.endsWith('.zip')) return 'application/zip';
	if (lower.endsWith('.geojson')) return 'application/geo+json';
	return 'application/json';
}
