import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { registrationContext } from '../../modules/registration/rsvp.queries.js';
import { privatePages } from '../private.js';
import { checkinRoutes } from './checkin.js';
import { liveCountsRoutes } from './live-counts.js';
import { manageLinkRoutes } from './manage-link.js';
import { myEventsRoutes } from './my-events.js';
import { organizerRoutes } from './organizer.js';
import { rsvpRoutes } from './rsvp.js';
import { sessionSignupRoutes } from './session-signup.js';
import { ticketRoutes } from './ticket.js';

/**
 * Registration pages (see each file for its routes): the attendee's RSVP, ticket and session
 * sign-ups, the mailed "update my RSVP" link (no sign-in), the organizer's registration page and
 * the check-in page, all inside `privatePages` (no-store, CSRF-checked posts); and the live seat
 * counts for the public event page's script, outside it (no cookie read, never cached).
 */
export async function registrationPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const rctx = await registrationContext(ctx.db, ctx.config, ctx.clock);
  await app.register(async (scope) => liveCountsRoutes(scope, ctx));
  await privatePages(app, ctx, async (scope) => {
    await rsvpRoutes(scope, ctx, rctx);
    await myEventsRoutes(scope, ctx);
    await ticketRoutes(scope, ctx, rctx);
    await sessionSignupRoutes(scope, ctx, rctx);
    await manageLinkRoutes(scope, ctx, rctx);
    await organizerRoutes(scope, ctx, rctx);
    await checkinRoutes(scope, ctx, rctx);
  });
}
