import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { privatePages } from '../private.js';
import { feedbackRoutes } from './feedback.js';
import { feedAndWorkerRoutes } from './feed-and-worker.js';
import { myAgendaRoutes } from './my-agenda.js';
import { noteRoutes } from './notes.js';
import { nowRoutes } from './now.js';
import { publicRecapRoutes } from './recaps-public.js';
import { recapRoutes } from './recaps.js';
import { interestRoutes } from './interest.js';
import { interestPollRoutes } from './interest-poll.js';
import { speakerLinkRoutes } from './speaker-links.js';
import { starRoutes } from './star.js';

/**
 * The attendee's pages (issue 6). Public, the same for everyone: recaps list/page/Atom, "now and
 * next", the calendar feed by secret, the service worker, the "N interested" counts (when the
 * event shows them). Private (privatePages: cookie auth, no-store, CSRF on POST): stars, my
 * agenda and its feed controls, notes, recaps, feedback, speakers' slides and video links.
 *
 * Starring from cached public pages: they cannot carry a CSRF token, so their star button is a
 * GET form to a private confirm page that holds the POST form; assets/agenda.js upgrades it to
 * an in-place toggle with the token from /my/starred.json (see star-button.ts).
 */
export async function attendeePages(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await publicRecapRoutes(app, ctx);
  await nowRoutes(app, ctx);
  await feedAndWorkerRoutes(app, ctx);
  await interestRoutes(app, ctx);
  await privatePages(app, ctx, async (scope) => {
    await starRoutes(scope, ctx);
    await myAgendaRoutes(scope, ctx);
    await noteRoutes(scope, ctx);
    await recapRoutes(scope, ctx);
    await feedbackRoutes(scope, ctx);
    await speakerLinkRoutes(scope, ctx);
    await interestPollRoutes(scope, ctx);
  });
}
