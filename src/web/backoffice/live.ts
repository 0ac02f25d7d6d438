import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { AccountErrors } from '../../modules/accounts/account.errors.js';
import { eventForDraftFollowing } from '../../modules/live/live.queries.js';
import { streamLiveNotices } from '../live-stream.js';
import { signedInActor } from '../private.js';
import { idParam } from './shared.js';

/**
 * GET /manage/events/:eventId/live[?version=V&release=N] — Server-Sent Events for the schedule
 * editor: `event: draft` {"version"} after every change to the event's draft (events.version, from
 * any process and any organizer, this one included) and `event: release` {"number","name","changes"}.
 * Who may: whoever may open the event's back office (organizers, track managers, administrators),
 * with a confirmed address; see ../live-stream.ts.
 */
export async function livePages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/manage/events/:eventId/live', { schema: { hide: true }, exposeHeadRoute: false }, async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    if (!actor.emailVerified) throw AccountErrors.emailNotVerified();
    const event = await eventForDraftFollowing(ctx.db, actor, idParam(request, 'eventId'));
    streamLiveNotices(ctx, request, reply, event.id, 'organizer');
  });
}
