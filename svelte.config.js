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
		typescript: {
			// The generator, scripts and e2e tests are type-checked with the app.
			config: (tsconfig) => {
				tsconfig.include.push('../data/**/*.ts', '../scripts/**/*.ts', '../bench/**/*.ts');
			}
		}
	}
};

export default config;
