import { describe, expect, it } from 'vitest';
import { applyEdit } from './edits/index.ts';
import type { Draft, Edit } from './types.ts';
import {
	DEFAULT_HISTORY_LIMIT,
	canRedo,
	canUndo,
	createHistory,
	pendingEdits,
	record,
	redo,
	undo,
	type History
} from './history.ts';
import { fixtureDraft } from './testing.ts';

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A random edit of a draft: split, merge, move a vertex, or reassign a worker. */
function randomEdit(d: Draft, r: () => number): Edit {
	const g = d.grids[Math.floor(r() * d.grids.length)];
	const ring = g.geometry.coordinates[0];
	const k = r();
	if (k < 0.3) {
		const xs = ring.map((p) => p[0]);
		const ys = ring.map((p) => p[1]);
		const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
		const t = 0.3 + 0.4 * r();
		const line =
			r() < 0.5
				? [
						[x0 - 0.001, y0 + (y1 - y0) * t],
						[x1 + 0.001, y0 + (y1 - y0) * (1 - t)]
					]
				: [
						[x0 + (x1 - x0) * t, y0 - 0.001],
						[x0 + (x1 - x0) * (1 - t), y1 + 0.001]
					];
		return { kind: 'split', gridId: g.properties.id, line };
	}
	if (k < 0.55) {
		const h = d.grids[Math.floor(r() * d.grids.length)];
		return { kind: 'merge', a: g.properties.id, b: h.properties.id };
	}
	if (k < 0.85) {
		const v = ring[Math.floor(r() * (ring.length - 1))];
		const to = [v[0] + (r() - 0.5) * 0.002, v[1] + (r() - 0.5) * 0.002];
		return { kind: 'moveVertex', from: v, to };
	}
	return {
		kind: 'assignWorker',
		gridId: g.properties.id,
		workerName: 'w' + Math.floor(r() * 100),
		workerPhone: ''
	};
}

describe('history', () => {
	it('restores byte-identical drafts over 60 undo and redo steps', () => {
		const r = rng(7);
		let h: History = createHistory(fixtureDraft('real-community'));
		const snapshots = [JSON.stringify(h.present.draft)];
		let tries = 0;
		while (snapshots.length <= 60 && tries++ < 2000) {
			const edit = randomEdit(h.present.draft, r);
			const res = applyEdit(h.present.draft, edit);
			if (!res.ok || res.changed.length === 0) continue;
			h = record(h, res.draft, edit);
			snapshots.push(JSON.stringify(h.present.draft));
		}
		expect(snapshots.length).toBe(61);
		const kinds = new Set([...h.past, h.present].map((e) => e.edit?.kind));
		for (const k of ['split', 'merge', 'moveVertex']) expect(kinds).toContain(k);

		for (let i = snapshots.length - 1; i > 0; i--) {
			expect(JSON.stringify(h.present.draft)).toBe(snapshots[i]);
			expect(canUndo(h)).toBe(true);
			h = undo(h);
		}
		expect(JSON.stringify(h.present.draft)).toBe(snapshots[0]);
		expect(canUndo(h)).toBe(false);
		expect(undo(h)).toBe(h);
		for (let i = 1; i < snapshots.length; i++) {
			h = redo(h);
			expect(JSON.stringify(h.present.draft)).toBe(snapshots[i]);
		}
		expect(canRedo(h)).toBe(false);
		expect(redo(h)).toBe(h);
	});

	it('keeps at most `limit` undo steps (100 by default)', () => {
		const d = fixtureDraft('square4');
		let h = createHistory(d);
		expect(h.limit).toBe(DEFAULT_HISTORY_LIMIT);
		const drafts: Draft[] = [];
		for (let i = 0; i < 120; i++) {
			const next = { ...d, grids: d.grids.slice() };
			drafts.push(next);
			h = record(h, next);
		}
		expect(h.past).toHaveLength(100);
		// The initial draft and the first 19 were dropped.
		expect(h.past[0].draft).toBe(drafts[19]);
		expect(createHistory(d, 50).limit).toBe(50);
	});

	it('drops the redo branch on a new edit and ignores a no-op', () => {
		const d = fixtureDraft('square4');
		const a = applyEdit(d, { kind: 'moveVertex', from: [117.61, 39.01], to: [117.611, 39.01] });
		const b = applyEdit(d, { kind: 'moveVertex', from: [117.61, 39.01], to: [117.609, 39.01] });
		if (!a.ok || !b.ok) throw new Error();
		const editA: Edit = { kind: 'merge', a: 'x', b: 'y' };
		let h = record(createHistory(d), a.draft, editA);
		expect(pendingEdits(h)).toEqual({ undo: editA, redo: null });
		h = undo(h);
		expect(pendingEdits(h)).toEqual({ undo: null, redo: editA });
		expect(h.present.draft).toBe(d);
		h = record(h, b.draft);
		expect(canRedo(h)).toBe(false);
		expect(record(h, h.present.draft)).toBe(h);
	});
});
