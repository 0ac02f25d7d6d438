import type { Problem } from '../../lib/domain-error.js';
import type { Actor } from '../accounts/actor.js';
import { canManageCommunity, canManageEvent } from '../accounts/account.policy.js';
import type { ModuleContext } from '../context.js';
import type { EventRow } from './event.table.js';
import { EventErrors } from './event.errors.js';
import { CreateEventSchema, UpdateEventSchema, type EventFields } from './event.schemas.js';
import { addMinutes, eventDateProblems, localLabel, programmeDayOf, reanchorInstant } from './event-dates.js';
import { withAuditedCreate, withEventWrite } from './event-write.js';
import { definedOnly, ensureAllowed, uniqueAs, type Trx } from './event-write.queries.js';
import { parseInput } from '../../lib/form-fields.js';
import { toEventRecord, type EventRecord } from './records.js';

/**
 * Creates an event in a community, as a draft (unpublished: invisible on public pages and the
 * API until publishEvent). Side effects, in one transaction: events row (version 1), audit row.
 * @throws VALIDATION_FAILED (422: any field, `endDate` before `startDate`, unknown `timeZone`),
 *   FORBIDDEN (403: not an owner/organizer of the community), NOT_FOUND (404: no such
 *   community), SLUG_TAKEN (409: event slugs are unique across the instance).
 */
export async function createEvent(ctx: ModuleContext, actor: Actor | null, input: unknown): Promise<EventRecord> {
  const data = parseInput(CreateEventSchema, input);
  ensureAllowed(canManageCommunity(actor, data.communityId), 'create events in this community');
  const dateProblems = eventDateProblems(data.startDate, data.endDate);
  if (dateProblems.length) throw EventErrors.validationFailed(dateProblems);
  return uniqueAs(
    () => EventErrors.slugTaken('event', data.slug),
    () =>
      withAuditedCreate(ctx, actor, async ({ trx, now, audit }) => {
        const community = await trx.selectFrom('communities').select(['id', 'name']).where('id', '=', data.communityId).executeTakeFirst();
        if (!community) throw EventErrors.notFound('community', data.communityId);
        await assertEventSlugFree(trx, data.slug, null);
        const row = await trx
          .insertInto('events')
          .values({ community_id: community.id, slug: data.slug, ...toColumns(data), published: 0, version: 1, created_at: now, updated_at: now })
          .returningAll()
          .executeTakeFirstOrThrow();
        audit({
          communityId: community.id,
          eventId: row.id,
          action: 'event.created',
          entityType: 'event',
          entityId: row.id,
          summary: `Created ${row.kind} "${row.title}" (${row.slug}), ${row.start_date} to ${row.end_date}, as a draft`,
        });
        return toEventRecord(row);
      }),
  );
}

/**
 * Changes any of an event's fields (absent fields are kept). Sessions keep their local wall-clock
 * times: when `timeZone` changes, each session is re-anchored so that 10:30 stays 10:30 in the
 * new zone (its UTC instant moves, its sequence is bumped), because organizers enter times as the
 * venue's local time and a zone change is usually the correction of a wrong zone. Changing the
 * dates, zone or day change must leave every session (cancelled ones too) on a programme day.
 * Side effects, in one transaction: events row (version bump), re-anchored sessions, audit row.
 * @throws VALIDATION_FAILED (422: a field; `timeZone` when a session's wall time does not exist
 *   in the new zone), FORBIDDEN (403), NOT_FOUND (404), SLUG_TAKEN (409),
 *   EVENT_SESSIONS_OUTSIDE_DATES (409: one problem per session, at `startDate` or `endDate`).
 */
export async function updateEvent(ctx: ModuleContext, actor: Actor | null, eventId: number, input: unknown): Promise<EventRecord> {
  const data = parseInput(UpdateEventSchema, input);
  return uniqueAs(
    () => EventErrors.slugTaken('event', data.slug ?? ''),
    () =>
      withEventWrite(ctx, actor, eventId, { may: canManageEvent, what: 'edit this event' }, async ({ trx, event: before, now, audit }) => {
        const next: EventFields = { ...fromRow(before), ...definedOnly(data) };
        const dateProblems = eventDateProblems(next.startDate, next.endDate);
        if (dateProblems.length) throw EventErrors.validationFailed(dateProblems);
        if (next.slug !== before.slug) await assertEventSlugFree(trx, next.slug, eventId);
        if (next.capacity !== before.capacity && (await takesRsvps(trx, eventId))) {
          // Seats are held and people wait: only the registration's capacity change moves the waitlist
          // (promotes on raising, asks before moving people on lowering). One capacity, one way to change it.
          throw EventErrors.validationFailed([
            { path: 'capacity', message: 'people have answered the RSVP: change the capacity on the Registration page, which moves the waitlist' },
          ]);
        }
        const moved = await reanchorSessions(trx, before, next, now);
        const row = await trx
          .updateTable('events')
          .set(toColumns(next))
          .set({ slug: next.slug })
          .where('id', '=', eventId)
          .returningAll()
          .executeTakeFirstOrThrow();
        const changed = (Object.keys(next) as Array<keyof EventFields>).filter((k) => next[k] !== fromRow(before)[k]);
        audit({
          action: 'event.updated',
          entityType: 'event',
          entityId: eventId,
          summary:
            `Updated event "${row.title}"${changed.length ? `: ${changed.join(', ')}` : ' (no changes)'}` +
            (moved ? `; ${moved} session${moved === 1 ? '' : 's'} kept ${moved === 1 ? 'its' : 'their'} local times in ${row.time_zone}` : ''),
        });
        return toEventRecord(row);
      }),
  );
}

/** Whether anyone answered the event's RSVP (registration keeps its settings from then on). */
async function takesRsvps(trx: Trx, eventId: number): Promise<boolean> {
  return (
    (await trx.selectFrom('rsvps').select('id').where('event_id', '=', eventId).where('status', 'in', ['going', 'waitlisted']).limit(1).executeTakeFirst()) !==
    undefined
  );
}

/**
 * Checks every session against the new dates/zone/day change and, when the zone changed, moves
 * each to the same wall time in the new zone. Returns how many sessions moved.
 */
async function reanchorSessions(trx: Trx, before: EventRow, next: EventFields, ts: string): Promise<number> {
  const zoneChanged = next.timeZone !== before.time_zone;
  if (!zoneChanged && next.startDate === before.start_date && next.endDate === before.end_date && next.dayChange === before.day_change) return 0;
  const sessions = await trx
    .selectFrom('sessions')
    .select(['id', 'title', 'starts_at', 'duration_minutes'])
    .where('event_id', '=', before.id)
    .orderBy('starts_at')
    .orderBy('id')
    .execute();
  const skipped: Problem[] = [];
  const outside: Problem[] = [];
  const moves: Array<{ id: number; startsAt: string; endsAt: string }> = [];
  for (const s of sessions) {
    const startsAt = zoneChanged ? reanchorInstant(s.starts_at, before.time_zone, next.timeZone) : s.starts_at;
    const label = `"${s.title}" (${localLabel(s.starts_at, before.time_zone)})`;
    if (startsAt === null) {
      skipped.push({ path: 'timeZone', message: `${label} would fall in an hour that ${next.timeZone} skips for daylight saving; move it first` });
      continue;
    }
    const day = programmeDayOf(startsAt, next.timeZone, next.dayChange);
    if (day < next.startDate) outside.push({ path: 'startDate', message: `${label} is on ${day}, before ${next.startDate}` });
    else if (day > next.endDate) outside.push({ path: 'endDate', message: `${label} is on ${day}, after ${next.endDate}` });
    if (startsAt !== s.starts_at) moves.push({ id: s.id, startsAt, endsAt: addMinutes(startsAt, s.duration_minutes) });
  }
  if (skipped.length) throw EventErrors.validationFailed(skipped);
  if (outside.length) throw EventErrors.sessionsOutsideDates(outside);
  for (const m of moves) {
    await trx
      .updateTable('sessions')
      .set((eb) => ({ starts_at: m.startsAt, ends_at: m.endsAt, updated_at: ts, sequence: eb('sequence', '+', 1) }))
      .where('id', '=', m.id)
      .execute();
  }
  return moves.length;
}

async function assertEventSlugFree(trx: Trx, slug: string, self: number | null): Promise<void> {
  const clash = await trx.selectFrom('events').select('id').where('slug', '=', slug).executeTakeFirst();
  if (clash && clash.id !== self) throw EventErrors.slugTaken('event', slug);
}

function fromRow(r: EventRow): EventFields {
  const e = toEventRecord(r);
  return {
    slug: e.slug,
    kind: e.kind,
    title: e.title,
    acronym: e.acronym,
    timeZone: e.timeZone,
    startDate: e.startDate,
    endDate: e.endDate,
    dayChange: e.dayChange,
    venueName: e.venueName,
    venueAddress: e.venueAddress,
    venueUrl: e.venueUrl,
    description: e.description,
    codeOfConductUrl: e.codeOfConductUrl,
    url: e.url,
    capacity: e.capacity,
  };
}

function toColumns(f: EventFields) {
  return {
    kind: f.kind,
    title: f.title,
    acronym: f.acronym,
    time_zone: f.timeZone,
    start_date: f.startDate,
    end_date: f.endDate,
    day_change: f.dayChange,
    venue_name: f.venueName,
    venue_address: f.venueAddress,
    venue_url: f.venueUrl,
    description: f.description,
    code_of_conduct_url: f.codeOfConductUrl,
    url: f.url,
    capacity: f.capacity,
  };
}
