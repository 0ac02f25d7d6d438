import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { CfpErrors } from '../../modules/cfp/cfp.errors.js';
import { findCfpBySlug } from '../../modules/cfp/cfp.queries.js';
import { CfpSchema, toCfpJson } from './cfp.schemas.js';
import { one } from './zod-schema.js';
import { commonResponses, ErrorSchema, EventParams } from './schemas.js';

/**
 * GET /events/:slug/cfp: the event's call for proposals as its web page shows it (state, dates,
 * text, formats). Like that page it exists once organizers set up a call, also while the event is
 * a draft (a call opens long before the programme is published). Not cached (`no-store`): the
 * state changes with the clock, not with the event's version.
 */
export async function cfpRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get<{ Params: { slug: string } }>(
    '/events/:slug/cfp',
    {
      schema: {
        tags: ['events'],
        operationId: 'getEventCfp',
        summary: 'Call for proposals',
        description:
          'Whether the event takes proposals now, its dates (UTC, and the event’s zone they are set in), its text and the formats with their durations. CFP_NOT_FOUND (404) when the event has no call. Propose with POST /api/v1/me/events/{slug}/proposals.',
        params: EventParams,
        response: {
          200: one(CfpSchema, 'The call for proposals.'),
          422: commonResponses[422],
          404: ErrorSchema.describe('No such event, or it has no call for proposals (CFP_NOT_FOUND).'),
        },
      },
    },
    async (request, reply) => {
      const found = await findCfpBySlug(ctx.db, request.params.slug);
      if (!found) throw CfpErrors.cfpNotFound(request.params.slug);
      reply.header('Cache-Control', 'no-store');
      return { data: toCfpJson(found.event, found.cfp, ctx.clock.instant()) };
    },
  );
}
