import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { privatePages } from '../private.js';
import { communityPageRoutes } from './community-page.js';
import { membershipRoutes } from './membership.js';

/**
 * Meetup groups (issue 5): the public community page (cached for everyone) and the private
 * membership confirm page with its Join/Leave posts. The organizers' pages (series, members)
 * are in backoffice/groups.tsx.
 */
export async function groupPages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await communityPageRoutes(app, ctx);
  await privatePages(app, ctx, async (scope) => {
    await membershipRoutes(scope, ctx);
  });
}
