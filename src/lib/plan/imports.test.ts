/**
 * The planner core has no import cycle (issue 13): every module of src/lib/plan, tests and
 * type-only imports included, is read and its relative imports followed; a cycle fails with
 * the modules on it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = dirname(fileURLToPath(import.meta.url));

function modules(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return modules(path);
		return /\.(ts|js)$/.test(name) ? [path] : [];
	});
}

/** `import … from './x'`, `export … from './x'`, `import('./x')` with a relative specifier. */
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

function importGraph(dir: string): Map<string, string[]> {
	const files = modules(dir);
	const known = new Set(files);
	const graph = new Map<string, string[]>();
	for (const file of files) {
		const text = readFileSync(file, 'utf8');
		const deps: string[] = [];
		for (const m of text.matchAll(IMPORT)) {
			const target = resolve(dirname(file), m[1]);
			const hit = [target, `${target}.ts`, join(target, 'index.ts')].find((p) => known.has(p));
			if (hit) deps.push(hit);
		}
		graph.set(file, deps);
	}
	return graph;
}

/** The first cycle found (as a path that starts and ends at one module), or null. */
function findCycle(graph: Map<string, string[]>): string[] | null {
	const state = new Map<string, 'open' | 'done'>();
	const stack: string[] = [];
	const visit = (node: string): string[] | null => {
		state.set(node, 'open');
		stack.push(node);
		for (const next of graph.get(node) ?? []) {
			if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
			if (!state.has(next)) {
				const found = visit(next);
				if (found) return found;
			}
		}
		stack.pop();
		state.set(node, 'done');
		return null;
	};
	for (const node of graph.keys())
		if (!state.has(node)) {
			const found = visit(node);
			if (found) return found;
		}
	return null;
}

describe('the planner core imports', () => {
	it('finds a cycle when there is one', () => {
		const g = new Map([
			['a', ['b']],
			['b', ['c']],
			['c', ['a']],
			['d', ['a']]
		]);
		expect(findCycle(g)).toEqual(['a', 'b', 'c', 'a']);
		expect(
			findCycle(
				new Map([
					['a', ['b']],
					['b', []]
				])
			)
		).toBeNull();
	});

	it('reads the imports of every module', () => {
		const graph = importGraph(ROOT);
		const rel = (p: string) => relative(ROOT, p);
		const deps = (m: string) => (graph.get(join(ROOT, m)) ?? []).map(rel).sort();
		expect(graph.size).toBeGreaterThan(15);
		expect(deps('edits/edge.ts')).toEqual([
			'edits/commit.ts',
			'edits/vertex.ts',
			'geometry.ts',
			'reasons.ts',
			'types.ts'
		]);
	});

	it('has no cycle', () => {
		const cycle = findCycle(importGraph(ROOT));
		expect(cycle?.map((p) => relative(ROOT, p)) ?? null).toBeNull();
	});
});
