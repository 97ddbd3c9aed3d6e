/**
 * Orders the page's questions to DuckDB. DuckDB-WASM answers one query at a time, in the order
 * asked; after a filter change, the map's clusters would otherwise wait behind the histogram,
 * the counts and the rankings of the previous change. The scheduler runs one job at a time, the
 * most urgent first, and a newer job for the same slot replaces one that has not started yet.
 */
export interface Job<T> {
	/** One job per slot is kept waiting: a newer one replaces it. */
	slot: string;
	/** Lower runs first. */
	priority: number;
	run: () => Promise<T>;
}

interface Waiting {
	job: Job<unknown>;
	resolve: (value: unknown) => void;
	reject: (error: unknown) => void;
	order: number;
}

/** Thrown into the promise of a job that a newer job for its slot replaced before it ran. */
export class Superseded extends Error {
	constructor(slot: string) {
		super(`superseded: ${slot}`);
		this.name = 'Superseded';
	}
}

export class QueryScheduler {
	private readonly waiting = new Map<string, Waiting>();
	private running = false;
	private order = 0;

	schedule<T>(job: Job<T>): Promise<T> {
		return new Promise<T>((resolve, reject) => {
			const replaced = this.waiting.get(job.slot);
			if (replaced) replaced.reject(new Superseded(job.slot));
			this.waiting.set(job.slot, {
				job: job as Job<unknown>,
				resolve: resolve as (value: unknown) => void,
				reject,
				order: this.order++
			});
			void this.pump();
		});
	}

	/** Jobs waiting to run (not counting the one running). */
	get pending(): number {
		return this.waiting.size;
	}

	/** Whether a job is running or waiting. */
	get busy(): boolean {
		return this.running || this.waiting.size > 0;
	}

	private next(): Waiting | undefined {
		let best: Waiting | undefined;
		for (const w of this.waiting.values()) {
			if (
				!best ||
				w.job.priority < best.job.priority ||
				(w.job.priority === best.job.priority && w.order < best.order)
			)
				best = w;
		}
		return best;
	}

	private async pump(): Promise<void> {
		if (this.running) return;
		this.running = true;
		try {
			for (let w = this.next(); w; w = this.next()) {
				this.waiting.delete(w.job.slot);
				try {
					w.resolve(await w.job.run());
				} catch (e) {
					w.reject(e);
				}
			}
		} finally {
			this.running = false;
		}
	}
}
