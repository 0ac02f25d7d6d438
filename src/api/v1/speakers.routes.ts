import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { ScheduleErrors } from '../../modules/schedule/schedule.errors.js';
import { sendEventJson } from './respond.js';
import { EventParams, SpeakerParams, SpeakerSchema, commonResponses, listOf, one } from './schemas.js';
import { toSpeakerJson } from './serializers.js';

/** The speaker list and one speaker. */
export async function speakerRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const base = ctx.config.baseUrl;

  app.get<{ Params: { slug: string } }>(
    '/events/:slug/speakers',
    {
      schema: {
        tags: ['speakers'],
        operationId: 'listSpeakers',
        summary: 'Speakers',
        description: 'Speakers in display order, each with the codes of their sessions.',
        params: EventParams,
        response: { 200: listOf(SpeakerSchema, 'Speakers.'), ...commonResponses },
      },
    },
    async (request, reply) => {
      const head = await ctx.snapshots.publishedHead(request.params.slug);
      return sendEventJson(ctx, request, reply, head, async () => {
        const snap = await ctx.snapshots.snapshot(head);
        return { data: snap.speakers.map((p) => toSpeakerJson(snap, p, base)) };
      });
    },
  );

  app.get<{ Params: { slug: string; code: string } }>(
    '/events/:slug/speakers/:code',
    {
      schema: {
        tags: ['speakers'],
        operationId: 'getSpeaker',
        summary: 'One speaker',
        params: SpeakerParams,
        response: { 200: one(SpeakerSchema, 'The speaker.'), ...commonResponses },
      },
    },
    async (request, reply) => {
      const head = await ctx.snapshots.publishedHead(request.params.slug);
      const snap = await ctx.snapshots.snapshot(head);
      const speaker = snap.speakerByCode.get(request.params.code);
      if (!speaker) throw ScheduleErrors.speakerNotFound(request.params.code);
      return sendEventJson(ctx, request, reply, head, () => ({ data: toSpeakerJson(snap, speaker, base) }));
    },
  );
}
