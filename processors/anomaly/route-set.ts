// The masked paths of one source→destination edge in one bucket: the smallest MAX_ROUTES by string,
// plus whether there were more. "Smallest k of the union" merges in any order to the same set, so a
// bucket's routes do not depend on how its records were cut into batches.
export const MAX_ROUTES = 32;

export interface RouteSet {
  routes: Set<string>;
  overflowed: boolean;
}

export function newRouteSet(): RouteSet {
  return { routes: new Set(), overflowed: false };
}

export function addRoute(r: RouteSet, route: string): void {
  if (r.routes.has(route)) return;
  if (r.overflowed && r.routes.size >= MAX_ROUTES && route > largest(r)) return;
  r.routes.add(route);
  if (r.routes.size >= 2 * MAX_ROUTES) trim(r);
}

export function mergeRoutes(into: RouteSet, from: RouteSet): void {
  into.overflowed ||= from.overflowed;
  for (const route of from.routes) into.routes.add(route);
  trim(into);
}

/** Keeps the smallest MAX_ROUTES; marks the set overflowed when it drops any. */
export function trim(r: RouteSet): void {
  if (r.routes.size <= MAX_ROUTES) return;
  const kept = [...r.routes].sort().slice(0, MAX_ROUTES);
  r.routes = new Set(kept);
  r.overflowed = true;
}

function largest(r: RouteSet): string {
  let max = '';
  for (const x of r.routes) if (x > max) max = x;
  return max;
}
