import type { Actor, EventScope } from '../accounts/actor.js';
import { canEditSession, canViewBackOffice } from '../accounts/account.policy.js';

/*
 * Who may see or do what around an attendee's agenda, as pure predicates (tested as a table in
 * agenda.policy.test.ts). Private things (stars, notes, drafts, feeds) have no predicate: they
 * are only ever read by owner (`where user_id = actor`), so another person's is simply not found.
 */

/** Starred counts per session: organizers and track managers always, everyone when the event shows them. */
export function canSeeInterestCounts(actor: Actor | null, scope: EventScope, shownPublicly: boolean): boolean {
  return shownPublicly || canViewBackOffice(actor, scope);
}

/**
 * A session's feedback summary: its speakers (speaker profiles linked to the account) and whoever
 * may edit the session (organizers; track managers of its track).
 */
export function canReadSessionFeedback(
  actor: Actor | null,
  scope: EventScope,
  session: { trackId: number | null; speakerUserIds: readonly number[] },
): boolean {
  if (actor && session.speakerUserIds.includes(actor.userId)) return true;
  return canEditSession(actor, scope, session);
}

/** The feedback summary of every session of the event: organizers (and track managers, for their tracks' sessions). */
export function canReadEventFeedback(actor: Actor | null, scope: EventScope): boolean {
  return canViewBackOffice(actor, scope);
}

/** Add or remove slides/video links on a session: its own speakers, and whoever may edit it. */
export function canEditSessionLinks(actor: Actor | null, scope: EventScope, session: { trackId: number | null; speakerUserIds: readonly number[] }): boolean {
  return canReadSessionFeedback(actor, scope, session);
}

/** Give feedback on a session: attendees who are not one of its speakers. */
export function canGiveFeedback(actor: Actor | null, session: { speakerUserIds: readonly number[] }, isAttendee: boolean): boolean {
  return actor !== null && isAttendee && !session.speakerUserIds.includes(actor.userId);
}
