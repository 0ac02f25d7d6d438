import type { Problem } from '../../lib/domain-error.js';
import { parseInput } from '../../lib/form-fields.js';
import { datesBetween, parseInstant, toStoredInstant } from '../../lib/time.js';
import type { Actor } from '../accounts/actor.js';
import { canManageEvent } from '../accounts/account.policy.js';
import type { ModuleContext } from '../context.js';
import { EventErrors } from '../events/event.errors.js';
import type { EventRow } from '../events/event.table.js';
import { ANYONE, withEventWrite } from '../events/event-write.js';
import { ensureAllowed, scopeOf, type Trx } from '../events/event-write.queries.js';
import { canEditSpeaker } from '../speakers/speaker.policy.js';
import { OpeningHoursSchema, WindowsSchema, type WindowInput } from './planning.schemas.js';
import { isSpeakerIn, ownerOfSpeaker, type WindowOwner } from './availability.queries.js';

/*
 * Availability windows (the `availability` table): the event's hours, each room's opening hours,
 * and when each speaker can speak. Every setter replaces the whole list of its owner; an empty
 * list means "no restriction". The editor warns about sessions outside them. They change the
 * event's version, so open editors recompute their warnings.
 */

/**
 * The event's own hours (`roomId` null) or a room's opening hours. Organizers.
 * Side effects, in one transaction: availability rows replaced, event version bump, audit row.
 * @throws VALIDATION_FAILED (422: a window, a room not of this event), FORBIDDEN (403), NOT_FOUND (404).
 */
export async function setOpeningHours(ctx: ModuleContext, actor: Actor | null, eventId: number, input: unknown): Promise<number> {
  const data = parseInput(OpeningHoursSchema, input);
  return withEventWrite(ctx, actor, eventId, { may: canManageEvent, what: 'set the opening hours of this event' }, async ({ trx, event, audit, draftOnly }) => {
    // Hours and availability are for planning; the public never sees them.
    draftOnly();
    let name = 'the event';
    if (data.roomId !== null) {
      const room = await trx.selectFrom('rooms').select('name').where('id', '=', data.roomId).where('event_id', '=', event.id).executeTakeFirst();
      if (!room) throw EventErrors.validationFailed([{ path: 'roomId', message: `#${data.roomId} is not a room of this event` }]);
      name = room.name;
    }
    const n = await replaceWindows(trx, event, data.roomId === null ? { kind: 'event' } : { kind: 'room', roomId: data.roomId }, data.windows);
    audit({
      action: data.roomId === null ? 'event.hours_set' : 'room.hours_set',
      entityType: data.roomId === null ? 'event' : 'room',
      entityId: data.roomId ?? event.id,
      summary: `Opening hours of ${name}: ${n ? `${n} window${n === 1 ? '' : 's'}` : 'no restriction'}`,
    });
    return n;
  });
}

/**
 * When a speaker can speak, as organizers (or a track manager whose tracks hold all the speaker's
 * sessions) enter it on the speaker's back-office page. A profile linked to an account sets the
 * person's windows (the ones they state themselves); one without, the profile's own.
 * Side effects, in one transaction: availability rows replaced, event version bump, audit row.
 * @throws VALIDATION_FAILED (422), FORBIDDEN (403), NOT_FOUND (404: event, or a speaker not of this event).
 */
export async function setSpeakerAvailability(ctx: ModuleContext, actor: Actor | null, eventId: number, speakerId: number, input: unknown): Promise<number> {
  const data = parseInput(WindowsSchema, input);
  return withEventWrite(ctx, actor, eventId, { may: canManageOrTrack, what: 'edit the speakers of this event' }, async ({ trx, event, audit, draftOnly }) => {
    // Hours and availability are for planning; the public never sees them.
    draftOnly();
    const speaker = await trx
      .selectFrom('speakers')
      .select(['id', 'name', 'user_id'])
      .where('id', '=', speakerId)
      .where('event_id', '=', event.id)
      .executeTakeFirst();
    if (!speaker) throw EventErrors.notFound('speaker', speakerId);
    const tracks = await trx
      .selectFrom('session_speakers')
      .innerJoin('sessions', 'sessions.id', 'session_speakers.session_id')
      .select('sessions.track_id')
      .where('session_speakers.speaker_id', '=', speakerId)
      .execute();
    ensureAllowed(
      canEditSpeaker(
        actor,
        scopeOf(event),
        tracks.map((t) => t.track_id),
      ),
      'edit this speaker',
    );
    const owner = ownerOfSpeaker({ id: speakerId, userId: speaker.user_id });
    const n = await replaceWindows(trx, event, owner, data.windows);
    audit({ action: 'speaker.availability_set', entityType: 'speaker', entityId: speakerId, summary: availabilitySummary(speaker.name, n) });
    return n;
  });
}

/**
 * When I can speak at an event I propose to or speak at (the speaker's own form, on their
 * proposal's page). Anyone else: FORBIDDEN.
 * Side effects, in one transaction: availability rows replaced, event version bump, audit row.
 * @throws VALIDATION_FAILED (422), FORBIDDEN (403), NOT_FOUND (404: event).
 */
export async function setMyAvailability(ctx: ModuleContext, actor: Actor | null, eventId: number, input: unknown): Promise<number> {
  const data = parseInput(WindowsSchema, input);
  return withEventWrite(ctx, actor, eventId, ANYONE, async ({ trx, event, audit, draftOnly }) => {
    // Hours and availability are for planning; the public never sees them.
    draftOnly();
    ensureAllowed(actor !== null && (await isSpeakerIn(trx, actor.userId, event.id)), 'state availability for this event');
    const n = await replaceWindows(trx, event, { kind: 'person', userId: actor!.userId }, data.windows);
    audit({ action: 'speaker.availability_set', entityType: 'user', entityId: actor!.userId, summary: availabilitySummary(actor!.displayName, n) });
    return n;
  });
}

function canManageOrTrack(actor: Actor | null, scope: { eventId: number; communityId: number }): boolean {
  return canManageEvent(actor, scope) || canEditSpeaker(actor, scope, []);
}

function availabilitySummary(name: string, n: number): string {
  return `Availability of ${name}: ${n ? `${n} window${n === 1 ? '' : 's'}` : 'any time'}`;
}

/** The windows as stored instants; problems at `windows[i].day|from|to`. Pure. */
export function windowInstants(event: Pick<EventRow, 'time_zone' | 'start_date' | 'end_date'>, windows: readonly WindowInput[]) {
  const days = new Set(datesBetween(event.start_date, event.end_date));
  const problems: Problem[] = [];
  const out: Array<{ starts_at: string; ends_at: string }> = [];
  windows.forEach((w, i) => {
    if (!days.has(w.day)) {
      problems.push({ path: `windows[${i}].day`, message: `is not a day of this event (${event.start_date} to ${event.end_date})` });
      return;
    }
    const start = parseInstant(`${w.day}T${w.from}`, event.time_zone);
    const endDay = w.to <= w.from ? nextDay(w.day) : w.day;
    const end = parseInstant(`${endDay}T${w.to}`, event.time_zone);
    if (!start) problems.push({ path: `windows[${i}].from`, message: `${w.day} ${w.from} does not exist in ${event.time_zone} (daylight saving)` });
    if (!end) problems.push({ path: `windows[${i}].to`, message: `${endDay} ${w.to} does not exist in ${event.time_zone} (daylight saving)` });
    if (start && end) out.push({ starts_at: toStoredInstant(start), ends_at: toStoredInstant(end) });
  });
  if (problems.length) throw EventErrors.validationFailed(problems);
  return out;
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

async function replaceWindows(trx: Trx, event: EventRow, owner: WindowOwner, windows: readonly WindowInput[]): Promise<number> {
  const rows = windowInstants(event, windows);
  let del = trx.deleteFrom('availability').where('event_id', '=', event.id);
  del =
    owner.kind === 'room'
      ? del.where('room_id', '=', owner.roomId)
      : owner.kind === 'speaker'
        ? del.where('speaker_id', '=', owner.speakerId)
        : owner.kind === 'person'
          ? del.where('user_id', '=', owner.userId)
          : del.where('room_id', 'is', null).where('speaker_id', 'is', null).where('user_id', 'is', null);
  await del.execute();
  if (rows.length) {
    await trx
      .insertInto('availability')
      .values(
        rows.map((r) => ({
          event_id: event.id,
          room_id: owner.kind === 'room' ? owner.roomId : null,
          speaker_id: owner.kind === 'speaker' ? owner.speakerId : null,
          user_id: owner.kind === 'person' ? owner.userId : null,
          ...r,
        })),
      )
      .execute();
  }
  return rows.length;
}
