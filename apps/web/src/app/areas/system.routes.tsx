/** This area's screens (docs/web.md); each is its own chunk behind `gated`. */
export const routes = [] as const;
