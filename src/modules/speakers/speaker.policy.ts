import type { Actor, EventScope } from '../accounts/actor.js';
import { editableTrackIds } from '../accounts/account.policy.js';

/*
 * Who may change speaker profiles. Organizers: any. Track managers: they add speakers for the
 * sessions of their tracks, so they may create profiles, and edit or delete one whose sessions
 * are all in their tracks (a new profile with no sessions included) — never a profile that also
 * appears in another track, which its managers or the organizers own.
 */

/** Add a speaker profile to the event: organizers and track managers. */
export function canCreateSpeaker(actor: Actor | null, scope: EventScope): boolean {
  const tracks = editableTrackIds(actor, scope);
  return tracks === 'all' || tracks.length > 0;
}

/** Edit or delete a speaker, given the track of each of their sessions (null: no track). */
export function canEditSpeaker(actor: Actor | null, scope: EventScope, sessionTrackIds: readonly (number | null)[]): boolean {
  const tracks = editableTrackIds(actor, scope);
  if (tracks === 'all') return true;
  if (tracks.length === 0) return false;
  return sessionTrackIds.every((t) => t !== null && tracks.includes(t));
}
