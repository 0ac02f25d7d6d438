import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../http/context.js';
import type { RegistrationContext } from '../../../modules/registration/rsvp.queries.js';
import { tokenScope } from '../token-scope.js';
import { myMembershipRoutes } from './membership.routes.js';
import { myProposalRoutes } from './proposals.routes.js';
import { myRsvpRoutes } from './rsvp.routes.js';
import { mySignupRoutes } from './signup.routes.js';

/**
 * The attendee API under /api/v1/me (tag "Attendee"): one's own RSVPs, ticket, session sign-ups
 * community memberships and proposals to calls for proposals, through the same actions (and so the same rules) as the web pages.
 * Authentication is the person's own personal access token (see tokenScope); events and sessions
 * are named by their public slug and code, as in the read API.
 */
export async function meRoutes(v1: FastifyInstance, ctx: AppContext, rctx: RegistrationContext): Promise<void> {
  await v1.register(
    async (scope) => {
      tokenScope(scope, ctx);
      await myRsvpRoutes(scope, ctx, rctx);
      await mySignupRoutes(scope, ctx, rctx);
      await myMembershipRoutes(scope, ctx);
      await myProposalRoutes(scope, ctx);
    },
    { prefix: '/me' },
  );
}
