import { storedInstant } from '../../lib/clock.js';
import type { Db } from '../../db/database.js';
import { queueRsvpMail } from './registration-mail.js';
import { eventSpan, inRegistrationTransaction, toSettings, type RegistrationContext } from './rsvp.queries.js';

/*
 * Reminder mails before an event, each sent once: an rsvp_reminders row (primary key rsvp +
 * hours) is inserted with ON CONFLICT DO NOTHING in the same transaction as the mail, so two
 * processes running this at once, or a run repeated after a crash, never send one twice.
 */

/**
 * Finds, for every event that has not started yet, the reminders now due (`reminderHours` before
 * the start) for people going, and queues one mail per person (covering every offset due at
 * once, e.g. someone who RSVPed an hour before). Call it periodically (e.g. every few minutes).
 * Returns how many mails were queued. Side effects: rsvp_reminders rows, mails.
 */
export async function sendDueReminders(db: Db, ctx: RegistrationContext): Promise<number> {
  const now = ctx.clock.now();
  const nowText = storedInstant(now);
  const candidates = await db
    .selectFrom('registration_settings')
    .innerJoin('events', 'events.id', 'registration_settings.event_id')
    .selectAll('registration_settings')
    .select(['events.start_date', 'events.end_date', 'events.time_zone', 'events.cancelled_at', 'events.published', 'events.capacity'])
    .where('events.published', '=', 1)
    .where('events.cancelled_at', 'is', null)
    .where('registration_settings.reminder_hours', '!=', '[]')
    .execute();
  let queued = 0;
  for (const c of candidates) {
    const span = await eventSpan(db, { id: c.event_id, start_date: c.start_date, end_date: c.end_date, time_zone: c.time_zone });
    if (nowText >= span.startsAt) continue;
    const settings = toSettings(c, c.capacity);
    const due = settings.reminderHours.filter((h) => Date.parse(span.startsAt) - h * 3_600_000 <= now.getTime());
    if (due.length === 0) continue;
    queued += await inRegistrationTransaction(db, async (trx) => {
      const event = await trx.selectFrom('events').selectAll().where('id', '=', c.event_id).executeTakeFirstOrThrow();
      // Cancelled since the candidates were read: its attendees got the cancellation mail instead.
      if (event.cancelled_at) return 0;
      const going = await trx
        .selectFrom('rsvps')
        .innerJoin('users', 'users.id', 'rsvps.user_id')
        .select(['rsvps.id', 'rsvps.guests', 'users.email', 'users.display_name'])
        .where('rsvps.event_id', '=', c.event_id)
        .where('rsvps.status', '=', 'going')
        .execute();
      let n = 0;
      for (const p of going) {
        let fresh = false;
        for (const h of due) {
          const r = await trx
            .insertInto('rsvp_reminders')
            .values({ rsvp_id: p.id, hours_before: h, sent_at: nowText })
            .onConflict((oc) => oc.columns(['rsvp_id', 'hours_before']).doNothing())
            .returning('rsvp_id')
            .executeTakeFirst();
          if (r) fresh = true;
        }
        if (!fresh) continue;
        await queueRsvpMail(trx, ctx, { kind: 'reminder', to: p.email, name: p.display_name, event, span, rsvp: p });
        n++;
      }
      return n;
    });
  }
  return queued;
}
