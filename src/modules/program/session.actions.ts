import { randomUUID } from 'node:crypto';
import { slugify } from '../../lib/slug.js';
import type { Actor, EventScope } from '../accounts/actor.js';
import { canEditSession, canViewBackOffice } from '../accounts/account.policy.js';
import { addMinutes } from '../events/event-dates.js';
import { EventErrors } from '../events/event.errors.js';
import type { EventRow } from '../events/event.table.js';
import { definedOnly, ensureAllowed, scopeOf, type Trx } from '../events/event-write.queries.js';
import { parseInput } from '../../lib/form-fields.js';
import { ProgramErrors } from './program.errors.js';
import type { SessionRecord } from './records.js';
import { changesOnlyTheDraft, describeSessionChanges } from './session-changes.js';
import { assertRoomFree, assertSpeakersFree, referenceProblems, span, uniqueSessionCode, writeSessionPeople } from './session-rules.queries.js';
import { CreateSessionSchema, UpdateSessionSchema, type SessionInput } from './session.schemas.js';
import { findSessionRecord } from './session.queries.js';
import { planTiming } from './session-timing.js';
import { withEventWrite, writeEventIn, type Writer, type WriteTx } from '../events/event-write.js';
import type { ModuleContext } from '../context.js';

/**
 * Adds a confirmed session to an event's programme, with a code made from its title (unique in
 * the event) and a random GUID. Organizers may add any session; track managers only sessions in
 * one of their tracks.
 * Side effects, in one transaction (the event locked first): sessions row, its speakers and
 * links, event version bump, audit row.
 * @throws VALIDATION_FAILED (422: a field; `start` unreadable or skipped by daylight saving; a
 *   room/track/sponsor/speaker id not of this event), FORBIDDEN (403), NOT_FOUND (404: event),
 *   SESSION_OUTSIDE_DATES (422), SESSION_ROOM_CONFLICT (409), SPEAKER_DOUBLE_BOOKED (409).
 */
export async function createSession(ctx: ModuleContext, actor: Actor | null, eventId: number, input: unknown): Promise<SessionRecord> {
  return ctx.db.transaction().execute((trx) => createSessionIn({ trx, clock: ctx.clock }, actor, eventId, input));
}

/**
 * createSession inside the caller's transaction, for a use case that adds a session as one of
 * its steps (an accepted proposal put on the programme): the same rules and errors, and the
 * caller's other writes roll back with it when a rule refuses. `speakersMayOverlap`: an organizer
 * confirmed a speaker being in two places (the schedule editor's forced placement).
 */
export async function createSessionIn(
  tx: WriteTx,
  actor: Writer,
  eventId: number,
  input: unknown,
  options: { readonly speakersMayOverlap?: boolean } = {},
): Promise<SessionRecord> {
  const data = parseInput(CreateSessionSchema, input);
  const rule = {
    may: (a: Actor | null, scope: EventScope) => canEditSession(a, scope, { trackId: data.trackId }),
    what: data.trackId === null ? 'add sessions outside a track' : 'add sessions to this track',
  };
  return writeEventIn(tx, actor, eventId, rule, async ({ trx, event, now, audit, draftOnly }) => {
    // A new session is in no release yet: the public sees it with the next one.
    draftOnly();
    const { startsAt, endsAt } = await checkPlacement(trx, event, data, data.start);
    const placement = { id: null, roomId: data.roomId, startsAt, endsAt };
    await assertRoomFree(trx, event, placement);
    if (!options.speakersMayOverlap) await assertSpeakersFree(trx, event, placement, data.speakerIds);
    const row = await trx
      .insertInto('sessions')
      .values({
        event_id: eventId,
        code: await uniqueSessionCode(trx, eventId, slugify(data.title)),
        guid: randomUUID(),
        status: 'confirmed',
        ...columns(data),
        starts_at: startsAt,
        ends_at: endsAt,
        created_at: now,
        updated_at: now,
      })
      .returning(['id', 'title'])
      .executeTakeFirstOrThrow();
    await writeSessionPeople(trx, row.id, data.speakerIds, data.links);
    const room = data.roomId === null ? 'no room' : (await trx.selectFrom('rooms').select('name').where('id', '=', data.roomId).executeTakeFirstOrThrow()).name;
    audit({
      action: 'session.created',
      entityType: 'session',
      entityId: row.id,
      summary: `Added "${row.title}" in ${room}, ${span(startsAt, endsAt, event.time_zone)}`,
    });
    return (await findSessionRecord(trx, event, row.id))!;
  });
}

/**
 * Changes any of a session's fields (absent ones are kept; `speakerIds` and `links` replace the
 * whole list). The code and GUID never change. A track manager may edit only sessions in their
 * tracks and must leave the session in one of them (checked before and after). Room and
 * speaker conflicts are checked for what changes (a new room or time, an added speaker), so an
 * unrelated edit is never refused for a conflict an import accepted with a warning.
 * Side effects, in one transaction: sessions row (sequence bump when anything changed), speakers
 * and links, event version bump, audit row listing the changes.
 * @throws VALIDATION_FAILED (422), FORBIDDEN (403), NOT_FOUND (404: event, or a session not of
 *   this event), SESSION_OUTSIDE_DATES (422), SESSION_ROOM_CONFLICT (409), SPEAKER_DOUBLE_BOOKED (409).
 */
export async function updateSession(ctx: ModuleContext, actor: Actor | null, eventId: number, sessionId: number, input: unknown): Promise<SessionRecord> {
  const data = parseInput(UpdateSessionSchema, input);
  return withEventWrite(
    ctx,
    actor,
    eventId,
    { may: canViewBackOffice, what: 'change the programme of this event' },
    async ({ trx, event, now, audit, draftOnly }) => {
      const before = await findSessionRecord(trx, event, sessionId);
      if (!before) throw EventErrors.notFound('session', sessionId);
      const scope = scopeOf(event);
      ensureAllowed(canEditSession(actor, scope, before), 'edit this session');
      const next: SessionInput = { ...fieldsOf(before), ...definedOnly(data) };
      ensureAllowed(canEditSession(actor, scope, next), 'move this session out of your tracks');
      const { startsAt, endsAt } = await checkPlacement(trx, event, next, data.start ?? null, before);
      const moved = startsAt !== before.startsAt || endsAt !== before.endsAt;
      if (before.status === 'confirmed') {
        const placement = { id: sessionId, roomId: next.roomId, startsAt, endsAt };
        if (moved || next.roomId !== before.roomId) await assertRoomFree(trx, event, placement);
        const added = next.speakerIds.filter((id) => !before.speakerIds.includes(id));
        await assertSpeakersFree(trx, event, placement, moved ? next.speakerIds : added, next.speakerIds);
      }
      const changes = await describeSessionChanges(trx, event, before, { ...next, startsAt, endsAt });
      if (changesOnlyTheDraft(before, next)) draftOnly();
      if (changes.length) {
        await trx
          .updateTable('sessions')
          .set((eb) => ({ ...columns(next), starts_at: startsAt, ends_at: endsAt, updated_at: now, sequence: eb('sequence', '+', 1) }))
          .where('id', '=', sessionId)
          .execute();
        await writeSessionPeople(trx, sessionId, data.speakerIds, data.links);
      }
      audit({
        action: 'session.updated',
        entityType: 'session',
        entityId: sessionId,
        summary: `Updated "${next.title}": ${changes.length ? changes.join('; ') : 'no changes'}`,
      });
      return (await findSessionRecord(trx, event, sessionId))!;
    },
  );
}

/**
 * Field problems (references, start) first, all at once; then the programme days. Without a new
 * `start` the stored start instant is kept (re-reading its local time in the hour repeated in
 * autumn could move the session by an hour) and only the end follows the duration.
 */
async function checkPlacement(
  trx: Trx,
  event: EventRow,
  s: Pick<SessionInput, 'roomId' | 'trackId' | 'sponsorId' | 'speakerIds' | 'durationMinutes'>,
  start: string | null,
  before?: SessionRecord,
): Promise<{ startsAt: string; endsAt: string }> {
  const problems = await referenceProblems(trx, event.id, s);
  const timing = start === null ? null : planTiming(event, start, s.durationMinutes);
  if (timing && !timing.ok && !timing.outsideDates) problems.push(timing.problem);
  if (problems.length) throw EventErrors.validationFailed(problems);
  if (timing && !timing.ok) throw ProgramErrors.outsideDates(timing.problem);
  if (timing?.ok) return { startsAt: timing.startsAt, endsAt: timing.endsAt };
  return { startsAt: before!.startsAt, endsAt: addMinutes(before!.startsAt, s.durationMinutes) };
}

function columns(s: SessionInput) {
  return {
    kind: s.kind,
    title: s.title,
    subtitle: s.subtitle,
    abstract: s.abstract,
    language: s.language,
    level: s.level,
    track_id: s.trackId,
    room_id: s.roomId,
    sponsor_id: s.sponsorId,
    duration_minutes: s.durationMinutes,
  };
}

/** A stored session's values in input form (what an update starts from). */
function fieldsOf(r: SessionRecord): SessionInput {
  return {
    kind: r.kind,
    title: r.title,
    subtitle: r.subtitle,
    abstract: r.abstract,
    language: r.language,
    level: r.level,
    trackId: r.trackId,
    roomId: r.roomId,
    sponsorId: r.sponsorId,
    start: r.start,
    durationMinutes: r.durationMinutes,
    speakerIds: [...r.speakerIds],
    links: r.links.map((l) => ({ ...l })),
  };
}
