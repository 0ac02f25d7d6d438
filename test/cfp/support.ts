import { fixedClock } from '../../src/lib/clock.js';
import type { Db } from '../../src/db/database.js';
import { BASE_URL, useModuleDb, type ModuleEnv } from '../support/module-db.js';
import type { Actor } from '../../src/modules/accounts/actor.js';
import type { CfpContext } from '../../src/modules/cfp/cfp-mail.js';
import { saveCfpSettings } from '../../src/modules/cfp/cfp-settings.actions.js';
import { createRoom } from '../../src/modules/program/room.actions.js';
import { createTrack } from '../../src/modules/program/track.actions.js';
import type { TestDatabase } from '../support/databases.js';
import { organizerWithEvent } from '../program/support.js';
import { moduleContext } from '../support/module-context.js';

export { BASE_URL };

/** A fixed clock the tests move by hand: inside the standard call's window. */
export const clock = fixedClock('2027-03-01T12:00:00Z');

export type CfpEnv = ModuleEnv<CfpContext>;

/** A fresh migrated database for the enclosing describe(), with a CFP context on the fixed clock. */
export function useCfpDb(database: TestDatabase): CfpEnv {
  return useModuleDb(database, (config) => ({ config, clock }));
}

/** The standard call: open 2027-02-01 09:00 to 2027-03-15 23:59 Amsterdam time, talks (30') and workshops (90'). */
export const STANDARD_CALL = {
  opensAt: '2027-02-01T09:00',
  closesAt: '2027-03-15T23:59',
  callText: 'We want your talks.\n\nFirst-time speakers welcome <3',
  formats: [
    { kind: 'talk', durationMinutes: 30 },
    { kind: 'workshop', durationMinutes: 90 },
  ],
};

/** A draft two-day conference (2027-04-15/16, Europe/Amsterdam) with two rooms, two tracks and the standard call. */
export async function conferenceWithCfp(env: CfpEnv, slug: string) {
  const { actor: organizer, event } = await organizerWithEvent(env.db, slug);
  const roomA = await createRoom(moduleContext(env.db), organizer, event.id, { name: 'Room A' });
  const roomB = await createRoom(moduleContext(env.db), organizer, event.id, { name: 'Room B' });
  const web = await createTrack(moduleContext(env.db), organizer, event.id, { name: 'Web' });
  const data = await createTrack(moduleContext(env.db), organizer, event.id, { name: 'Data' });
  await saveCfpSettings(env.db, env.ctx, organizer, event.id, STANDARD_CALL);
  return { organizer, event, rooms: [roomA, roomB] as const, tracks: [web, data] as const };
}

/** A valid proposal form, with overrides. */
export function proposalInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Making HTML fast',
    kind: 'talk',
    abstract: 'Why server-rendered pages win.',
    description: 'Long version for reviewers.',
    language: 'en',
    notes: 'I need a projector.',
    ...overrides,
  };
}

export async function emailOf(db: Db, actor: Actor): Promise<string> {
  return (await db.selectFrom('users').select('email').where('id', '=', actor.userId).executeTakeFirstOrThrow()).email;
}

/** Outbox rows to an address, oldest first. */
export async function mailsTo(db: Db, to: string) {
  return db.selectFrom('mail_outbox').selectAll().where('to_address', '=', to).orderBy('id').execute();
}

/** Everything the CFP and the programme hold for an event: equal before and after means nothing was written. */
export async function cfpFootprint(db: Db, eventId: number) {
  const n = async (t: 'mail_outbox' | 'audit_log' | 'speakers' | 'proposal_speakers' | 'proposal_reviews') =>
    (
      await db
        .selectFrom(t)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
  return {
    proposals: await db.selectFrom('proposals').selectAll().where('event_id', '=', eventId).orderBy('id').execute(),
    sessions: await db.selectFrom('sessions').select(['id', 'title', 'room_id', 'starts_at']).where('event_id', '=', eventId).orderBy('id').execute(),
    counts: {
      mails: await n('mail_outbox'),
      audit: await n('audit_log'),
      speakers: await n('speakers'),
      proposalSpeakers: await n('proposal_speakers'),
      reviews: await n('proposal_reviews'),
    },
  };
}
