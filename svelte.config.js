import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: {
		// Runes everywhere in our code; libraries (SvelteKit's own error page) decide for themselves.
		runes: ({ filename }) => (filename.split(/[/\\]/).includes('node_modules') ? undefined : true)
	},
	kit: {
		// precompress would gzip/brotli multi-MB bundles on every build for little gain on an intranet.
		adapter: adapter({ precompress: false }),
		// Content-Security-Policy of every page (issue 8; docs/architecture.md says why each
		// source is there). `auto`: SvelteKit adds a nonce for its inline bootstrap script.
		// No 'unsafe-eval' and no 'wasm-unsafe-eval': nothing in the page needs them (DuckDB-WASM
		// compiles its WebAssembly in its own worker, a file with its own policy). blob: workers
		// are MapLibre's. Inline style attributes (style-src-attr) are needed: Svelte's style:
		// directives set element.style.cssText and app.html has style="display: contents".
		// No inline <style> element is allowed.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'worker-src': ['self', 'blob:'],
				'connect-src': ['self'],
				'img-src': ['self', 'data:', 'blob:'],
				'style-src': ['self'],
				'style-src-attr': ['unsafe-inline'],
				'font-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		},
		// The origin check is ours (auth/handle.ts csrfProblem: every cookie-carrying write, any
		// Content-Type). SvelteKit's own would answer a Bearer script's text/plain POST with a
		// plain-text 403 before the route could give its JSON 415.
		csrf: { trustedOrigins: ['*'] },
		typescript: {
			// The generator, scripts and e2e tests are type-checked with the app.
			config: (tsconfig) => {
				tsconfig.include.push('../data/**/*.ts', '../scripts/**/*.ts', '../bench/**/*.ts');
			}
		}
	}
};

export default config;
