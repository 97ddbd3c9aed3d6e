/**
 * The `/plan` page's client for the grid-plan API (`/api/plans/{cid}/…`, see docs/architecture.md).
 * Every call answers a typed result: the body on success, or the error body with its status so
 * the page can show a 409 conflict or a 422 problem list instead of a bare failure.
 */
import type { GridCollection } from '$lib/domain/city';
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
		call<{ draft: PlanDraft }>(`${base(cid)}/draft`, json('PUT', { version, grids, note })),
	discardDraft: (cid: string, version: number) =>
		call<void>(`${base(cid)}/draft?version=${version}`, { method: 'DELETE' }),
	/** 200 PublishResult, or 202 ScheduleResult for an effective date after today (CST). */
	publish: (cid: string, version: number, effectiveDate: string, note: string) =>
		call<PublishResult | ScheduleResult>(
			`${base(cid)}/publish`,
			json('POST', { version, effectiveDate, note })
		),
	unschedule: (cid: string, version: number) =>
		call<void>(`${base(cid)}/schedule?version=${version}`, { method: 'DELETE' }),
	history: (cid: string) => call<{ versions: PlanVersionInfo[] }>(`${base(cid)}/history`),
	version: (cid: string, v: number) => call<GridCollection>(`${base(cid)}/versions/${v}`),
	diff: (cid: string, from: number, to: number | 'draft') =>
		call<PlanDiff>(`${base(cid)}/diff?from=${from}&to=${to}`),
	incidents: (cid: string, days: number) =>
		call<PlanIncidents>(`${base(cid)}/incidents?days=${days}`),
	importFile: (cid: string, file: File, crs: PlanCrs, draftVersion: number | null) =>
		call<PlanImportResult>(`${base(cid)}/import?crs=${crs}&version=${draftVersion ?? 'none'}`, {
			method: 'POST',
			headers: { 'content-type': importContentType(file.name) },
			body: file
		}),
	exportUrl: (
		cid: string,
		format: 'geojson' | 'shapefile',
		crs: PlanCrs,
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
