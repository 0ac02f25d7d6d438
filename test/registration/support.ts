import { fixedClock } from '../../src/lib/clock.js';
import type { Db } from '../../src/db/database.js';
import { BASE_URL, useModuleDb, type ModuleEnv } from '../support/module-db.js';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { publishEvent } from '../../src/modules/schedule/publication.actions.js';
import type { RegistrationContext } from '../../src/modules/registration/rsvp.queries.js';
import type { TestDatabase } from '../support/databases.js';
import { organizerWithEvent } from '../program/support.js';
import { moduleContext } from '../support/module-context.js';

export { BASE_URL };
export const SECRET = 'test-secret-test-secret-test-secret-0123456789';

/** A fixed clock the tests move by hand. */
export const clock = fixedClock('2027-03-01T12:00:00Z');

export type RegEnv = ModuleEnv<RegistrationContext>;

/** A fresh migrated database for the enclosing describe(), with a registration context on a fixed clock. */
export function useRegistrationDb(database: TestDatabase): RegEnv {
  return useModuleDb(database, (config) => ({ config, secret: SECRET, clock }));
}

let seq = 0;

/** `n` verified users inserted at once, as Actors. */
export async function attendees(db: Db, n: number, prefix = 'person'): Promise<Actor[]> {
  const now = '2027-01-01T00:00:00Z';
  const out: Actor[] = [];
  const batch = ++seq;
  for (let i = 0; i < n; i += 200) {
    const rows = Array.from({ length: Math.min(200, n - i) }, (_, k) => ({
      email: `${prefix}.${batch}.${i + k}@example.org`,
      email_verified_at: now,
      password_hash: null,
      display_name: `${prefix} ${i + k}`,
      is_admin: 0,
      created_at: now,
      updated_at: now,
    }));
    const ids = await db.insertInto('users').values(rows).returning(['id', 'display_name']).execute();
    for (const r of ids) out.push({ userId: r.id, displayName: r.display_name, isAdmin: false, emailVerified: true, grants: [] });
  }
  return out;
}

/** A published meetup on 2027-04-15 (Europe/Amsterdam) with registration settings as given. */
export async function meetup(db: Db, slug: string) {
  const { actor, event } = await organizerWithEvent(db, slug, { kind: 'meetup', startDate: '2027-04-15', endDate: '2027-04-15' });
  await publishEvent(moduleContext(db), actor, event.id);
  return { organizer: actor, eventId: event.id };
}

export async function emailOf(db: Db, userId: number): Promise<string> {
  return (await db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirstOrThrow()).email;
}

/** Outbox rows to an address, oldest first. */
export async function mailsTo(db: Db, to: string) {
  return db.selectFrom('mail_outbox').selectAll().where('to_address', '=', to).orderBy('id').execute();
}

/** Everything registration wrote for an event: equal before and after means nothing changed. */
export async function registrationFootprint(db: Db, eventId: number) {
  return {
    rsvps: await db
      .selectFrom('rsvps')
      .select(['id', 'status', 'guests', 'waitlist_seq', 'checked_in_at', 'answers'])
      .where('event_id', '=', eventId)
      .orderBy('id')
      .execute(),
    settings: await db.selectFrom('registration_settings').selectAll().where('event_id', '=', eventId).execute(),
    mails: (
      await db
        .selectFrom('mail_outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  };
}
