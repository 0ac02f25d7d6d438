import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { CfpErrors } from '../../modules/cfp/cfp.errors.js';
import { findCfpBySlug } from '../../modules/cfp/cfp.queries.js';
import { SESSION_KIND_LABELS } from '../../modules/program/session.js';
import { paths } from '../components/html.js';
import { Page } from '../layouts/page.js';
import { cfpPaths, localWhen, TextParagraphs, windowOf, windowSentence } from './parts.js';

/*
 *   GET /events/:slug/cfp   the call for proposals: its text, dates in the event's zone, formats,
 *                           whether it is open, and the link to submit (which signs in first).
 * The page exists once organizers set up a call, also while the event itself is a draft (a call
 * usually opens long before the programme is published). It is the same for everyone (no
 * cookie read), but whether the call is open changes with the clock, not with the event's
 * version, so it is rendered per request and revalidated (no-cache) rather than kept in the
 * response cache.
 */
export async function publicCfpRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/events/:slug/cfp', async (request, reply) => {
    const slug = (request.params as { slug: string }).slug;
    const found = await findCfpBySlug(ctx.db, slug);
    if (!found) throw CfpErrors.cfpNotFound(slug);
    const { event, cfp } = found;
    const cancelled = event.cancelled_at !== null;
    const now = ctx.clock.instant();
    const open = windowOf(cfp, now, cancelled) === 'open';
    const html = Page({
      title: `Call for proposals · ${event.title}`,
      description: `Propose a session for ${event.title}.`,
      // The event's own pages exist only once it is published; a call often opens before that.
      eventNav: event.published ? { slug: event.slug, title: event.title, current: 'cfp' } : undefined,
      children: (
        <article class="cfp">
          <h1 safe>{`Call for proposals: ${event.title}`}</h1>
          <p class={open ? 'lede cfp-open' : 'lede cfp-closed'} safe>
            {windowSentence(cfp, event.time_zone, now, cancelled)}
          </p>
          <TextParagraphs text={cfp.callText} />
          <h2>Dates</h2>
          <dl class="cfp-dates">
            <dt>Opens</dt>
            <dd safe>{localWhen(cfp.opensAt, event.time_zone)}</dd>
            <dt>Closes</dt>
            <dd safe>{localWhen(cfp.closesAt, event.time_zone)}</dd>
          </dl>
          <h2>What you can propose</h2>
          <ul>
            {cfp.formats.map((f) => (
              <li safe>{`${SESSION_KIND_LABELS[f.kind]}: ${f.durationMinutes} minutes`}</li>
            ))}
          </ul>
          {open ? (
            <p>
              <a class="button" href={cfpPaths.submit(event.slug)}>
                Submit a proposal
              </a>{' '}
              <span class="hint">You sign in (or create an account) first.</span>
            </p>
          ) : (
            ''
          )}
          <p>
            <a href={cfpPaths.mine()}>Your proposals</a>
            {event.published && !event.cancelled_at ? (
              <>
                {' '}
                · <a href={paths.event(event.slug)}>The event</a>
              </>
            ) : (
              ''
            )}
          </p>
        </article>
      ),
    });
    return reply.header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(html);
  });
}
