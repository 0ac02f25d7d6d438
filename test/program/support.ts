import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { createDb, type Db } from '../../src/db/database.js';
import { DomainError } from '../../src/lib/domain-error.js';
import type { Actor, RoleGrant } from '../../src/modules/accounts/actor.js';
import { actorFor } from '../../src/modules/accounts/auth-session.queries.js';
import { createCommunity } from '../../src/modules/events/community.actions.js';
import { createEvent } from '../../src/modules/events/event.actions.js';
import type { EventRecord } from '../../src/modules/events/records.js';
import type { DatabaseConfig } from '../../src/config.js';
import type { TestDatabase } from '../support/databases.js';
import { createTestUser } from '../factories/users.js';
import { moduleContext } from '../support/module-context.js';

/** A fresh migrated database for the enclosing describe(); `ctx.db` is set in before(). */
export function useDatabase(database: TestDatabase): { db: Db; config: DatabaseConfig } {
  const ctx = {} as { db: Db; config: DatabaseConfig };
  let drop: () => Promise<void>;
  before(async () => {
    const created = await database.create({ migrated: true });
    drop = created.drop;
    ctx.config = created.config;
    ctx.db = createDb(created.config);
  });
  after(async () => {
    await ctx.db.destroy();
    await drop();
  });
  return ctx;
}

/** The Actor for a user as a request would build it (grants read from the database). */
export async function actorOf(db: Db, userId: number): Promise<Actor> {
  const u = await db.selectFrom('users').select(['id', 'display_name', 'is_admin', 'email_verified_at']).where('id', '=', userId).executeTakeFirstOrThrow();
  return actorFor(db, u);
}

let seq = 0;

/** A new user (unique e-mail) with the given grants, as an Actor; `mayCreateCommunities` as an administrator allows it. */
export async function newActor(db: Db, name: string, grants: RoleGrant[] = [], options: { mayCreateCommunities?: boolean } = {}): Promise<Actor> {
  const user = await createTestUser(db, { email: `${name.toLowerCase().replace(/\W+/g, '.')}.${++seq}@example.org`, displayName: name, grants, ...options });
  return actorOf(db, user.id);
}

/**
 * An organizer who created a community and a two-day conference (2027-04-15/16,
 * Europe/Amsterdam) through the actions; `actor` already carries the owner grant.
 */
export async function organizerWithEvent(db: Db, slug: string, overrides: Record<string, unknown> = {}): Promise<{ actor: Actor; event: EventRecord }> {
  const first = await newActor(db, `Organizer ${slug}`, [], { mayCreateCommunities: true });
  const community = await createCommunity(moduleContext(db), first, { slug: `${slug}-community`, name: `${slug} community` });
  const actor = await actorOf(db, first.userId);
  const event = await createEvent(moduleContext(db), actor, {
    communityId: community.id,
    slug,
    kind: 'conference',
    title: `${slug} conference`,
    timeZone: 'Europe/Amsterdam',
    startDate: '2027-04-15',
    endDate: '2027-04-16',
    ...overrides,
  });
  return { actor, event };
}

/** Asserts that `promise` rejects with a DomainError of `code`; returns it for more checks. */
export async function rejectsWith(promise: Promise<unknown>, code: string): Promise<DomainError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof DomainError, `expected DomainError ${code}, got ${String(err)}`);
    assert.equal(err.code, code, `expected ${code}, got ${err.code}: ${err.message} ${JSON.stringify(err.problems)}`);
    return err;
  }
  assert.fail(`expected ${code}, but it succeeded`);
}

/** Event version, row counts and audit count: equal before and after means nothing was written. */
export async function footprint(db: Db, eventId: number) {
  const count = async (table: 'sessions' | 'session_speakers' | 'session_links' | 'rooms' | 'tracks' | 'speakers' | 'sponsors' | 'audit_log') =>
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
  const event = await db.selectFrom('events').select(['version', 'updated_at']).where('id', '=', eventId).executeTakeFirstOrThrow();
  const sessions = await db
    .selectFrom('sessions')
    .select(['id', 'sequence', 'status', 'room_id', 'starts_at'])
    .where('event_id', '=', eventId)
    .orderBy('id')
    .execute();
  return {
    version: event.version,
    sessions,
    counts: {
      sessions: await count('sessions'),
      sessionSpeakers: await count('session_speakers'),
      links: await count('session_links'),
      rooms: await count('rooms'),
      tracks: await count('tracks'),
      speakers: await count('speakers'),
      sponsors: await count('sponsors'),
      audit: await count('audit_log'),
    },
  };
}

/** The newest audit row of an event. */
export async function lastAudit(db: Db, eventId: number) {
  return db.selectFrom('audit_log').selectAll().where('event_id', '=', eventId).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
}
