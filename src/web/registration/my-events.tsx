import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { localLabel } from '../../modules/events/event-dates.js';
import { listMyEvents, type MyEvent } from '../../modules/registration/my-events.queries.js';
import { sendAccountPage } from '../account/page.js';
import { EventDates } from '../components/event-bits.js';
import { attrText, paths, plural } from '../components/html.js';
import { signedInActor } from '../private.js';
import { regPaths } from './shared.js';

/**
 * GET /account/events: "My events", the way back to every RSVP, waitlist place, ticket and
 * session sign-up (the confirmation mail links here), upcoming first, then the past ones.
 */
export async function myEventsRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/account/events', async (request, reply) => {
    const actor = signedInActor(request, reply);
    if (!actor) return reply;
    const events = await listMyEvents(ctx.db, actor.userId);
    // An event is past once its last local day is over (the day in the event's own zone).
    const today = (e: MyEvent) => localLabel(ctx.clock.instant(), e.timeZone).slice(0, 10);
    const upcoming = events.filter((e) => e.endDate >= today(e));
    const past = events.filter((e) => e.endDate < today(e)).reverse();
    return sendAccountPage(request, reply, {
      title: 'My events',
      body: () => (
        <>
          <h1>My events</h1>
          {events.length === 0 ? (
            <p>
              You have not answered any event yet. Events you RSVP or register to appear here, with your ticket and your place on a waitlist.{' '}
              <a href="/">Find an event</a>.
            </p>
          ) : (
            ''
          )}
          {upcoming.length ? <EventList id="upcoming" heading="Upcoming" events={upcoming} /> : ''}
          {past.length ? <EventList id="past" heading="Past" events={past} /> : ''}
          <p>
            <a href="/account/proposals">Your proposals</a> · <a href="/account">Your account</a>
          </p>
        </>
      ),
    });
  });
}

function EventList(p: { id: string; heading: string; events: readonly MyEvent[] }): JSX.Element {
  return (
    <section class="account-card my-events" aria-labelledby={`${p.id}-heading`}>
      <h2 id={`${p.id}-heading`} safe>
        {p.heading}
      </h2>
      <ul class="my-event-list">
        {p.events.map((e) => (
          <li class="my-event">
            <h3>
              <a href={attrText(paths.event(e.slug))} safe>
                {e.title}
              </a>
            </h3>
            <p>
              <EventDates startDate={e.startDate} endDate={e.endDate} />
              {e.venueName ? <span safe>{` · ${e.venueName}`}</span> : ''}
            </p>
            <p class={`rsvp-status rsvp-status-${e.status}`} safe>
              {standing(e)}
            </p>
            <p class="bo-actions">
              {e.status === 'going' && !e.cancelled ? (
                <a class="button" href={attrText(regPaths.ticket(e.slug))}>
                  Show my ticket
                </a>
              ) : (
                ''
              )}
              {!e.cancelled ? (
                <a href={attrText(regPaths.rsvp(e.slug))}>{e.status === 'going' || e.status === 'waitlisted' ? 'Change or cancel my RSVP' : 'RSVP'}</a>
              ) : (
                ''
              )}
            </p>
            {e.signups.length ? (
              <ul class="my-signups">
                {e.signups.map((s) => (
                  <li>
                    <a href={attrText(regPaths.signup(e.slug, s.sessionCode))} safe>
                      {s.title}
                    </a>{' '}
                    <span
                      safe
                    >{`${localLabel(s.startsAt, e.timeZone).slice(11)} · ${s.status === 'going' ? 'signed up' : `waitlist, number ${s.waitlistPosition ?? '?'}`}`}</span>
                  </li>
                ))}
              </ul>
            ) : (
              ''
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** "You're going with 1 guest", "Waitlist: number 4 in line", … */
function standing(e: MyEvent): string {
  if (e.cancelled) return 'This event was cancelled.';
  const party = e.guests > 0 ? ` with ${plural(e.guests, 'guest')}` : '';
  switch (e.status) {
    case 'going':
      return `You're going${party}.${e.checkedIn ? ' Checked in.' : ''}`;
    case 'waitlisted':
      return `Waitlist${party}: number ${e.waitlistPosition ?? '?'} in line.`;
    case 'not_going':
      return "You said you're not going.";
    default:
      return 'You cancelled your RSVP.';
  }
}
