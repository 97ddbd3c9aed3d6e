import { describe, expect, it } from 'vitest';
import type { GridCollection } from '$lib/domain/city';
import type { PlanDraft, PlanState } from '$lib/domain/plans';
import { I18n } from '$lib/i18n/i18n.svelte';
import { G, fixture } from '$lib/plan/testing';
import type { PlanMapApi } from './PlanMap.svelte';
import { createPlanApi } from './planApi';
import { planKeydown, type PlanKey } from './planKeys';
import { PlanSession } from './planSession.svelte';

// The square4 fixture: a community of four quadrant grids, SW = G(1), SE = G(2), NE = G(3),
// NW = G(4); G(1) and G(3) touch only at the centre (a merge of them is refused).
const CID = '120116001001';
const STREET = '120116001';
/** 2026-12-03 12:00 CST. */
const NOW = Date.UTC(2026, 11, 3, 4);

type Reply = [status: number, body?: unknown];
type Handler = (url: URL, init: RequestInit | undefined) => Reply;

/** A fake plan server: handlers by `METHOD /path`; every request is recorded. */
function fakeServer(handlers: Record<string, Handler>) {
	const calls: { method: string; path: string; query: string; body: unknown }[] = [];
	const fetch = async (input: string, init?: RequestInit): Promise<Response> => {
		const url = new URL(input, 'http://plan.test');
		const method = init?.method ?? 'GET';
		const body = typeof init?.body === 'string' ? JSON.parse(init.body) : (init?.body ?? null);
		calls.push({ method, path: url.pathname, query: url.search, body });
		const handler = handlers[`${method} ${url.pathname}`];
		const [status, reply] = handler ? handler(url, init) : [404, { message: 'not here' }];
		return status === 204
			? new Response(null, { status })
			: new Response(JSON.stringify(reply ?? null), {
					status,
					headers: { 'content-type': 'application/json' }
				});
	};
	return { fetch, calls };
}

function planState(draft: PlanDraft | null = null, version = 0): PlanState {
	const f = fixture('square4');
	return {
		community: {
			id: CID,
			name: f.community.properties.name,
			streetId: STREET,
			streetName: '街道',
			outline: f.community.geometry as PlanState['community']['outline']
		},
		published: {
			version,
			publishedAt: null,
			publishedBy: null,
			effectiveDate: null,
			grids: f.grids
		},
		draft
	};
}

function serverDraft(version: number, grids: GridCollection = fixture('square4').grids): PlanDraft {
	return {
		version,
		basePlanVersion: 0,
		grids,
		updatedBy: '王规划',
		updatedAt: '2026-12-03T03:00:00Z',
		note: '',
		scheduled: null
	};
}

const P = `/api/plans/${CID}`;

/** The routes every session needs: the city files, the plan, its incidents and history. */
function baseRoutes(state: () => PlanState): Record<string, Handler> {
	const f = fixture('square4');
	return {
		'GET /data/streets.geojson': () => [
			200,
			{
				type: 'FeatureCollection',
				features: [{ type: 'Feature', properties: { id: STREET, name: '街道' }, geometry: null }]
			}
		],
		'GET /data/communities.geojson': () => [
			200,
			{ type: 'FeatureCollection', features: [f.community] }
		],
		'GET /data/manifest.json': () => [200, { center: [117.61, 39.01] }],
		[`GET ${P}`]: () => [200, state()],
		[`GET ${P}/incidents`]: () => [200, { from: 0, to: 1, lon: [117.605], lat: [39.005], ts: [0] }],
		[`GET ${P}/history`]: () => [200, { versions: [] }]
	};
}

/** A map that records what the session asked of it. */
function fakeMap() {
	const asked: string[] = [];
	const map: PlanMapApi = {
		project: () => ({ x: 0, y: 0 }),
		fitBounds: (b) => void asked.push(`fit ${b.map((x) => x.toFixed(3)).join(',')}`),
		flyTo: (c) => void asked.push(`fly ${c.join(',')}`),
		reveal: (c) => void asked.push(`reveal ${c.join(',')}`),
		zoom: () => 14
	};
	return { map, asked };
}

async function openSession(
	routes: Record<string, Handler> = {},
	options: { state?: () => PlanState; confirm?: (m: string) => boolean } = {}
) {
	const state = options.state ?? (() => planState());
	const server = fakeServer({ ...baseRoutes(state), ...routes });
	const i18n = new I18n();
	const urls: (string | null)[] = [];
	const asked: string[] = [];
	const session = new PlanSession({
		api: createPlanApi(server.fetch),
		i18n,
		confirm: (m) => (asked.push(m), options.confirm?.(m) ?? true),
		onCommunity: (cid) => void urls.push(cid),
		now: () => NOW
	});
	const { map, asked: mapAsked } = fakeMap();
	session.map = map;
	session.mapReady = true;
	await session.open(CID);
	await settle();
	return { session, server, i18n, urls, confirms: asked, mapAsked };
}

/** One accepted edit (a worker for SE): the draft differs from the server's. */
function makeDirty(session: PlanSession) {
	session.focusGrid(G(2));
	session.assignWorker('张三', '');
	expect(session.dirty).toBe(true);
}

/** Lets the session's fire-and-forget requests (history, reloads) finish. */
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('PlanSession: loading', () => {
	it('opens the asked community from the published grids, with its street, balance and URL', async () => {
		const { session, i18n, urls, server } = await openSession();
		expect(session.streetId).toBe(STREET);
		expect(session.communityId).toBe(CID);
		expect(urls).toEqual([CID]);
		expect(i18n.city).not.toBeNull();
		expect(session.draft?.grids.map((g) => g.properties.id)).toEqual([G(1), G(2), G(3), G(4)]);
		expect(session.dirty).toBe(false);
		expect(session.serverDraft).toBeNull();
		expect(session.versions).toEqual([]);
		expect(session.incidentsMissing).toBe(false);
		expect(session.balance?.grids.map((g) => g.incidents)).toEqual([1, 0, 0, 0]);
		expect(server.calls.find((c) => c.path === `${P}/incidents`)?.query).toBe('?days=90');
		expect(session.publishDate).toBe('2026-12-03');
	});

	it('an unknown community in the URL opens nothing', async () => {
		const server = fakeServer(baseRoutes(() => planState()));
		const session = new PlanSession({
			api: createPlanApi(server.fetch),
			i18n: new I18n(),
			confirm: () => true
		});
		await session.open('nope');
		expect(session.communityId).toBeNull();
		expect(server.calls.some((c) => c.path.startsWith('/api/'))).toBe(false);
	});

	it('a failed city file is the load error', async () => {
		const server = fakeServer({
			...baseRoutes(() => planState()),
			'GET /data/manifest.json': () => [500]
		});
		const session = new PlanSession({
			api: createPlanApi(server.fetch),
			i18n: new I18n(),
			confirm: () => true
		});
		await session.open(CID);
		expect(session.loadError).toBe('manifest.json: 500');
	});

	it('balances against no incidents when they cannot be loaded, and says so', async () => {
		const { session } = await openSession({
			[`GET ${P}/incidents`]: () => [503, { message: 'x' }]
		});
		expect(session.incidentsMissing).toBe(true);
		expect(session.incidents?.lon).toEqual([]);
	});

	it('a plan that cannot be loaded is the load error, and no draft', async () => {
		const { session } = await openSession({ [`GET ${P}`]: () => [404, { message: '没有该社区' }] });
		expect(session.loadError).toBe('没有该社区');
		expect(session.plan).toBeNull();
		expect(session.draft).toBeNull();
	});

	it('asks before leaving unsaved edits, and stays when told to', async () => {
		const { session, confirms } = await openSession({}, { confirm: () => false });
		makeDirty(session);
		expect(session.dirty).toBe(true);
		await session.pickStreet(STREET);
		expect(confirms).toEqual([session.t('plan.unsavedLeave')]);
		expect(session.communityId).toBe(CID);
		expect(session.dirty).toBe(true);
	});

	it('frames the community once the plan and the map are there', async () => {
		const { session, mapAsked } = await openSession();
		session.frameCommunity();
		expect(mapAsked).toEqual(['fit 117.600,39.000,117.620,39.020']);
	});
});

describe('PlanSession: editing', () => {
	it('records an accepted edit (undo, redo) and names a refused one where it is', async () => {
		const { session, mapAsked } = await openSession();
		session.setTool('merge');
		session.clickGrid(G(1));
		expect(session.mergeFirst).toBe(G(1));
		session.clickGrid(G(3));
		expect(session.mergeFirst).toBeNull();
		expect(session.refusal?.reason).toBeTruthy();
		expect(session.notice?.kind).toBe('error');
		expect(session.dirty).toBe(false);
		expect(mapAsked.some((a) => a.startsWith('reveal'))).toBe(session.refusal?.location != null);

		session.clickGrid(G(1));
		session.clickGrid(G(2));
		expect(session.refusal).toBeNull();
		expect(session.notice).toBeNull();
		expect(session.draft?.grids).toHaveLength(3);
		expect(session.dirty).toBe(true);
		expect(session.canUndo).toBe(true);
		session.undo();
		expect(session.draft?.grids).toHaveLength(4);
		expect(session.dirty).toBe(false);
		session.redo();
		expect(session.draft?.grids).toHaveLength(3);
	});

	it('splits the grid a drawn line crosses and deselects', async () => {
		const { session } = await openSession();
		session.clickGrid(G(1));
		expect(session.selectedGrid?.properties.id).toBe(G(1));
		session.splitLine([
			[117.6045, 38.999],
			[117.6045, 39.011]
		]);
		expect(session.refusal).toBeNull();
		expect(session.draft?.grids).toHaveLength(5);
		expect(session.selected).toBeNull();
	});

	it('a line that misses every grid is refused with split_line_misses', async () => {
		const { session } = await openSession();
		session.splitLine([
			[117.7, 39.1],
			[117.71, 39.1]
		]);
		expect(session.refusal?.reason).toBe('split_line_misses');
		expect(session.notice?.text).toContain(session.t('plan.reason.split_line_misses'));
	});

	it('assigns a worker to the selected grid, trimmed', async () => {
		const { session } = await openSession();
		session.focusGrid(G(2));
		session.assignWorker(' 张三 ', ' 139 ');
		expect(session.selectedGrid?.properties.workerName).toBe('张三');
		expect(session.selectedGrid?.properties.workerPhone).toBe('139');
	});

	it('Esc puts the select tool back and closes messages and suggestions', async () => {
		const { session } = await openSession();
		session.setTool('split');
		session.notice = { text: 'x', kind: 'info' };
		session.escape();
		expect(session.tool).toBe('select');
		expect(session.notice).toBeNull();
	});
});

describe('PlanSession: saving, conflicts, publishing', () => {
	it('saves the draft with the version it started from, then is clean', async () => {
		const { session, server } = await openSession({
			[`PUT ${P}/draft`]: () => [200, { draft: serverDraft(7) }]
		});
		makeDirty(session);
		expect(await session.save()).toBe(true);
		const put = server.calls.find((c) => c.method === 'PUT')!;
		expect((put.body as { version: unknown }).version).toBeNull();
		expect(session.serverDraft?.version).toBe(7);
		expect(session.dirty).toBe(false);
		expect(session.notice).toEqual({ text: session.t('plan.saved', { v: 7 }), kind: 'ok' });
	});

	it('a 409 opens the conflict; review frames their grids; reload takes theirs', async () => {
		const theirs = fixture('square4').grids;
		theirs.features[1].properties.workerName = '李四';
		const { session, mapAsked } = await openSession({
			[`PUT ${P}/draft`]: () => [
				409,
				{
					message: 'stale',
					field: 'version',
					current: serverDraft(3, theirs),
					changedBy: '李四',
					changedAt: '2026-12-03T03:00:00Z',
					changedGridIds: [G(2)]
				}
			]
		});
		makeDirty(session);
		expect(await session.save()).toBe(false);
		expect(session.conflict?.changedGridIds).toEqual([G(2)]);
		mapAsked.length = 0;
		session.review();
		expect(session.reviewing).toBe(true);
		expect(mapAsked).toEqual(['fit 117.610,39.000,117.620,39.010']);
		session.reloadTheirs();
		expect(session.conflict).toBeNull();
		expect(session.serverDraft?.version).toBe(3);
		expect(session.draft?.grids[1].properties.workerName).toBe('李四');
		expect(session.dirty).toBe(false);
	});

	it('overwrite saves mine with their version', async () => {
		let version = 0;
		const { session, server } = await openSession({
			[`PUT ${P}/draft`]: (_url, init) => {
				const v = JSON.parse(String(init?.body)).version;
				if (v === null) {
					version = 3;
					return [
						409,
						{
							message: 'stale',
							field: 'version',
							current: serverDraft(3),
							changedBy: '李四',
							changedAt: null,
							changedGridIds: [G(2)]
						}
					];
				}
				return [200, { draft: serverDraft(version + 1) }];
			}
		});
		makeDirty(session);
		await session.save();
		await session.overwrite();
		const puts = server.calls.filter((c) => c.method === 'PUT');
		expect(puts.map((c) => (c.body as { version: unknown }).version)).toEqual([null, 3]);
		expect(session.conflict).toBeNull();
		expect(session.serverDraft?.version).toBe(4);
	});

	it('a 422 lists the problems and flies to the first located one', async () => {
		const { session, mapAsked } = await openSession({
			[`PUT ${P}/draft`]: () => [
				422,
				{
					message: '网格有缝隙',
					errors: [
						{ feature: G(1), reason: 'gap', location: null, message: 'a' },
						{ feature: G(2), reason: 'gap', location: [117.61, 39.01], message: 'b' }
					]
				}
			]
		});
		makeDirty(session);
		expect(await session.save()).toBe(false);
		expect(session.problems).toHaveLength(2);
		expect(session.problemsTitle).toBe(session.t('plan.problems', { n: 2 }));
		expect(session.notice).toEqual({ text: '网格有缝隙', kind: 'error' });
		expect(mapAsked).toContain('fly 117.61,39.01');
		expect(session.dirty).toBe(true);
	});

	it('publishes a dirty draft: saves it first, then publishes that version and reloads', async () => {
		let published = false;
		const { session, server } = await openSession(
			{
				[`PUT ${P}/draft`]: () => [200, { draft: serverDraft(5) }],
				[`POST ${P}/publish`]: () => {
					published = true;
					return [
						200,
						{
							plan: {
								version: 1,
								publishedAt: '2026-12-03T04:00:00Z',
								publishedBy: '王规划',
								effectiveDate: '2026-12-03',
								note: 'n',
								added: [],
								removed: [],
								reshaped: []
							},
							reassigned: { open: 2, closed: 1 }
						}
					];
				}
			},
			{ state: () => (published ? planState(null, 1) : planState()) }
		);
		makeDirty(session);
		session.publishOpen = true;
		session.publishNote = 'n';
		await session.publish();
		const post = server.calls.find((c) => c.method === 'POST')!;
		expect(post.body).toEqual({ version: 5, effectiveDate: '2026-12-03', note: 'n' });
		expect(session.publishOpen).toBe(false);
		expect(session.plan?.published.version).toBe(1);
		expect(session.serverDraft).toBeNull();
		expect(session.notice).toEqual({
			text: session.t('plan.published', { v: 1, open: 2 }),
			kind: 'ok'
		});
		expect(session.publishNote).toBe('');
	});

	it('a later date schedules: the draft is frozen, save refuses, cancel unfreezes', async () => {
		let scheduled = false;
		const draft = () => ({
			...serverDraft(5),
			scheduled: scheduled
				? { effectiveDate: '2026-12-04', by: '王规划', at: '2026-12-03T04:00:00Z', note: '' }
				: null
		});
		const { session, server } = await openSession(
			{
				[`POST ${P}/publish`]: () => {
					scheduled = true;
					return [
						202,
						{
							scheduled: {
								effectiveDate: '2026-12-04',
								by: '王规划',
								at: '2026-12-03T04:00:00Z',
								draftVersion: 5
							}
						}
					];
				},
				[`DELETE ${P}/schedule`]: () => {
					scheduled = false;
					return [204];
				}
			},
			{ state: () => planState(draft()) }
		);
		expect(session.serverDraft?.version).toBe(5);
		session.publishDate = '2026-12-04';
		expect(session.publishDate > session.today()).toBe(true);
		await session.publish();
		expect(server.calls.some((c) => c.method === 'PUT')).toBe(false);
		expect(session.scheduled?.effectiveDate).toBe('2026-12-04');
		expect(session.notice?.text).toBe(session.t('plan.scheduled', { date: '2026-12-04', v: 5 }));
		makeDirty(session);
		expect(await session.save()).toBe(false);
		expect(session.notice).toEqual({ text: session.frozenHint, kind: 'error' });
		await session.cancelSchedule();
		expect(server.calls.find((c) => c.method === 'DELETE')?.query).toBe('?version=5');
		expect(session.scheduled).toBeNull();
		expect(session.notice).toEqual({ text: session.t('plan.unscheduled'), kind: 'ok' });
	});

	it('a 409 for a draft scheduled meanwhile shows its message and reloads', async () => {
		const { session, server } = await openSession({
			[`PUT ${P}/draft`]: () => [
				409,
				{
					message: '草稿已排定',
					scheduled: { effectiveDate: '2026-12-04', by: '李四', at: '', note: '' }
				}
			]
		});
		makeDirty(session);
		const gets = () => server.calls.filter((c) => c.method === 'GET' && c.path === P).length;
		expect(gets()).toBe(1);
		await session.save();
		await settle();
		expect(session.conflict).toBeNull();
		expect(gets()).toBe(2);
		expect(session.notice).toEqual({ text: '草稿已排定', kind: 'error' });
	});

	it('discards a saved draft only after asking', async () => {
		let confirmed = false;
		const { session, server, confirms } = await openSession(
			{ [`DELETE ${P}/draft`]: () => [204] },
			{ state: () => planState(serverDraft(4)), confirm: () => confirmed }
		);
		await session.discard();
		expect(confirms).toEqual([session.t('plan.discardConfirm')]);
		expect(server.calls.some((c) => c.method === 'DELETE')).toBe(false);
		confirmed = true;
		await session.discard();
		expect(server.calls.find((c) => c.method === 'DELETE')?.query).toBe('?version=4');
		expect(session.notice).toEqual({ text: session.t('plan.discarded'), kind: 'ok' });
	});

	it('discards unsaved edits without asking when there is no server draft', async () => {
		const { session, confirms } = await openSession();
		makeDirty(session);
		await session.discard();
		expect(confirms).toEqual([]);
		expect(session.dirty).toBe(false);
		expect(session.canUndo).toBe(false);
	});
});

describe('PlanSession: import and history', () => {
	it('an imported file becomes the draft; its snaps are reported', async () => {
		const { session, server } = await openSession({
			[`POST ${P}/import`]: () => [
				200,
				{
					draft: serverDraft(9),
					snaps: { vertices: 2, toleranceM: 0.5, maxDistanceM: 0.3, grids: [{ id: G(1) }] }
				}
			]
		});
		session.crs = 'gcj02';
		await session.importFile(new File(['{}'], 'grids.geojson'));
		expect(server.calls.at(-1)?.query).toBe('?crs=gcj02&version=none');
		expect(session.serverDraft?.version).toBe(9);
		expect(session.notice?.text).toBe(
			session.t('plan.imported', { v: 9 }) +
				session.t('plan.importSnapped', { n: 2, tol: 0.5, max: 0.3, grids: G(1) })
		);
	});

	it('a broken file lists its problems and leaves the draft as it was', async () => {
		const { session } = await openSession({
			[`POST ${P}/import`]: () => [
				422,
				{
					message: '文件无效',
					errors: [{ feature: 0, reason: 'not_polygon', location: null, message: 'm' }]
				}
			]
		});
		const before = session.draft;
		await session.importFile(new File(['{}'], 'grids.zip'));
		expect(session.draft).toBe(before);
		expect(session.problemsTitle).toBe(session.t('plan.importProblems', { n: 1 }));
		expect(session.notice?.text).toBe(session.t('plan.importFailed', { message: '文件无效' }));
	});

	it('diffs a version against its predecessor', async () => {
		const old = fixture('square4').grids;
		const v1 = {
			version: 1,
			publishedAt: '2026-12-01T00:00:00Z',
			publishedBy: '王规划',
			effectiveDate: '2026-12-01',
			note: '',
			added: [],
			removed: [],
			reshaped: [G(2)]
		};
		const v0 = { ...v1, version: 0, publishedAt: null, publishedBy: null, reshaped: [] };
		const { session } = await openSession({
			[`GET ${P}/history`]: () => [200, { versions: [v1, v0] }],
			[`GET ${P}/versions/0`]: () => [200, old],
			[`GET ${P}/versions/1`]: () => [200, old]
		});
		await session.showVersionDiff(v1);
		expect(session.diffView?.version).toBe(1);
		expect(session.diffView?.title).toBe(session.t('plan.diff.title', { from: 'v0', to: 'v1' }));
		expect(session.diffView?.overlay.map((f) => f.properties.role)).toEqual([
			'diff-old',
			'diff-reshaped'
		]);
	});
});

describe('planKeydown', () => {
	const key = (k: string, mods: Partial<PlanKey> = {}): PlanKey => ({
		key: k,
		ctrlKey: false,
		metaKey: false,
		shiftKey: false,
		altKey: false,
		inField: false,
		...mods
	});

	it('undo, redo and the tool keys; nothing typed into a field', async () => {
		const { session } = await openSession();
		makeDirty(session);
		expect(planKeydown(session, key('z', { ctrlKey: true }))).toBe(true);
		expect(session.dirty).toBe(false);
		expect(planKeydown(session, key('Z', { ctrlKey: true, shiftKey: true }))).toBe(true);
		expect(session.dirty).toBe(true);
		planKeydown(session, key('z', { metaKey: true }));
		planKeydown(session, key('y', { ctrlKey: true }));
		expect(session.dirty).toBe(true);
		expect(planKeydown(session, key('m'))).toBe(false);
		expect(session.tool).toBe('merge');
		planKeydown(session, key('s', { inField: true }));
		expect(session.tool).toBe('merge');
		planKeydown(session, key('s', { altKey: true }));
		expect(session.tool).toBe('merge');
		planKeydown(session, key('Escape'));
		expect(session.tool).toBe('select');
	});

	it('Esc closes the publish dialog before anything else', async () => {
		const { session } = await openSession();
		session.setTool('split');
		session.publishOpen = true;
		planKeydown(session, key('Escape', { inField: true }));
		expect(session.publishOpen).toBe(false);
		expect(session.tool).toBe('split');
	});

	it('Ctrl+S saves a dirty draft', async () => {
		const { session, server } = await openSession({
			[`PUT ${P}/draft`]: () => [200, { draft: serverDraft(2) }]
		});
		expect(planKeydown(session, key('s', { ctrlKey: true }))).toBe(true);
		expect(server.calls.some((c) => c.method === 'PUT')).toBe(false);
		makeDirty(session);
		planKeydown(session, key('s', { ctrlKey: true }));
		await settle();
		expect(session.serverDraft?.version).toBe(2);
	});
});
