import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { AppContext } from '../../../http/context.js';
import { listEventReleases, previewRelease, releaseSchedule, sendHeldReleaseMails, type ReleaseResult } from '../../../modules/schedule/release.actions.js';
import type { Placement, ReleaseChange } from '../../../modules/schedule/release.js';
import { describeChange, type SpeakerNotice } from '../../../modules/schedule/release-mail.js';
import { changeWording, type ReleaseRecord } from '../../../modules/schedule/release.queries.js';
import { manageRoute } from './route.js';
import {
  listOf,
  one,
  ReleaseBody,
  ReleaseOutcomeSchema,
  ReleasePreviewSchema,
  type ReleaseChangeSchema,
  type ReleaseRecordSchema,
  ReleaseWithChangesSchema,
  type SpeakerNoticeSchema,
} from './schemas.js';

/*
 * Releasing an event's programme (organizers), the same actions as the back office's Releases tab
 * and `hallway schedule release`:
 *   GET  /events/:eventId/releases                        every release, newest first, with its changes
 *   GET  /events/:eventId/releases/preview                what releasing now would publish, and whom it would mail
 *   POST /events/:eventId/releases                        201: the new release; 409 RELEASE_NOTHING_CHANGED / RELEASE_NAME_TAKEN
 *   POST /events/:eventId/releases/:name/send-mails       the held speaker mails of that release (name URL-encoded)
 */
export async function releaseRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  /** Changes as JSON, each with its line in words (times in the event's zone, speakers named). */
  const changesJson = async (eventId: number) => {
    const wording = await changeWording(ctx.db, eventId);
    return (changes: readonly ReleaseChange[]) => changes.map((c) => toChangeJson(c, wording ? describeChange(c, wording.timeZone, wording.speakerName) : ''));
  };
  const outcome = async (eventId: number, r: ReleaseResult) => ({
    data: {
      release: { ...toReleaseJson(r.release), changes: (await changesJson(eventId))(r.changes) },
      mailsQueued: r.mailsQueued,
      speakers: r.notices.map(toNoticeJson),
    },
  });

  manageRoute(app, {
    method: 'GET',
    url: '/events/:eventId/releases',
    params: ['eventId'],
    operationId: 'listReleases',
    summary: "An event's releases",
    description: 'Organizers. Every released version of the programme, newest first, each with its changes and the state of its speaker mails.',
    ok: { status: 200, schema: listOf(ReleaseWithChangesSchema, 'The releases.') },
    errors: [403, 404],
    handler: async (_request, _reply, { actor, ids }) => {
      const releases = await listEventReleases(ctx, actor, ids.eventId!);
      const json = await changesJson(ids.eventId!);
      return { data: releases.map((r) => ({ ...toReleaseJson(r), changes: json(r.changes) })) };
    },
  });
  manageRoute(app, {
    method: 'GET',
    url: '/events/:eventId/releases/preview',
    params: ['eventId'],
    operationId: 'previewRelease',
    summary: 'What a release would publish',
    description:
      'Organizers. The changes of the draft programme since the last release (placement, status and speakers are versioned; titles and texts are live), the name a release would get, and the speakers it would mail. Writes nothing.',
    ok: { status: 200, schema: one(ReleasePreviewSchema, 'The preview.') },
    errors: [403, 404],
    handler: async (_request, _reply, { actor, ids }) => {
      const p = await previewRelease(ctx, actor, ids.eventId!);
      return {
        data: {
          latest: p.latest ? toReleaseJson(p.latest) : null,
          nextName: p.nextName,
          changes: (await changesJson(ids.eventId!))(p.changes),
          speakers: p.notices.map(toNoticeJson),
        },
      };
    },
  });
  manageRoute(app, {
    method: 'POST',
    url: '/events/:eventId/releases',
    params: ['eventId'],
    operationId: 'releaseSchedule',
    summary: 'Release the draft programme',
    description:
      'Organizers. The draft becomes the new public version in one transaction: the public pages, API, exports, calendars and webhooks show it from now on (the first release publishes the event), its changes go to the changelog, and each speaker whose session is new, moved, cancelled or removed gets one mail unless holdSpeakerMails is true. RELEASE_NOTHING_CHANGED (409) when the draft equals the last release, RELEASE_NAME_TAKEN (409) for a name already used; nothing is written then.',
    body: ReleaseBody,
    ok: { status: 201, schema: one(ReleaseOutcomeSchema, 'The new release, its changes and the speaker mails.') },
    errors: [400, 403, 404, 409, 413, 415, 422],
    handler: async (request, reply, { actor, ids }) => {
      const r = await releaseSchedule(ctx, actor, ids.eventId!, request.body ?? {});
      reply.header('Location', `/api/v1/manage/events/${ids.eventId}/releases`);
      return outcome(ids.eventId!, r);
    },
  });
  manageRoute(app, {
    method: 'POST',
    url: '/events/:eventId/releases/:name/send-mails',
    params: ['eventId'],
    textParams: ['name'],
    operationId: 'sendReleaseMails',
    summary: 'Send the held speaker mails of a release',
    description:
      'Organizers. Queues the mails a release held (with the programme as it is public now as the calendar attachment). The name is URL-encoded. RELEASE_NOT_FOUND (404), RELEASE_MAILS_NOT_HELD (409) when they were sent already or nobody needed one.',
    ok: { status: 200, schema: one(ReleaseOutcomeSchema, 'The release and the mails queued.') },
    errors: [403, 404, 409],
    handler: async (request, _reply, { actor, ids }) => {
      const { name } = request.params as { name: string };
      return outcome(ids.eventId!, await sendHeldReleaseMails(ctx, actor, ids.eventId!, name));
    },
  });
}

function toReleaseJson(r: ReleaseRecord): z.infer<typeof ReleaseRecordSchema> {
  return {
    id: r.id,
    number: r.number,
    name: r.name,
    comment: r.comment,
    releasedAt: r.releasedAt,
    releasedBy: r.releasedBy,
    notifications: r.notifications,
    changeCount: r.changeCount,
  };
}

const placementJson = (p: Placement | undefined) => (p ? { room: p.roomName, startsAt: p.startsAt, endsAt: p.endsAt } : null);

function toChangeJson(c: ReleaseChange, description: string): z.infer<typeof ReleaseChangeSchema> {
  return {
    sessionId: c.sessionId,
    code: c.code,
    title: c.title,
    kind: c.kind,
    from: placementJson(c.from),
    to: placementJson(c.to),
    speakersBefore: c.speakersBefore ? [...c.speakersBefore] : null,
    speakersAfter: c.speakersAfter ? [...c.speakersAfter] : null,
    description,
  };
}

function toNoticeJson(n: SpeakerNotice): z.infer<typeof SpeakerNoticeSchema> {
  return { speakerId: n.speakerId, name: n.name, email: n.to, changes: n.changes.length };
}
