import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { privatePages } from '../private.js';
import { invitationRoutes } from './invitation.js';
import { publicCfpRoutes } from './public.js';
import { speakerCfpRoutes } from './speaker.js';

/**
 * The call for proposals for speakers: the public call page (no cookie read) and, inside
 * `privatePages` (signed in, no-store, CSRF-checked posts), submitting and managing one's
 * proposals, and answering invitations to co-speak (invitation.tsx). The organizers' and reviewers' pages are in backoffice/cfp-settings.tsx and
 * backoffice/proposals.tsx.
 */
export async function cfpPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(async (scope) => publicCfpRoutes(scope, ctx));
  await privatePages(app, ctx, async (scope) => {
    await speakerCfpRoutes(scope, ctx);
    await invitationRoutes(scope, ctx);
  });
}
