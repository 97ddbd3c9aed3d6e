// OneMap's pages are client-side apps: MapLibre, deck.gl and the workers need a browser.
// (Set on the layout, not per page: SvelteKit then also renders error pages client-side.)
export const ssr = false;
