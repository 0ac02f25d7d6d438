import { sql, type Kysely } from 'kysely';
import { isPostgres, type Database, type Db } from '../../db/database.js';
import type { Actor } from '../accounts/actor.js';
import { AccountErrors } from '../accounts/account.errors.js';
import { canViewBackOffice } from '../accounts/account.policy.js';
import { encodeNotice, LIVE_CHANNEL, type LiveNotice, type LiveState } from './live.js';

/*
 * The live channel's statements. Signals are sent inside the writing transaction: on PostgreSQL a
 * NOTIFY, which the server delivers to every listening process only when (and if) the
 * transaction commits; on SQLite nothing at all, because every process's hub polls the states
 * of the events it has subscribers for (live-hub.ts), so a commit is seen by the next poll.
 */

/** A transaction (or the database) of any dialect. */
type Executor = Kysely<Database>;

async function notify(trx: Executor, notices: readonly LiveNotice[]): Promise<void> {
  if (notices.length === 0 || !isPostgres(trx)) return;
  await sql`select pg_notify(${LIVE_CHANNEL}, p) from unnest(${notices.map(encodeNotice)}::text[]) as p`.execute(trx);
}

/**
 * The event's draft changed (events.version is now `version`): tells every process's subscribers
 * once `trx` commits. Called by the write path (events/event-write.ts), never by actions.
 */
export function signalEventChange(trx: Executor, eventId: number, version: number): Promise<void> {
  return notify(trx, [{ kind: 'draft', eventId, version }]);
}

/** signalEventChange for several events in one statement (a community's change bumps all its events). */
export function signalEventChanges(trx: Executor, changes: ReadonlyArray<{ readonly eventId: number; readonly version: number }>): Promise<void> {
  return notify(
    trx,
    changes.map((c) => ({ kind: 'draft', eventId: c.eventId, version: c.version })),
  );
}

/**
 * Release `number` of the event was written in `trx` (its schedule_releases row complete, with its
 * change_count): tells every process's subscribers once `trx` commits. The release action calls it
 * as its last step.
 */
export async function signalRelease(trx: Executor, eventId: number, number: number): Promise<void> {
  if (!isPostgres(trx)) return;
  const row = await trx
    .selectFrom('schedule_releases')
    .select(['name', 'change_count'])
    .where('event_id', '=', eventId)
    .where('number', '=', number)
    .executeTakeFirst();
  if (!row) throw new Error(`signalRelease: event ${eventId} has no release ${number} in this transaction`);
  await notify(trx, [{ kind: 'release', eventId, number, name: row.name, changes: row.change_count }]);
}

/** How many ids one poll statement names at most (SQLite's parameter limit is far above). */
const CHUNK = 500;

/**
 * The live state of each of `eventIds` that exists: events.version and the latest release. One
 * statement per 500 events (the events' primary key and schedule_releases' (event_id, number) index).
 */
export async function readLiveStates(db: Db, eventIds: readonly number[]): Promise<Map<number, LiveState>> {
  const states = new Map<number, LiveState>();
  for (let i = 0; i < eventIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom('events as e')
      .leftJoin('schedule_releases as r', (join) =>
        join.onRef('r.event_id', '=', 'e.id').on((eb) =>
          eb(
            'r.number',
            '=',
            eb
              .selectFrom('schedule_releases as m')
              .select((m) => m.fn.max('m.number').as('n'))
              .whereRef('m.event_id', '=', 'e.id'),
          ),
        ),
      )
      .select(['e.id', 'e.version', 'r.number', 'r.name', 'r.change_count'])
      .where('e.id', 'in', eventIds.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) {
      states.set(r.id, {
        version: r.version,
        release: r.number === null || r.name === null ? null : { number: r.number, name: r.name, changes: r.change_count ?? 0 },
      });
    }
  }
  return states;
}

/** The number of the event's latest release, 0 when it has none. */
export async function latestReleaseNumber(db: Db, eventId: number): Promise<number> {
  const row = await db
    .selectFrom('schedule_releases')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  return row?.n ?? 0;
}

/** The changes of the event's releases after release `after` (what a client that saw `after` missed). */
export async function changesSince(db: Db, eventId: number, after: number): Promise<number> {
  const row = await db
    .selectFrom('schedule_releases')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('change_count'), sql<number>`0`).as('n'))
    .where('event_id', '=', eventId)
    .where('number', '>', after)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * The event whose draft `actor` may follow live: as the back office, its organizers and track
 * managers (and site administrators), drafts included.
 * @throws NOT_FOUND (404), FORBIDDEN (403).
 */
export async function eventForDraftFollowing(db: Db, actor: Actor | null, eventId: number): Promise<{ readonly id: number }> {
  const e = await db.selectFrom('events').select(['id', 'community_id']).where('id', '=', eventId).executeTakeFirst();
  if (!e) throw AccountErrors.notFound('event');
  if (!canViewBackOffice(actor, { eventId: e.id, communityId: e.community_id })) throw AccountErrors.forbidden('follow this event in the back office');
  return { id: e.id };
}
