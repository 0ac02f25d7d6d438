import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../http/context.js';
import { getEventForEditing } from '../../../modules/program/backoffice.queries.js';
import type { SpeakerRecord } from '../../../modules/speakers/records.js';
import { createSpeaker, deleteSpeaker, updateSpeaker } from '../../../modules/speakers/speaker.actions.js';
import { speakerEmailsVisibleTo } from '../../../modules/speakers/speaker.queries.js';
import { manageRoute } from './route.js';
import { listOf, one, SpeakerBody, SpeakerPatchBody, SpeakerRecordSchema } from './schemas.js';

/**
 * A speaker record, with `email` (the linked account's address, or null) only when `emails` is
 * given, i.e. for those who may manage the event; for everyone else the key is absent.
 */
function withEmail(s: SpeakerRecord, emails: Map<number, string> | null): SpeakerRecord & { email?: string | null } {
  return emails ? { ...s, email: emails.get(s.id) ?? null } : s;
}

/** Speaker profiles: list, add, change, delete (organizers; track managers for their tracks' speakers). */
export async function speakerRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const db = ctx.db;
  manageRoute(app, {
    method: 'GET',
    url: '/events/:eventId/speakers',
    params: ['eventId'],
    operationId: 'listManagedSpeakers',
    summary: 'Speakers, for editing',
    description: 'Every speaker profile of the event, in display order. `email` is present only for organizers.',
    ok: { status: 200, schema: listOf(SpeakerRecordSchema, 'The speakers.') },
    errors: [400, 403, 404],
    handler: async (_request, _reply, { actor, ids }) => {
      const e = await getEventForEditing(db, actor, ids.eventId!);
      const emails = await speakerEmailsVisibleTo(db, actor, ids.eventId!);
      return { data: e.speakers.map((s) => withEmail(s, emails)) };
    },
  });

  manageRoute(app, {
    method: 'POST',
    url: '/events/:eventId/speakers',
    params: ['eventId'],
    operationId: 'createSpeaker',
    summary: 'Add a speaker',
    description: 'Organizers and track managers. The code is made from the name and never changes.',
    body: SpeakerBody,
    ok: { status: 201, schema: one(SpeakerRecordSchema, 'The new speaker.') },
    errors: [400, 403, 404, 413, 415, 422],
    handler: async (request, reply, { actor, ids }) => {
      const speaker = await createSpeaker(ctx, actor, ids.eventId!, request.body);
      reply.header('Location', `/api/v1/manage/events/${ids.eventId}/speakers/${speaker.id}`);
      return { data: withEmail(speaker, await speakerEmailsVisibleTo(db, actor, ids.eventId!)) };
    },
  });

  manageRoute(app, {
    method: 'PATCH',
    url: '/events/:eventId/speakers/:speakerId',
    params: ['eventId', 'speakerId'],
    operationId: 'updateSpeaker',
    summary: 'Change a speaker',
    description: 'Organizers; track managers only for speakers whose sessions are all in their tracks. `handles` replaces the whole set.',
    body: SpeakerPatchBody,
    ok: { status: 200, schema: one(SpeakerRecordSchema, 'The speaker as changed.') },
    errors: [400, 403, 404, 413, 415, 422],
    handler: async (request, _reply, { actor, ids }) => {
      const speaker = await updateSpeaker(ctx, actor, ids.eventId!, ids.speakerId!, request.body);
      return { data: withEmail(speaker, await speakerEmailsVisibleTo(db, actor, ids.eventId!)) };
    },
  });

  manageRoute(app, {
    method: 'DELETE',
    url: '/events/:eventId/speakers/:speakerId',
    params: ['eventId', 'speakerId'],
    operationId: 'deleteSpeaker',
    summary: 'Delete a speaker',
    description: 'As for changing. SPEAKER_HAS_SESSIONS (409) while any session (cancelled ones too) lists the speaker.',
    ok: { status: 204 },
    errors: [400, 403, 404, 409],
    handler: async (_request, _reply, { actor, ids }) => deleteSpeaker(ctx, actor, ids.eventId!, ids.speakerId!),
  });
}
