import type { Db } from '../../db/database.js';
import type { Actor } from '../accounts/actor.js';
import { EventErrors } from '../events/event.errors.js';
import { ensureAllowed, scopeOf } from '../events/event-write.queries.js';
import type { EventRow } from '../events/event.table.js';
import { registrationStatus, windowState, type Question, type RegistrationCounts, type RegistrationStatus, type WindowState } from './registration.js';
import { findEventRow, listTicketTypes, type TicketTypeView } from './registration-pages.queries.js';
import { RegistrationErrors } from './registration.errors.js';
import { canCheckIn, canManageRegistration } from './registration.policy.js';
import {
  cachedEventSpan,
  getRegistrationCounts,
  getRegistrationSettings,
  getSeatCounts,
  type EventSpan,
  type RegistrationContext,
  type RegistrationSettings,
} from './rsvp.queries.js';

/*
 * Where an event's registration stands, without the lock (reads for pages and the API; never
 * written through): its settings (the defaults before the first RSVP), span, window and status,
 * the counts and ticket types. What everyone may see is `getPublicRegistration`; organizers and
 * door volunteers get more through the functions that check their permission.
 */

/** Registration settings as stored, else the defaults the first RSVP will store. */
export function settingsOrDefault(event: EventRow, s: RegistrationSettings | null): RegistrationSettings {
  return (
    s ?? {
      eventId: event.id,
      capacity: event.capacity,
      opensAt: null,
      closesAt: null,
      closedAt: null,
      guestLimit: 0,
      questions: [] as Question[],
      allowSessionOverlap: false,
      reminderHours: [],
      waitlistSeq: 0,
      seatsTaken: 0,
      waitlisted: 0,
    }
  );
}

export interface RegistrationState {
  readonly settings: RegistrationSettings;
  readonly span: EventSpan;
  /** The instant the state was read at (stored form). */
  readonly now: string;
  readonly window: WindowState;
  readonly status: RegistrationStatus;
}

/** The event's settings, span, window and status now. */
export async function readRegistrationState(db: Db, ctx: RegistrationContext, event: EventRow): Promise<RegistrationState> {
  const settings = settingsOrDefault(event, await getRegistrationSettings(db, event.id));
  // Cached per event version: computing it (a sessions query and zone arithmetic) was a third of
  // the CPU of the public registration answer.
  const span = await cachedEventSpan(db, event);
  const now = ctx.clock.instant();
  const window = windowState(settings, span.startsAt, now);
  return { settings, span, now, window, status: registrationStatus(event.cancelled_at, span.endsAt, window, now) };
}

/** What anyone may know about an event's registration: what its RSVP form and seat line show. */
export interface PublicRegistration {
  readonly status: RegistrationStatus;
  readonly opensAt: string | null;
  /** When RSVPs close: the organizer's time, else the event's start. */
  readonly closesAt: string;
  readonly capacity: number | null;
  /** null = no seat limit. */
  readonly seatsLeft: number | null;
  readonly waitlisted: number;
  readonly guestLimit: number;
  readonly questions: readonly Question[];
  readonly ticketTypes: ReadonlyArray<{ id: number; name: string; description: string; quota: number | null; seatsLeft: number | null }>;
}

/**
 * The registration of a published event, for everyone: no names, addresses or answers.
 * @throws EVENT_NOT_FOUND (404: unknown or unpublished).
 */
export async function getPublicRegistration(db: Db, ctx: RegistrationContext, eventId: number): Promise<PublicRegistration> {
  const event = await findEventRow(db, eventId);
  if (event?.published !== 1) throw RegistrationErrors.eventNotFound(eventId);
  const [state, counts, types] = await Promise.all([readRegistrationState(db, ctx, event), getSeatCounts(db, eventId), listTicketTypes(db, eventId)]);
  const s = state.settings;
  return {
    status: state.status,
    opensAt: s.opensAt,
    closesAt: s.closesAt ?? state.span.startsAt,
    capacity: counts.capacity,
    seatsLeft: counts.seatsFree,
    waitlisted: counts.waitlisted,
    guestLimit: s.guestLimit,
    questions: s.questions,
    ticketTypes: types.map((t) => ({
      id: t.id,
      name: t.name,
      description: t.description,
      quota: t.quota,
      seatsLeft: t.quota === null ? null : Math.max(0, t.quota - t.taken),
    })),
  };
}

/** The registration as its organizers see it. */
export interface RegistrationOverview {
  readonly state: RegistrationState;
  readonly counts: RegistrationCounts;
  readonly ticketTypes: readonly TicketTypeView[];
}

async function eventOrNotFound(db: Db, eventId: number): Promise<EventRow> {
  const event = await findEventRow(db, eventId);
  if (!event) throw EventErrors.notFound('event', eventId);
  return event;
}

/**
 * Settings, status, counts and ticket types of an event (drafts too), for its organizers.
 * @throws NOT_FOUND (404), FORBIDDEN (403).
 */
export async function getRegistrationOverview(db: Db, ctx: RegistrationContext, actor: Actor | null, eventId: number): Promise<RegistrationOverview> {
  const event = await eventOrNotFound(db, eventId);
  ensureAllowed(canManageRegistration(actor, scopeOf(event)), 'see the registration of this event');
  const [state, counts, ticketTypes] = await Promise.all([
    readRegistrationState(db, ctx, event),
    getRegistrationCounts(db, eventId),
    listTicketTypes(db, eventId),
  ]);
  return { state, counts, ticketTypes };
}

/**
 * The counts (going, waitlisted, cancelled, checked in…) for everyone who works the door.
 * @throws NOT_FOUND (404), FORBIDDEN (403).
 */
export async function getDoorCounts(db: Db, actor: Actor | null, eventId: number): Promise<RegistrationCounts> {
  const event = await eventOrNotFound(db, eventId);
  ensureAllowed(canCheckIn(actor, scopeOf(event)), 'see the counts of this event');
  return getRegistrationCounts(db, eventId);
}
