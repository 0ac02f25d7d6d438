/*
 * The route inventory: every route of the real app (collected by startTestApp's onRoute hook)
 * belongs to exactly one authorization matrix, and each matrix fails naming any of its routes
 * that none of its probes reached. A new route is therefore untested only until the next run.
 *
 * Where to declare a new route's access:
 *   /manage/…          test/backoffice/permissions.test.ts  (routes())
 *   /api/v1/manage/…   test/api-manage/permissions.test.ts  (routes)
 *   everything else    test/security/route-access.test.ts   (probes(), or EXEMPT with a reason)
 */

export interface Audience {
  readonly name: string;
  readonly file: string;
  readonly where: string;
  readonly owns: (route: string) => boolean;
}

const backOffice: Audience = { name: 'back office', file: 'test/backoffice/permissions.test.ts', where: 'routes()', owns: (r) => / \/manage(\/|$)/.test(r) };
const organizerApi: Audience = {
  name: 'organizer API',
  file: 'test/api-manage/permissions.test.ts',
  where: 'routes',
  owns: (r) => /^(?!OPTIONS)\w+ \/api\/v1\/manage(\/|$)/.test(r),
};
const everyoneElse: Audience = {
  name: 'public, account, attendee and attendee API',
  file: 'test/security/route-access.test.ts',
  where: 'probes() (or EXEMPT, with a reason)',
  owns: (r) => !backOffice.owns(r) && !organizerApi.owns(r),
};
export const AUDIENCES = { backOffice, organizerApi, everyoneElse } as const;

/** `GET /events/:slug/sessions/:code.ics` → a RegExp for concrete `GET /events/x/sessions/y.ics`. */
function pattern(route: string): RegExp {
  const source = route
    .replace(/[.+?^${}()|[\]\\]/g, (c) => `\\${c}`)
    .replace(/:[A-Za-z]\w*/g, '[^/]+?')
    .replace(/\*/g, '.*');
  return new RegExp(`^${source}$`);
}

/** The route a concrete `METHOD /path?query` reaches: the matching one with fewest parameters (static parts win, as in Fastify). */
export function routeOf(routes: readonly string[], request: string): string | undefined {
  const [method, target = ''] = request.split(' ');
  const concrete = `${method} ${target.split('?')[0]}`;
  const params = (r: string) => (r.match(/[:*]/g) ?? []).length;
  return routes.filter((r) => pattern(r).test(concrete)).sort((a, b) => params(a) - params(b))[0];
}

/**
 * The audience's routes that no probe reached, each with what to do about it; empty when covered.
 * `probes` are concrete requests (`POST /manage/events/3/rooms`) or routes as declared (`GET /sw.js`).
 */
export function uncoveredRoutes(audience: Audience, routes: readonly string[], probes: Iterable<string>): string[] {
  const reached = new Set<string>();
  for (const probe of probes) {
    const route = routes.includes(probe) ? probe : routeOf(routes, probe);
    if (route) reached.add(route);
  }
  return routes
    .filter((r) => audience.owns(r) && !reached.has(r))
    .map((r) => `${r} is in no ${audience.name} matrix: add a probe for it to ${audience.where} in ${audience.file}, saying which roles may use it`);
}
