/**
 * The `/plan` page's state and what it does, without the page: the city's hierarchy, one
 * community's plan (published, the server draft, the draft's undo history), editing (tools,
 * selection, merge picks, refusals, split suggestions), save / publish / schedule / discard /
 * import, the 409 conflict and its review, history and diffs. The page only wires components to
 * it. Everything outside — the plan API, `confirm`, the URL, the map, the clock — comes in through
 * `PlanSessionDeps` or a field, so the session runs in a unit test without a browser.
 */
import type { Position } from 'geojson';
import type { CommunityCollection, StreetCollection } from '$lib/domain/city';
import { identityOf } from '$lib/domain/cityIdentity';
import type { CityIdentity } from '$lib/domain/cityPack';
import type {
	DraftConflict,
	PlanCrs,
	PlanDraft,
	PlanIncidents,
	PlanProblem,
	PlanState,
	PlanVersionInfo
} from '$lib/domain/plans';
import { cstDate } from '$lib/domain/time';
import { bboxOf, unionBbox } from '$lib/geo/bbox';
import type { Translate } from '$lib/i18n/messages';
import { reasonText } from '$lib/i18n/reasons';
import {
	DEFAULT_TOLERANCE,
	applyEdit,
	canRedo,
	canUndo,
	computeBalance,
	createDraft,
	createHistory,
	draftToCollection,
	record,
	redo,
	snapPosition,
	suggestSplit,
	undo,
	type Draft,
	type Edit,
	type EditRefused,
	type History,
	type SplitSuggestion
} from '$lib/plan';
import type { PlanMapApi, PlanTool } from './PlanMap.svelte';
import type { ApiErrorBody, PlanApi } from './planApi';
import { diffOverlay, splitAlong, type OverlayFeature } from './planView';

export interface PlanSessionDeps {
	api: PlanApi;
	/** The UI's language (`t`) and where the loaded city is announced (`city`). */
	i18n: { t: Translate; city: CityIdentity | null };
	/** Asks the person (leaving unsaved edits, discarding a saved draft). */
	confirm: (message: string) => boolean;
	/** The community changed: put it in the page's URL. */
	onCommunity?: (communityId: string | null) => void;
	/** Epoch ms now (the publish date defaults to today, CST). */
	now?: () => number;
}

export interface Notice {
	text: string;
	kind: 'ok' | 'error' | 'info';
}

/** The latest refused edit: its reason constant, where, and the grids it names. */
export interface Refusal {
	reason: string;
	location: Position | null;
	gridIds: string[];
}

export interface DiffView {
	title: string;
	summary: string;
	overlay: OverlayFeature[];
	version: number | 'draft';
}

/** Days of incidents the balance counts. */
export const BALANCE_DAYS = 90;

export class PlanSession {
	readonly #deps: PlanSessionDeps;
	/** The UI language's translation (reactive: reading it follows the locale). */
	t: Translate = (key, params) => this.#deps.i18n.t(key, params);

	// ── The city's hierarchy (for the picker and the basemap's labels) ──
	streets = $state.raw<StreetCollection | null>(null);
	communities = $state.raw<CommunityCollection | null>(null);
	identity = $state.raw<CityIdentity | null>(null);
	streetId = $state('');
	communityId = $state<string | null>(null);
	loadError = $state<string | null>(null);

	// ── The plan: server state, the draft's history, what the server has ──
	plan = $state.raw<PlanState | null>(null);
	serverDraft = $state.raw<PlanDraft | null>(null);
	history = $state.raw<History | null>(null);
	/** The draft as the server has it (or the published grids when there is no draft). */
	saved = $state.raw<Draft | null>(null);
	incidents = $state.raw<PlanIncidents | null>(null);
	incidentsMissing = $state(false);
	loading = $state(false);

	// ── Editing ──
	tool = $state<PlanTool>('select');
	selected = $state<string | null>(null);
	mergeFirst = $state<string | null>(null);
	tolerance = $state(DEFAULT_TOLERANCE);
	suggestion = $state.raw<SplitSuggestion | null>(null);
	refusal = $state.raw<Refusal | null>(null);
	notice = $state<Notice | null>(null);
	problems = $state.raw<PlanProblem[]>([]);
	problemsTitle = $state('');

	// ── Saving, conflicts, publishing, history, files ──
	conflict = $state.raw<DraftConflict | null>(null);
	reviewing = $state(false);
	publishOpen = $state(false);
	/** The app's day is China Standard Time's; a later date schedules the publish. */
	publishDate = $state('');
	publishNote = $state('');
	versions = $state.raw<PlanVersionInfo[] | null>(null);
	diffView = $state.raw<DiffView | null>(null);
	/** Coordinate system of exported and imported files. */
	crs = $state<PlanCrs>('wgs84');
	exportSource = $state<'draft' | 'published'>('published');
	busy = $state(false);

	// ── The map (bound by the page) ──
	map = $state.raw<PlanMapApi | null>(null);
	mapReady = $state(false);

	readonly draft = $derived(this.history?.present.draft ?? null);
	readonly dirty = $derived(this.draft !== null && this.draft !== this.saved);
	/** The saved draft is scheduled to be published on a later day: frozen until cancelled. */
	readonly scheduled = $derived(this.serverDraft?.scheduled ?? null);
	readonly frozenHint = $derived(
		this.scheduled
			? this.t('plan.scheduled.frozen', {
					date: this.scheduled.effectiveDate,
					by: this.scheduled.by
				})
			: ''
	);
	readonly canUndo = $derived(!!this.history && canUndo(this.history));
	readonly canRedo = $derived(!!this.history && canRedo(this.history));
	readonly names = $derived(
		// A new map per draft, never changed in place.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		new Map(this.draft?.grids.map((g) => [g.properties.id, g.properties.name]))
	);
	readonly selectedGrid = $derived(
		this.draft?.grids.find((g) => g.properties.id === this.selected) ?? null
	);
	readonly streetCommunities = $derived(
		this.communities?.features.filter((c) => c.properties.streetId === this.streetId) ?? []
	);
	readonly balance = $derived(
		this.draft && this.incidents
			? computeBalance(this.draft, this.incidents, { tolerance: this.tolerance })
			: null
	);

	constructor(deps: PlanSessionDeps) {
		this.#deps = deps;
		this.publishDate = cstDate(this.#now());
	}

	#now(): number {
		return this.#deps.now?.() ?? Date.now();
	}

	get #api(): PlanApi {
		return this.#deps.api;
	}

	/** Today in China Standard Time (a publish dated later is scheduled). */
	today(): string {
		return cstDate(this.#now());
	}

	// ── Loading ──

	/** Loads the hierarchy, then the community the URL asks for (if it exists). */
	async open(asked: string | null): Promise<void> {
		await this.loadHierarchy();
		const c = this.communities?.features.find((f) => f.properties.id === asked);
		if (c) {
			this.streetId = c.properties.streetId;
			await this.pickCommunity(c.properties.id);
		}
	}

	async loadHierarchy(): Promise<void> {
		try {
			const h = await this.#api.hierarchy();
			this.streets = h.streets;
			this.communities = h.communities;
			this.identity = identityOf(h.manifest);
			this.#deps.i18n.city = this.identity;
		} catch (e) {
			this.loadError = (e as Error).message;
		}
	}

	/** Starts editing from a server draft (or the published grids): a fresh history. */
	#startFrom(state: PlanState, fromDraft: PlanDraft | null) {
		const community = { id: state.community.id, geometry: state.community.outline };
		const d = createDraft(community, fromDraft ? fromDraft.grids : state.published.grids);
		this.serverDraft = fromDraft;
		this.history = createHistory(d);
		this.saved = d;
		this.selected = null;
		this.mergeFirst = null;
		this.suggestion = null;
		this.refusal = null;
		this.conflict = null;
		this.reviewing = false;
		this.diffView = null;
	}

	async loadPlan(cid: string): Promise<void> {
		this.loading = true;
		this.loadError = null;
		this.problems = [];
		const r = await this.#api.get(cid);
		this.loading = false;
		if (!r.ok) {
			this.loadError = r.body.message;
			this.plan = null;
			this.history = null;
			return;
		}
		this.plan = r.body;
		this.#startFrom(r.body, r.body.draft);
		this.versions = null;
		void this.loadHistory();
		this.incidents = null;
		this.incidentsMissing = false;
		const inc = await this.#api.incidents(cid, BALANCE_DAYS);
		if (this.communityId !== cid) return;
		if (inc.ok) this.incidents = inc.body;
		else {
			this.incidentsMissing = true;
			this.incidents = { from: 0, to: 0, lon: [], lat: [], ts: [] };
		}
	}

	async reloadPlan(): Promise<void> {
		if (this.communityId) await this.loadPlan(this.communityId);
	}

	/** Picks the street (the community picker is emptied). */
	pickStreet(streetId: string): Promise<void> {
		this.streetId = streetId;
		return this.pickCommunity(null);
	}

	/** Opens another community (or none), asking first when there are unsaved edits. */
	async pickCommunity(cid: string | null): Promise<void> {
		if (cid === this.communityId) return;
		if (this.dirty && !this.#deps.confirm(this.t('plan.unsavedLeave'))) return;
		this.communityId = cid;
		this.#deps.onCommunity?.(cid);
		this.plan = null;
		this.history = null;
		if (cid) await this.loadPlan(cid);
	}

	/** Frames the community on the map (once the plan and the map are both there). */
	frameCommunity(): void {
		if (this.plan && this.map && this.mapReady)
			this.map.fitBounds(bboxOf(this.plan.community.outline));
	}

	// ── Edits ──

	#refuse(r: EditRefused) {
		this.refusal = { reason: r.reason, location: r.location, gridIds: r.gridIds };
		this.notice = {
			text: this.t('plan.refused', { reason: reasonText(this.t, r.reason) }),
			kind: 'error'
		};
		if (r.location) this.map?.reveal([r.location[0], r.location[1]]);
	}

	#accepted(next: Draft, e: Edit) {
		if (!this.history) return;
		this.history = record(this.history, next, e);
		this.refusal = null;
		this.notice = null;
		this.suggestion = null;
	}

	/** Applies one edit to the draft: recorded for undo, or refused with a located message. */
	edit(e: Edit): boolean {
		if (!this.draft || !this.history) return false;
		const r = applyEdit(this.draft, e);
		if (!r.ok) {
			this.#refuse(r);
			return false;
		}
		this.#accepted(r.draft, e);
		if (this.selected && r.removed.includes(this.selected)) this.selected = null;
		return true;
	}

	/** A line drawn with the split tool: splits the grid it is meant for (see `splitAlong`). */
	splitLine(line: Position[]): void {
		if (!this.draft || !this.history) return;
		const answer = splitAlong(this.draft, line, this.selected);
		if (!answer.ok) {
			this.#refuse(answer.result);
			return;
		}
		this.#accepted(answer.result.draft, { kind: 'split', gridId: answer.gridId, line });
		this.selected = null;
	}

	/** A click on the map: selects a grid, or picks the two grids of a merge. */
	clickGrid(id: string | null): void {
		if (this.tool === 'merge') {
			if (!id) return;
			if (!this.mergeFirst) {
				this.mergeFirst = id;
				return;
			}
			const a = this.mergeFirst;
			this.mergeFirst = null;
			if (this.edit({ kind: 'merge', a, b: id })) this.selected = null;
			return;
		}
		this.selected = id;
	}

	/** Selects a grid from a list and frames it. */
	focusGrid(id: string): void {
		this.selected = id;
		const g = this.draft?.grids.find((x) => x.properties.id === id);
		if (g) this.map?.fitBounds(bboxOf(g.geometry));
	}

	assignWorker(workerName: string, workerPhone: string): void {
		if (!this.selected) return;
		this.edit({
			kind: 'assignWorker',
			gridId: this.selected,
			workerName: workerName.trim(),
			workerPhone: workerPhone.trim()
		});
	}

	undo(): void {
		if (this.history && canUndo(this.history)) {
			this.history = undo(this.history);
			this.refusal = null;
			this.suggestion = null;
		}
	}

	redo(): void {
		if (this.history && canRedo(this.history)) {
			this.history = redo(this.history);
			this.refusal = null;
			this.suggestion = null;
		}
	}

	setTool(next: PlanTool): void {
		this.tool = next;
		this.mergeFirst = null;
	}

	/** Esc: back to selecting, and every message, suggestion and diff closed. */
	escape(): void {
		this.setTool('select');
		this.suggestion = null;
		this.refusal = null;
		this.notice = null;
		this.diffView = null;
	}

	suggest(): void {
		if (!this.draft || !this.incidents) return;
		this.suggestion = suggestSplit(this.draft, this.incidents, { tolerance: this.tolerance });
		if (!this.suggestion) this.notice = { text: this.t('plan.suggestNone'), kind: 'info' };
		else {
			const [a, b] = this.suggestion.line;
			this.map?.reveal([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]);
		}
	}

	applySuggestion(): void {
		const s = this.suggestion;
		if (s) this.edit({ kind: 'split', gridId: s.gridId, line: s.line });
	}

	/** Snaps a pointer position (metres tolerance) to the draft, or null when nothing is near. */
	snap = (p: Position, toleranceM: number, ignore?: Position): Position | null => {
		if (!this.draft) return null;
		const s = snapPosition(this.draft, p, toleranceM, ignore ? { ignore } : {});
		return s.kind === 'none' ? null : s.position;
	};

	/** Every ring of the draft's grids (what a drag may move). */
	rings = (): Position[][] => this.draft?.grids.flatMap((g) => g.geometry.coordinates) ?? [];

	// ── Saving, conflicts, publishing ──

	#showProblems(title: string, list: PlanProblem[] | undefined) {
		this.problemsTitle = title;
		this.problems = list ?? [];
		const first = this.problems.find((p) => p.location);
		if (first?.location) this.map?.flyTo(first.location);
	}

	#failed(message: string) {
		this.notice = { text: this.t('plan.failed', { reason: message }), kind: 'error' };
	}

	/** A 409 for a draft someone scheduled meanwhile: say so and show the frozen draft. */
	#frozenAnswer(body: ApiErrorBody): boolean {
		if (!body.scheduled) return false;
		this.notice = { text: body.message, kind: 'error' };
		void this.reloadPlan();
		return true;
	}

	/** Saves the draft over the server draft of `version` (the one it started from). */
	async save(version: number | null = this.serverDraft?.version ?? null): Promise<boolean> {
		if (!this.communityId || !this.draft) return false;
		if (this.scheduled) {
			this.notice = { text: this.frozenHint, kind: 'error' };
			return false;
		}
		this.busy = true;
		const current = this.draft;
		const r = await this.#api.saveDraft(this.communityId, version, draftToCollection(current));
		this.busy = false;
		if (r.ok) {
			this.serverDraft = r.body.draft;
			this.saved = current;
			this.conflict = null;
			this.reviewing = false;
			this.problems = [];
			this.notice = { text: this.t('plan.saved', { v: r.body.draft.version }), kind: 'ok' };
			return true;
		}
		if (r.status === 409) {
			if (!this.#frozenAnswer(r.body)) this.conflict = r.body as DraftConflict;
			return false;
		}
		if (r.status === 422) {
			this.#showProblems(this.t('plan.problems', { n: r.body.errors?.length ?? 0 }), r.body.errors);
			this.notice = { text: r.body.message, kind: 'error' };
			return false;
		}
		this.#failed(r.body.message);
		return false;
	}

	/** The conflict's "reload": take their draft (or reload when there is none). */
	reloadTheirs(): void {
		const c = this.conflict;
		if (!this.plan || !c) return;
		if (c.current) this.#startFrom(this.plan, c.current);
		else void this.reloadPlan();
	}

	/** Their changed grids over mine on the map, framed. */
	review(): void {
		this.reviewing = true;
		const ids = this.conflict?.changedGridIds ?? [];
		const changed = this.conflict?.current?.grids.features.filter((g) =>
			ids.includes(g.properties.id)
		);
		if (!changed?.length) return;
		const box = unionBbox(changed.map((g) => bboxOf(g.geometry)));
		if (box) this.map?.fitBounds(box);
	}

	/** Saves mine over theirs (with their version). */
	async overwrite(): Promise<void> {
		const c = this.conflict;
		if (c?.current) await this.save(c.current.version);
	}

	/** Publishes (or schedules) the draft with the dialog's date and note, saving it first. */
	async publish(): Promise<void> {
		if (!this.communityId) return;
		if (this.dirty || !this.serverDraft) {
			if (!(await this.save())) {
				this.publishOpen = false;
				return;
			}
		}
		if (!this.serverDraft) return;
		this.busy = true;
		const version = this.serverDraft.version;
		const r = await this.#api.publish(
			this.communityId,
			version,
			this.publishDate,
			this.publishNote
		);
		this.busy = false;
		this.publishOpen = false;
		if (r.ok) {
			await this.reloadPlan();
			const body = r.body;
			this.notice = {
				text:
					'scheduled' in body
						? this.t('plan.scheduled', {
								date: body.scheduled.effectiveDate,
								v: body.scheduled.draftVersion
							})
						: this.t('plan.published', { v: body.plan.version, open: body.reassigned.open }),
				kind: 'ok'
			};
			this.publishNote = '';
			return;
		}
		if (this.#frozenAnswer(r.body)) return;
		// A stale draft version is a conflict to resolve; a published plan that moved on since
		// the draft began is not (the server asks to discard the draft): its message says so.
		const c = r.body as DraftConflict;
		if (r.status === 409 && c.current && c.current.version !== this.serverDraft?.version) {
			this.conflict = c;
			return;
		}
		if (r.status === 422)
			this.#showProblems(this.t('plan.problems', { n: r.body.errors?.length ?? 0 }), r.body.errors);
		this.#failed(r.body.message);
	}

	/** Discards the edits (and, after asking, the server draft). */
	async discard(): Promise<void> {
		if (!this.communityId) return;
		if (!this.serverDraft) {
			if (this.plan) this.#startFrom(this.plan, null);
			return;
		}
		if (!this.#deps.confirm(this.t('plan.discardConfirm'))) return;
		const r = await this.#api.discardDraft(this.communityId, this.serverDraft.version);
		if (r.ok) {
			await this.reloadPlan();
			this.notice = { text: this.t('plan.discarded'), kind: 'ok' };
		} else if (this.#frozenAnswer(r.body)) return;
		else if (r.status === 409) this.conflict = r.body as DraftConflict;
		else this.#failed(r.body.message);
	}

	/** Cancels a scheduled publish: the draft is editable again. */
	async cancelSchedule(): Promise<void> {
		if (!this.communityId || !this.serverDraft?.scheduled) return;
		this.busy = true;
		const r = await this.#api.unschedule(this.communityId, this.serverDraft.version);
		this.busy = false;
		await this.reloadPlan();
		if (r.ok) this.notice = { text: this.t('plan.unscheduled'), kind: 'ok' };
		else this.#failed(r.body.message);
	}

	// ── History and diffs ──

	async loadHistory(): Promise<void> {
		if (!this.communityId) return;
		const r = await this.#api.history(this.communityId);
		if (r.ok) this.versions = r.body.versions;
	}

	/** A published version against its predecessor, on the map. */
	async showVersionDiff(v: PlanVersionInfo): Promise<void> {
		if (!this.communityId || !this.versions) return;
		const older = this.versions.find((x) => x.version < v.version);
		if (!older) return;
		const [a, b] = await Promise.all([
			this.#api.version(this.communityId, older.version),
			this.#api.version(this.communityId, v.version)
		]);
		if (!a.ok || !b.ok) {
			this.#failed(!a.ok ? a.body.message : !b.ok ? b.body.message : '');
			return;
		}
		this.diffView = {
			title: this.t('plan.diff.title', { from: `v${older.version}`, to: `v${v.version}` }),
			summary: this.t('plan.diff.summary', {
				added: v.added.length,
				removed: v.removed.length,
				reshaped: v.reshaped.length
			}),
			overlay: diffOverlay(a.body.features, b.body.features, v),
			version: v.version
		};
	}

	/** The server draft against the published plan, on the map. */
	async showDraftDiff(): Promise<void> {
		if (!this.communityId || !this.plan || !this.serverDraft) return;
		const { plan, serverDraft } = this;
		const r = await this.#api.diff(this.communityId, plan.published.version, 'draft');
		if (!r.ok) {
			this.#failed(r.body.message);
			return;
		}
		this.diffView = {
			title: this.t('plan.diff.title', {
				from: `v${plan.published.version}`,
				to: this.t('plan.diff.draft')
			}),
			summary: this.t('plan.diff.summary', {
				added: r.body.added.length,
				removed: r.body.removed.length,
				reshaped: r.body.reshaped.length
			}),
			overlay: diffOverlay(plan.published.grids.features, serverDraft.grids.features, r.body),
			version: 'draft'
		};
	}

	// ── Import ──

	/** Imports a GeoJSON or zipped Shapefile as the new server draft (in the chosen CRS). */
	async importFile(file: File): Promise<void> {
		if (!this.communityId) return;
		this.busy = true;
		const r = await this.#api.importFile(
			this.communityId,
			file,
			this.crs,
			this.serverDraft?.version ?? null
		);
		this.busy = false;
		if (r.ok) {
			this.problems = [];
			if (this.plan) this.#startFrom(this.plan, r.body.draft);
			const s = r.body.snaps;
			const snapped = s?.vertices
				? this.t('plan.importSnapped', {
						n: s.vertices,
						tol: s.toleranceM,
						max: s.maxDistanceM,
						grids: s.grids.map((g) => g.id).join(', ')
					})
				: '';
			this.notice = {
				text: this.t('plan.imported', { v: r.body.draft.version }) + snapped,
				kind: 'ok'
			};
			return;
		}
		if (r.status === 409) {
			if (!this.#frozenAnswer(r.body)) this.conflict = r.body as DraftConflict;
			return;
		}
		this.#showProblems(
			this.t('plan.importProblems', { n: r.body.errors?.length ?? 0 }),
			r.body.errors
		);
		this.notice = { text: this.t('plan.importFailed', { message: r.body.message }), kind: 'error' };
	}
}
