import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	build: {
		// Fonts stay files: the Content-Security-Policy allows fonts from 'self' only, not data:
		// URIs (Vite would otherwise inline the small Noto Sans SC subsets).
		assetsInlineLimit: (file) => (/\.(woff2?|ttf|otf)$/.test(file) ? false : undefined)
	},
	worker: { format: 'es' },
	test: {
		include: ['src/**/*.test.ts', 'data/**/*.test.ts'],
		environment: 'node',
		testTimeout: 60_000,
		// beforeAll hooks build whole demo cities; on a loaded two-core CI machine that passes 10 s.
		hookTimeout: 120_000
	}
});
