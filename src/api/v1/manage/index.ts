import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../http/context.js';
import type { RegistrationContext } from '../../../modules/registration/rsvp.queries.js';
import { AccountErrors } from '../../../modules/accounts/account.errors.js';
import { tokenScope } from '../token-scope.js';
import { attendeeRoutes } from './attendees.routes.js';
import { cfpRoutes } from './cfp.routes.js';
import { communityRoutes, eventRoutes } from './events.routes.js';
import { groupRoutes } from './groups.routes.js';
import { importRoutes } from './import.routes.js';
import { interestRoutes } from './interest.routes.js';
import { programRoutes } from './program.routes.js';
import { proposeRoutes } from './propose.routes.js';
import { registrationRoutes } from './registration.routes.js';
import { releaseRoutes } from './releases.routes.js';
import { scheduleRoutes } from './schedule.routes.js';
import { sessionRoutes } from './sessions.routes.js';
import { speakerRoutes } from './speakers.routes.js';
import { webhookRoutes } from './webhooks.routes.js';

/**
 * The organizer API under /api/v1/manage: create and edit communities, events and their
 * programme, import frab schedules, run registration (settings, capacity, attendees, check-in),
 * list community members, run event series, release the programme, manage webhooks, and run the call for proposals
 * (settings, reviews, decisions, scheduling), with the same actions (and so the same rules and
 * permissions) as the back office.
 *
 * Authentication is a personal access token only (see tokenScope), of an account with a confirmed
 * e-mail address (else 403 EMAIL_NOT_VERIFIED).
 */
export async function manageRoutes(v1: FastifyInstance, ctx: AppContext, rctx: RegistrationContext): Promise<void> {
  await v1.register(
    async (scope) => {
      tokenScope(scope, ctx);
      // Organizing needs a confirmed address, whatever the token's owner was granted before.
      scope.addHook('onRequest', async (request) => {
        if (request.actor && !request.actor.emailVerified) throw AccountErrors.emailNotVerified();
      });
      await communityRoutes(scope, ctx);
      await eventRoutes(scope, ctx);
      await programRoutes(scope, ctx);
      await speakerRoutes(scope, ctx);
      await sessionRoutes(scope, ctx);
      await releaseRoutes(scope, ctx);
      await registrationRoutes(scope, ctx, rctx);
      await attendeeRoutes(scope, ctx, rctx);
      await groupRoutes(scope, ctx);
      await webhookRoutes(scope, ctx);
      await cfpRoutes(scope, ctx);
      await scheduleRoutes(scope, ctx);
      await proposeRoutes(scope, ctx);
      await interestRoutes(scope, ctx);
      await scope.register(async (imports) => importRoutes(imports, ctx));
    },
    { prefix: '/manage' },
  );
}
