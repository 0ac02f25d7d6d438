import type { Clock } from '../../lib/clock.js';
import type { Actor, EventScope } from '../accounts/actor.js';
import { recordAudit } from '../accounts/audit.queries.js';
import type { ModuleContext } from '../context.js';
import { signalEventChange, signalEventChanges } from '../live/live.queries.js';
import type { EventRow } from './event.table.js';
import { EventErrors } from './event.errors.js';
import { ensureAllowed, scopeOf, showsARelease, type Trx } from './event-write.queries.js';

/*
 * The one way to change an event. Every action that changes what an event shows (its fields, its
 * programme, sponsors, hosts, call for proposals, published recaps, its community's name) goes
 * through `withEventWrite` (or, inside a transaction a caller already holds, `writeEventIn`), which
 * in one transaction:
 *  1. locks the event and bumps its version and updated_at (from the module context's clock). The
 *     bump is an UPDATE, so it takes the lock that serialises writers of one event:
 *     PostgreSQL holds the row lock until commit (a second writer waits, then reads the first one's
 *     committed rows: READ COMMITTED takes a fresh snapshot per statement); SQLite runs every
 *     transaction of a process on one connection behind a mutex and begins it IMMEDIATE
 *     (src/db/sqlite-driver.ts), so other processes wait instead of failing on a stale snapshot;
 *  2. checks the permission (a policy predicate of accounts/account.policy.ts): FORBIDDEN;
 *  3. runs the change, given the transaction, the locked row, the instant `now` and `audit`;
 *  4. writes the audit row(s) the change noted (who, what, which event) in the same transaction;
 *  5. signals the draft change to the live channel (modules/live: a NOTIFY on PostgreSQL, sent only
 *     if the transaction commits; SQLite processes poll), so open editors see it within a second.
 * A refused or failing change throws inside the transaction, which rolls everything back, bump
 * included. Cache and webhook work needs nothing more: the public response and snapshot caches
 * are keyed by events.public_version, which follows the bump unless the change said it touched
 * only the draft of a released programme (`draftOnly`), and the webhook dispatcher posts when
 * public_version is ahead of what an endpoint was sent, so the bump is what schedules both.
 *
 * No other code writes events.version (test/events/write-path.test.ts scans src/ for it).
 */

/**
 * Someone acting with the server's own authority (the CLI, the demo loader): they hold the
 * database already, so no permission is asked; the audit row names them (`actor_label`).
 */
export interface Operator {
  readonly kind: 'operator';
  readonly userId: null;
  readonly displayName: string;
}

/** An operator named in the audit log, e.g. `operator('hallway import (command line)')`. */
export function operator(label: string): Operator {
  return { kind: 'operator', userId: null, displayName: label };
}

/** Who writes: a person (null: nobody signed in, e.g. declining an invitation by link) or an operator. */
export type Writer = Actor | Operator | null;

/** An operator (the CLI, the demo loader): asks no permission. */
export function isOperator(writer: Writer): writer is Operator {
  return writer !== null && 'kind' in writer && writer.kind === 'operator';
}

/** Who may: a policy predicate for the event's scope, and what "You may not …" says otherwise. */
export interface WriteRule {
  readonly may: (actor: Actor | null, scope: EventScope) => boolean;
  readonly what: string;
}

/** The audit row a change describes (the write path adds who, when and which event). */
export interface AuditNote {
  readonly action: string;
  readonly entityType: string;
  readonly entityId: number | string | null;
  readonly summary: string;
}

/** What a change is given: the transaction, the event as locked and bumped, the instant now, and `audit`. */
export interface EventWrite {
  readonly trx: Trx;
  readonly event: EventRow;
  /** The instant of this write (stored form), for the updated_at and created_at it writes. */
  readonly now: string;
  readonly clock: Clock;
  /** Notes the audit row(s) describing the change; written after it, in the same transaction. */
  readonly audit: (note: AuditNote) => void;
  /**
   * Says the change touched only the draft programme (placement, status and speakers of sessions,
   * sessions not yet released, blockers, availability, pins): while the event is published with a
   * release, the public sees none of it until the next release, so public_version stays and no
   * cache, ETag or webhook moves. Changes that do not call it are public.
   */
  readonly draftOnly: () => void;
}

/** A transaction a caller already holds, and the clock (for changes made inside it). */
export interface WriteTx {
  readonly trx: Trx;
  readonly clock: Clock;
}

class RollBack {
  constructor(readonly result: unknown) {}
}

/**
 * Changes one event in its own transaction (see the comment at the top). A change that notes no
 * audit row changed nothing (an import of an unchanged file): the transaction rolls back, version
 * bump included, and its result is returned; so nothing commits unaudited.
 * @throws NOT_FOUND (no such event), FORBIDDEN (403), and whatever `change` throws.
 */
export async function withEventWrite<T>(
  ctx: ModuleContext,
  writer: Writer,
  eventId: number,
  rule: WriteRule,
  change: (w: EventWrite) => Promise<T>,
): Promise<T> {
  try {
    return await ctx.db.transaction().execute((trx) => writeEvent({ trx, clock: ctx.clock }, writer, eventId, rule, change, 'roll back'));
  } catch (err) {
    if (err instanceof RollBack) return err.result as T;
    throw err;
  }
}

/**
 * withEventWrite as a step of a transaction the caller holds (a proposal becoming a session, an
 * event cancelled with its mails). The change must note an audit row.
 */
export function writeEventIn<T>(tx: WriteTx, writer: Writer, eventId: number, rule: WriteRule, change: (w: EventWrite) => Promise<T>): Promise<T> {
  return writeEvent(tx, writer, eventId, rule, change, 'refuse');
}

async function writeEvent<T>(
  tx: WriteTx,
  writer: Writer,
  eventId: number,
  rule: WriteRule,
  change: (w: EventWrite) => Promise<T>,
  unaudited: 'roll back' | 'refuse',
): Promise<T> {
  const now = tx.clock.instant();
  const event = await tx.trx
    .updateTable('events')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', eventId)
    .returningAll()
    .executeTakeFirst();
  if (!event) throw EventErrors.notFound('event', eventId);
  if (!isOperator(writer)) ensureAllowed(rule.may(writer, scopeOf(event)), rule.what);
  const notes: AuditNote[] = [];
  let draftOnly = false;
  const result = await change({
    trx: tx.trx,
    event,
    now,
    clock: tx.clock,
    audit: (note) => notes.push(note),
    draftOnly: () => {
      draftOnly = true;
    },
  });
  if (notes.length === 0) {
    if (unaudited === 'roll back') throw new RollBack(result);
    throw new Error(`a change to event ${eventId} noted no audit row`);
  }
  for (const note of notes) await recordAudit(tx.trx, { actor: writer, communityId: event.community_id, eventId, at: now, ...note });
  if (!draftOnly || !(await showsARelease(tx.trx, event))) {
    await tx.trx.updateTable('events').set({ public_version: event.version, public_updated_at: now }).where('id', '=', eventId).execute();
  }
  await signalEventChange(tx.trx, eventId, event.version);
  return result;
}

/**
 * Creates an event or a community with its audit row: a new event starts at version 1, so there
 * is nothing to bump. `change` notes the audit row with the ids it created.
 */
export async function withAuditedCreate<T>(
  ctx: ModuleContext,
  writer: Writer,
  change: (w: {
    trx: Trx;
    now: string;
    clock: Clock;
    audit: (note: AuditNote & { readonly communityId: number; readonly eventId: number | null }) => void;
  }) => Promise<T>,
): Promise<T> {
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.instant();
    const notes: Array<AuditNote & { communityId: number; eventId: number | null }> = [];
    const result = await change({ trx, now, clock: ctx.clock, audit: (note) => notes.push(note) });
    for (const note of notes) await recordAudit(trx, { actor: writer, at: now, ...note });
    return result;
  });
}

/**
 * A change to a community, whose name and text every one of its events shows: checks
 * `may(actor, communityId)`, runs the change, bumps every event of the community and writes the
 * community's audit row, in one transaction.
 * @throws FORBIDDEN (403), and whatever `change` throws.
 */
export async function withCommunityWrite<T>(
  ctx: ModuleContext,
  actor: Actor | null,
  communityId: number,
  rule: { readonly may: (actor: Actor | null, communityId: number) => boolean; readonly what: string },
  change: (w: { trx: Trx; now: string; audit: (note: AuditNote) => void }) => Promise<T>,
): Promise<T> {
  ensureAllowed(rule.may(actor, communityId), rule.what);
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.instant();
    const notes: AuditNote[] = [];
    const result = await change({ trx, now, audit: (note) => notes.push(note) });
    const bumped = await trx
      .updateTable('events')
      .set((eb) => ({ version: eb('version', '+', 1), updated_at: now, public_version: eb('version', '+', 1), public_updated_at: now }))
      .where('community_id', '=', communityId)
      .returning(['id', 'version'])
      .execute();
    for (const note of notes) await recordAudit(trx, { actor, communityId, eventId: null, at: now, ...note });
    await signalEventChanges(
      trx,
      bumped.map((e) => ({ eventId: e.id, version: e.version })),
    );
    return result;
  });
}

/**
 * Something shown on several events' pages changed elsewhere (a person's display name credited on
 * their published recaps): bumps each event and writes `note` as an audit row on each, inside the
 * caller's transaction. The caller decided who may (it is the person's own change).
 */
export async function touchEventsIn(tx: WriteTx, writer: Writer, eventIds: readonly number[], note: AuditNote): Promise<void> {
  for (const eventId of eventIds) await writeEventIn(tx, writer, eventId, ANYONE, async ({ audit }) => audit(note));
}

/** For changes whose permission the action has already decided (ownership of a recap, a touch). */
export const ANYONE: WriteRule = { may: () => true, what: 'change this event' };
