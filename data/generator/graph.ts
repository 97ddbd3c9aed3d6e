/**
 * A routable graph over the generated roads: nodes at vertices and at crossings, edge cost =
 * length × class factor. Used to make hazmat lanes and land patrols follow real roads.
 */
import type { RoadClass } from '../../src/lib/domain/city.ts';
import { distM, type Pt } from './geom.ts';

const CLASS_COST: Record<RoadClass, number> = { expressway: 0.45, arterial: 0.7, local: 1 };

interface Edge {
	to: number;
	cost: number;
}

export class RoadGraph {
	readonly nodes: Pt[] = [];
	readonly nodeClass: RoadClass[] = [];
	readonly adj: Edge[][] = [];
	/** Connected component id per node, and the id of the largest component. */
	readonly component: Int32Array;
	readonly mainComponent: number;
	private readonly ids = new Map<string, number>();

	constructor(lines: { coords: Pt[]; cls: RoadClass }[]) {
		// Segment list and crossing detection on a uniform hash grid.
		const segs: { a: Pt; b: Pt; line: number; idx: number }[] = [];
		lines.forEach((l, li) => {
			for (let i = 1; i < l.coords.length; i++)
				segs.push({ a: l.coords[i - 1], b: l.coords[i], line: li, idx: i - 1 });
		});
		const cell = 0.004;
		const grid = new Map<string, number[]>();
		segs.forEach((s, si) => {
			const x0 = Math.floor(Math.min(s.a[0], s.b[0]) / cell);
			const x1 = Math.floor(Math.max(s.a[0], s.b[0]) / cell);
			const y0 = Math.floor(Math.min(s.a[1], s.b[1]) / cell);
			const y1 = Math.floor(Math.max(s.a[1], s.b[1]) / cell);
			for (let x = x0; x <= x1; x++)
				for (let y = y0; y <= y1; y++) {
					const k = x + ',' + y;
					const list = grid.get(k);
					if (list) list.push(si);
					else grid.set(k, [si]);
				}
		});
		const splits: number[][] = segs.map(() => []);
		const done = new Set<string>();
		for (const list of grid.values()) {
			for (let i = 0; i < list.length; i++)
				for (let j = i + 1; j < list.length; j++) {
					const si = list[i];
					const sj = list[j];
					const s = segs[si];
					const t = segs[sj];
					if (s.line === t.line && Math.abs(s.idx - t.idx) <= 1) continue;
					const pk = si < sj ? si + ':' + sj : sj + ':' + si;
					if (done.has(pk)) continue;
					done.add(pk);
					const rx = s.b[0] - s.a[0];
					const ry = s.b[1] - s.a[1];
					const qx = t.b[0] - t.a[0];
					const qy = t.b[1] - t.a[1];
					const den = rx * qy - ry * qx;
					if (den === 0) continue;
					const u = ((t.a[0] - s.a[0]) * qy - (t.a[1] - s.a[1]) * qx) / den;
					const v = ((t.a[0] - s.a[0]) * ry - (t.a[1] - s.a[1]) * rx) / den;
					if (u < 0 || u > 1 || v < 0 || v > 1) continue;
					splits[si].push(u);
					splits[sj].push(v);
				}
		}
		segs.forEach((s, si) => {
			const cls = lines[s.line].cls;
			const ts = [0, ...splits[si].sort((a, b) => a - b), 1];
			let prev = this.node(s.a, cls);
			for (let k = 1; k < ts.length; k++) {
				const t = ts[k];
				const p: Pt =
					t === 1 ? s.b : [s.a[0] + (s.b[0] - s.a[0]) * t, s.a[1] + (s.b[1] - s.a[1]) * t];
				const id = this.node(p, cls);
				if (id !== prev) {
					const cost = distM(this.nodes[prev], this.nodes[id]) * CLASS_COST[cls];
					this.adj[prev].push({ to: id, cost });
					this.adj[id].push({ to: prev, cost });
				}
				prev = id;
			}
		});
		// Components.
		this.component = new Int32Array(this.nodes.length).fill(-1);
		const sizes: number[] = [];
		for (let start = 0; start < this.nodes.length; start++) {
			if (this.component[start] >= 0) continue;
			const id = sizes.length;
			let size = 0;
			const stack = [start];
			this.component[start] = id;
			while (stack.length > 0) {
				const n = stack.pop() as number;
				size++;
				for (const e of this.adj[n])
					if (this.component[e.to] < 0) {
						this.component[e.to] = id;
						stack.push(e.to);
					}
			}
			sizes.push(size);
		}
		let main = 0;
		sizes.forEach((s, i) => {
			if (s > sizes[main]) main = i;
		});
		this.mainComponent = main;
	}

	private node(p: Pt, cls: RoadClass): number {
		const k = Math.round(p[0] * 1e6) + ',' + Math.round(p[1] * 1e6);
		let id = this.ids.get(k);
		if (id === undefined) {
			id = this.nodes.length;
			this.ids.set(k, id);
			this.nodes.push([p[0], p[1]]);
			this.nodeClass.push(cls);
			this.adj.push([]);
		} else if (cls === 'expressway' || (cls === 'arterial' && this.nodeClass[id] === 'local')) {
			this.nodeClass[id] = cls;
		}
		return id;
	}

	/** Nearest node (in the main component, optionally filtered). */
	nearest(p: Pt, filter: (id: number) => boolean = () => true): number {
		let best = -1;
		let bestD = Infinity;
		for (let i = 0; i < this.nodes.length; i++) {
			if (this.component[i] !== this.mainComponent || !filter(i)) continue;
			const d = distM(p, this.nodes[i]);
			if (d < bestD) {
				bestD = d;
				best = i;
			}
		}
		if (best < 0) throw new Error('no road node found');
		return best;
	}

	/** Dijkstra from `from` until a node satisfying `isTarget` is settled; returns node ids. */
	route(from: number, isTarget: (id: number) => boolean): number[] | null {
		const n = this.nodes.length;
		const dist = new Float64Array(n).fill(Infinity);
		const prev = new Int32Array(n).fill(-1);
		const heap: [number, number][] = [];
		const push = (d: number, id: number) => {
			heap.push([d, id]);
			let i = heap.length - 1;
			while (i > 0) {
				const p = (i - 1) >> 1;
				if (heap[p][0] < heap[i][0] || (heap[p][0] === heap[i][0] && heap[p][1] <= heap[i][1]))
					break;
				[heap[p], heap[i]] = [heap[i], heap[p]];
				i = p;
			}
		};
		const pop = (): [number, number] => {
			const top = heap[0];
			const last = heap.pop() as [number, number];
			if (heap.length > 0) {
				heap[0] = last;
				let i = 0;
				for (;;) {
					const l = 2 * i + 1;
					const r = l + 1;
					let m = i;
					const less = (a: number, b: number) =>
						heap[a][0] < heap[b][0] || (heap[a][0] === heap[b][0] && heap[a][1] < heap[b][1]);
					if (l < heap.length && less(l, m)) m = l;
					if (r < heap.length && less(r, m)) m = r;
					if (m === i) break;
					[heap[m], heap[i]] = [heap[i], heap[m]];
					i = m;
				}
			}
			return top;
		};
		dist[from] = 0;
		push(0, from);
		while (heap.length > 0) {
			const [d, u] = pop();
			if (d > dist[u]) continue;
			if (u !== from && isTarget(u)) {
				const path = [u];
				let c = u;
				while (prev[c] >= 0) {
					c = prev[c];
					path.push(c);
				}
				return path.reverse();
			}
			for (const e of this.adj[u]) {
				const nd = d + e.cost;
				if (nd < dist[e.to]) {
					dist[e.to] = nd;
					prev[e.to] = u;
					push(nd, e.to);
				}
			}
		}
		return null;
	}

	path(ids: number[]): Pt[] {
		return ids.map((i) => [this.nodes[i][0], this.nodes[i][1]]);
	}
}
