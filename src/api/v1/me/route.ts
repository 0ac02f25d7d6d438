import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../http/context.js';
import { tokenRoute, type TokenRouteSpec } from '../token-route.js';

/** Declares one attendee-API route (tag "Attendee"); see tokenRoute. */
export function meRoute(app: FastifyInstance, spec: TokenRouteSpec): void {
  tokenRoute(app, 'Attendee', spec);
}

/** The id of the published event behind a slug. @throws EVENT_NOT_FOUND (404; drafts too). */
export async function publishedEventId(ctx: AppContext, slug: string): Promise<number> {
  return (await ctx.snapshots.publishedHead(slug)).id;
}
