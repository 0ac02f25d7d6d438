import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { getPublicRegistration } from '../../modules/registration/registration-state.queries.js';
import type { RegistrationContext } from '../../modules/registration/rsvp.queries.js';
import { one } from './zod-schema.js';
import { PublicRegistrationSchema } from './registration.schemas.js';
import { commonResponses, EventParams } from './schemas.js';

/**
 * GET /events/:slug/registration: what anyone may know about RSVPs to a published event (what
 * its RSVP form and seat line show: status, window, seats left, waitlist length, guest limit,
 * questions, ticket types). Never names or addresses. Not cached (`no-store`): seats change with
 * every RSVP, and RSVPs do not change the event's version.
 */
export async function registrationRoutes(app: FastifyInstance, ctx: AppContext, rctx: RegistrationContext): Promise<void> {
  app.get<{ Params: { slug: string } }>(
    '/events/:slug/registration',
    {
      schema: {
        tags: ['events'],
        operationId: 'getEventRegistration',
        summary: 'Registration state',
        description:
          'Whether the event takes RSVPs, its seats left and waitlist, and what an RSVP asks (guests, questions, ticket types). RSVP with PUT /api/v1/me/events/{slug}/rsvp.',
        params: EventParams,
        response: { 200: one(PublicRegistrationSchema, 'The registration state.'), 404: commonResponses[404], 422: commonResponses[422] },
      },
    },
    async (request, reply) => {
      const head = await ctx.snapshots.publishedHead(request.params.slug);
      reply.header('Cache-Control', 'no-store');
      return { data: await getPublicRegistration(ctx.db, rctx, head.id) };
    },
  );
}
