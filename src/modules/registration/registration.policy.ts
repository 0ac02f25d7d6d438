import type { Actor, EventScope } from '../accounts/actor.js';
import { canCheckInAttendees, canManageEvent } from '../accounts/account.policy.js';

/*
 * Registration permissions as pure predicates (tested as a table in test/registration).
 */

/** RSVP for oneself: any signed-in person with a confirmed address (mails go to it). */
export function canRsvp(actor: Actor | null): boolean {
  return actor?.emailVerified === true;
}

/** Capacity, window, questions, ticket types, moving people, session sign-up settings. */
export function canManageRegistration(actor: Actor | null, scope: EventScope): boolean {
  return canManageEvent(actor, scope);
}

/** See and export the attendee list (names, e-mail addresses, answers): organizers only. */
export function canViewAttendees(actor: Actor | null, scope: EventScope): boolean {
  return canManageEvent(actor, scope);
}

/**
 * Check people in (scan or search by name): everyone who may open the back office, and check-in
 * volunteers (who see names and ticket status, never e-mail addresses: see listAttendees).
 */
export function canCheckIn(actor: Actor | null, scope: EventScope): boolean {
  return canCheckInAttendees(actor, scope);
}
