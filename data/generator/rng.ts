/**
 * Seeded pseudo-random numbers (sfc32, seeded through splitmix32). Every subsystem forks its
 * own stream by label, so changing how many numbers one part draws does not shift the others.
 */

function splitmix32(state: number): () => number {
	let s = state >>> 0;
	return () => {
		s = (s + 0x9e3779b9) >>> 0;
		let z = s;
		z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
		z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
		return (z ^ (z >>> 16)) >>> 0;
	};
}

/** FNV-1a hash of a string, for deriving stream seeds from labels. */
export function hashString(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h >>> 0;
}

export class Rng {
	private a: number;
	private b: number;
	private c: number;
	private d: number;
	readonly seed: number;

	constructor(seed: number) {
		this.seed = seed >>> 0;
		const sm = splitmix32(this.seed);
		this.a = sm();
		this.b = sm();
		this.c = sm();
		this.d = sm();
		for (let i = 0; i < 12; i++) this.nextU32();
	}

	/** A new independent stream derived from this stream's seed and a label. */
	fork(label: string): Rng {
		return new Rng((Math.imul(this.seed ^ 0x5bd1e995, 0x27d4eb2d) ^ hashString(label)) >>> 0);
	}

	nextU32(): number {
		const t = (((this.a + this.b) | 0) + this.d) | 0;
		this.d = (this.d + 1) | 0;
		this.a = this.b ^ (this.b >>> 9);
		this.b = (this.c + (this.c << 3)) | 0;
		this.c = (this.c << 21) | (this.c >>> 11);
		this.c = (this.c + t) | 0;
		return t >>> 0;
	}

	/** Uniform in [0, 1). */
	next(): number {
		return this.nextU32() / 4294967296;
	}

	/** Uniform in [lo, hi). */
	range(lo: number, hi: number): number {
		return lo + (hi - lo) * this.next();
	}

	/** Integer uniform in [lo, hi] (inclusive). */
	int(lo: number, hi: number): number {
		return lo + Math.floor(this.next() * (hi - lo + 1));
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	/** Standard normal (Box–Muller). */
	normal(): number {
		let u = this.next();
		while (u <= 1e-12) u = this.next();
		const v = this.next();
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
	}

	pick<T>(items: readonly T[]): T {
		if (items.length === 0) throw new Error('pick from empty list');
		return items[Math.floor(this.next() * items.length)];
	}

	/** Index drawn with probability proportional to weights[i]. */
	weighted(weights: ArrayLike<number>): number {
		let total = 0;
		for (let i = 0; i < weights.length; i++) total += weights[i];
		let r = this.next() * total;
		for (let i = 0; i < weights.length; i++) {
			r -= weights[i];
			if (r < 0) return i;
		}
		return weights.length - 1;
	}

	shuffle<T>(items: T[]): T[] {
		for (let i = items.length - 1; i > 0; i--) {
			const j = Math.floor(this.next() * (i + 1));
			const tmp = items[i];
			items[i] = items[j];
			items[j] = tmp;
		}
		return items;
	}
}

/**
 * Walker alias table: O(1) draws from a fixed discrete distribution. Used for the million-row
 * incident sampler.
 */
export class AliasTable {
	readonly size: number;
	private readonly prob: Float64Array;
	private readonly alias: Int32Array;

	constructor(weights: ArrayLike<number>) {
		const n = weights.length;
		if (n === 0) throw new Error('alias table needs at least one weight');
		this.size = n;
		this.prob = new Float64Array(n);
		this.alias = new Int32Array(n);
		let total = 0;
		for (let i = 0; i < n; i++) total += Math.max(0, weights[i]);
		if (!(total > 0)) throw new Error('alias table needs a positive weight');
		const scaled = new Float64Array(n);
		for (let i = 0; i < n; i++) scaled[i] = (Math.max(0, weights[i]) * n) / total;
		const small: number[] = [];
		const large: number[] = [];
		for (let i = 0; i < n; i++) (scaled[i] < 1 ? small : large).push(i);
		while (small.length > 0 && large.length > 0) {
			const s = small.pop() as number;
			const l = large.pop() as number;
			this.prob[s] = scaled[s];
			this.alias[s] = l;
			scaled[l] = scaled[l] + scaled[s] - 1;
			(scaled[l] < 1 ? small : large).push(l);
		}
		for (const i of large) {
			this.prob[i] = 1;
			this.alias[i] = i;
		}
		for (const i of small) {
			this.prob[i] = 1;
			this.alias[i] = i;
		}
	}

	sample(rng: Rng): number {
		const u = rng.next() * this.size;
		const i = Math.floor(u);
		return u - i < this.prob[i] ? i : this.alias[i];
	}
}
