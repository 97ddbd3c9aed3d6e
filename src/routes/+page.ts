// The command map is a client-side app: MapLibre, deck.gl and the workers need a browser.
export const ssr = false;
