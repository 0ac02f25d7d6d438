import type { Db } from '../../db/database.js';
import { rsvpViewOf, type RsvpView } from './rsvp.queries.js';

/*
 * A person's own RSVPs across events (their "my RSVPs" list). Only published events: an event
 * taken back to draft is invisible to attendees everywhere else too.
 */

export interface MyRsvp extends RsvpView {
  readonly event: {
    readonly id: number;
    readonly slug: string;
    readonly title: string;
    readonly startDate: string;
    readonly endDate: string;
    readonly timeZone: string;
  };
}

/** The person's RSVPs (every status), by the event's first day, latest first. One query. */
export async function listMyRsvps(db: Db, userId: number): Promise<MyRsvp[]> {
  const rows = await db
    .selectFrom('rsvps')
    .innerJoin('events', 'events.id', 'rsvps.event_id')
    .selectAll('rsvps')
    .select(['events.slug', 'events.title', 'events.start_date', 'events.end_date', 'events.time_zone'])
    .select((eb) =>
      eb
        .selectFrom('rsvps as w')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('w.event_id', '=', 'rsvps.event_id')
        .where('w.status', '=', 'waitlisted')
        .whereRef('w.waitlist_seq', '<=', 'rsvps.waitlist_seq')
        .as('position'),
    )
    .where('rsvps.user_id', '=', userId)
    .where('events.published', '=', 1)
    .orderBy('events.start_date', 'desc')
    .orderBy('rsvps.id', 'desc')
    .execute();
  return rows.map(({ slug, title, start_date, end_date, time_zone, position, ...r }) => ({
    ...rsvpViewOf(r, r.status === 'waitlisted' ? Number(position) : null),
    event: { id: r.event_id, slug, title, startDate: start_date, endDate: end_date, timeZone: time_zone },
  }));
}
