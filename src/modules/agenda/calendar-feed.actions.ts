import type { Db } from '../../db/database.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import { hashSecret, newSecret } from '../../lib/secrets.js';
import type { Actor } from '../accounts/actor.js';
import type { ProgramSnapshot, Session } from '../schedule/snapshot.js';
import { AgendaErrors } from './agenda.errors.js';
import { freshSnapshots, loadPublishedEvent, requireActor, starredSessionIds, type SnapshotSource } from './agenda.queries.js';

/*
 * The private calendar feed of one person's agenda in one event. Calendar apps cannot sign in,
 * so the feed URL carries a secret; only its SHA-256 is stored, so the URL is shown once (when
 * created) and a lost one is replaced by regenerating. Revoking deletes it: the old URL answers
 * NOT_FOUND from then on. The feed is read at every poll from the current programme, so it
 * follows schedule changes (ical.ts: UID stable, SEQUENCE bumped, cancelled sessions kept).
 */

const TOKEN_PREFIX = 'hwcal_';

export interface CalendarFeedStatus {
  readonly exists: boolean;
  readonly createdAt: string | null;
  readonly lastUsedAt: string | null;
}

/**
 * Creates the actor's feed secret for a published event, replacing any earlier one (whose URL
 * stops working). Returns the secret: the only time it is available.
 * @throws UNAUTHENTICATED (401), EVENT_NOT_FOUND (404).
 */
export async function regenerateCalendarFeed(
  db: Db,
  actor: Actor | null,
  eventId: number,
  clock: Clock = systemClock,
): Promise<{ token: string; createdAt: string }> {
  const me = requireActor(actor);
  await loadPublishedEvent(db, eventId);
  const token = newSecret(TOKEN_PREFIX);
  const createdAt = clock.instant();
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('agenda_feed_tokens').where('user_id', '=', me.userId).where('event_id', '=', eventId).execute();
    await trx
      .insertInto('agenda_feed_tokens')
      .values({ user_id: me.userId, event_id: eventId, token_hash: hashSecret(token), created_at: createdAt })
      .execute();
  });
  return { token, createdAt };
}

/**
 * Revokes the actor's feed for the event (idempotent). Returns whether there was one.
 * @throws UNAUTHENTICATED (401).
 */
export async function revokeCalendarFeed(db: Db, actor: Actor | null, eventId: number): Promise<{ revoked: boolean }> {
  const me = requireActor(actor);
  const r = await db.deleteFrom('agenda_feed_tokens').where('user_id', '=', me.userId).where('event_id', '=', eventId).executeTakeFirst();
  return { revoked: Number(r.numDeletedRows) > 0 };
}

/** Whether the actor has a feed for the event, and when it was made and last polled. @throws UNAUTHENTICATED (401). */
export async function getCalendarFeedStatus(db: Db, actor: Actor | null, eventId: number): Promise<CalendarFeedStatus> {
  const me = requireActor(actor);
  const row = await db
    .selectFrom('agenda_feed_tokens')
    .select(['created_at', 'last_used_at'])
    .where('user_id', '=', me.userId)
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  return { exists: row !== undefined, createdAt: row?.created_at ?? null, lastUsedAt: row?.last_used_at ?? null };
}

export interface CalendarFeed {
  readonly userId: number;
  /** The event's current programme: what ical.ts renders from. */
  readonly snapshot: ProgramSnapshot;
  /** The starred sessions, in programme order (cancelled ones included, so calendars drop them). */
  readonly sessions: readonly Session[];
  /** Calendar name (X-WR-CALNAME). */
  readonly name: string;
}

/**
 * The feed behind a secret: the owner's starred sessions of the event, from its current
 * programme. Unknown, revoked or replaced secrets, and events no longer published, all answer
 * NOT_FOUND (404). Side effect: records when the feed was last polled (at most once a minute).
 */
export async function loadCalendarFeed(
  db: Db,
  token: string,
  snapshots: SnapshotSource = freshSnapshots(db),
  clock: Clock = systemClock,
): Promise<CalendarFeed> {
  const row = token.startsWith(TOKEN_PREFIX)
    ? await db
        .selectFrom('agenda_feed_tokens')
        .select(['id', 'user_id', 'event_id', 'last_used_at'])
        .where('token_hash', '=', hashSecret(token))
        .executeTakeFirst()
    : undefined;
  if (!row) throw AgendaErrors.notFound('calendar feed');
  const event = await db.selectFrom('events').select('published').where('id', '=', row.event_id).executeTakeFirst();
  if (event?.published !== 1) throw AgendaErrors.notFound('calendar feed');
  const [snapshot, starred] = await Promise.all([snapshots(row.event_id), starredSessionIds(db, row.user_id, row.event_id)]);
  if (!snapshot) throw AgendaErrors.notFound('calendar feed');
  const now = clock.instant();
  if (row.last_used_at === null || row.last_used_at.slice(0, 16) !== now.slice(0, 16)) {
    await db.updateTable('agenda_feed_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return { userId: row.user_id, snapshot, sessions: snapshot.sessions.filter((s) => starred.has(s.id)), name: `${snapshot.event.title}: my agenda` };
}
