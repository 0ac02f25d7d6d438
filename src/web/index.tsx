import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../http/context.js';
import { accountPages } from './account/index.js';
import { attendeePages } from './attendee/index.js';
import { backofficePages } from './backoffice/index.js';
import { cfpPages } from './cfp/index.js';
import { groupPages } from './groups/index.js';
import { Page } from './layouts/page.js';
import { registrationPages } from './registration/index.js';
import { changelogRoutes } from './public/changelog.js';
import { eventRoutes } from './public/event.js';
import { homeRoutes } from './public/home.js';
import { liveRoutes } from './public/live.js';
import { scheduleRoutes } from './public/schedule.js';
import { sessionRoutes } from './public/session.js';
import { speakerRoutes } from './public/speakers.js';
import { stylesheetRoutes } from './public/stylesheets.js';

/**
 * Registers every server-rendered page. Public pages only read published snapshots; event-scoped
 * pages go through the response cache (ETag/304, rendered once per event version).
 *
 *   GET /                                 communities and their upcoming and past events
 *   GET /communities/:slug                a community (group): events, members count, join (groups/)
 *   GET /events/:slug                     event page
 *   GET /events/:slug/schedule            grid or list (?day=YYYY-MM-DD, ?view=list); meetup agenda
 *   GET /events/:slug/changelog[.atom]    the programme's releases and what each changed (HTML, Atom)
 *   GET /events/:slug/sessions/:code      session page
 *   GET /events/:slug/speakers            speakers with at least one session
 *   GET /events/:slug/speakers/:code      speaker page
 *   GET /events/:slug/theme.css           track colours
 *   GET /events/:slug/live                Server-Sent Events: a new release (assets/live.js)
 *   GET /events/:slug/cfp                 the call for proposals (cfp/: submitting, one's proposals)
 *   GET /assets/grid.css                  schedule grid placement classes
 */
export async function webRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await homeRoutes(app, ctx);
  await eventRoutes(app, ctx);
  await scheduleRoutes(app, ctx);
  await changelogRoutes(app, ctx);
  await sessionRoutes(app, ctx);
  await speakerRoutes(app, ctx);
  await stylesheetRoutes(app, ctx);
  await liveRoutes(app, ctx);
  await backofficePages(app, ctx);
  await accountPages(app, ctx);
  await registrationPages(app, ctx);
  await attendeePages(app, ctx);
  await groupPages(app, ctx);
  await cfpPages(app, ctx);
}

/** The HTML error page (404, 400, 500) in the site layout. */
export async function renderErrorPage(status: number, message: string): Promise<string> {
  const heading = status === 404 ? 'Page not found' : status >= 500 ? 'Something went wrong' : 'That did not work';
  return Page({
    title: heading,
    children: (
      <section class="error-page">
        <h1>{heading}</h1>
        <p safe>{message}</p>
        <p>
          <a href="/">Back to the home page</a>
        </p>
      </section>
    ),
  });
}
