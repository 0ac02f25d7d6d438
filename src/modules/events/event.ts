export const EVENT_KINDS = ['conference', 'meetup'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const HOST_ROLES = ['organizer', 'co-organizer', 'host', 'venue'] as const;
export type HostRole = (typeof HOST_ROLES)[number];

export const HOST_ROLE_LABELS: Record<HostRole, string> = {
  organizer: 'Organizer',
  'co-organizer': 'Co-organizer',
  host: 'Host',
  venue: 'Venue host',
};

export const SPONSOR_LEVELS = ['platinum', 'gold', 'silver', 'bronze', 'community', 'partner', 'media'] as const;
export type SponsorLevel = (typeof SPONSOR_LEVELS)[number];

export { SLUG_PATTERN } from '../../lib/slug.js';

/**
 * An event's publication state. New events start as drafts (visible only in the back office);
 * publishing makes the public pages, API and exports show them. Stored as `events.published` 0/1.
 */
export const EVENT_STATES = ['draft', 'published'] as const;
export type EventState = (typeof EVENT_STATES)[number];

/** The state transitions an organizer can make, each allowed only from the listed states. */
export const EVENT_TRANSITIONS = {
  publish: { from: ['draft'], to: 'published' },
  unpublish: { from: ['published'], to: 'draft' },
} as const satisfies Record<string, { from: readonly EventState[]; to: EventState }>;
export type EventTransition = keyof typeof EVENT_TRANSITIONS;

/**
 * Cancellation is separate from publication and one-way: a cancelled event keeps its state (a
 * published one stays public, marked "Cancelled" with the reason) but takes no RSVPs or sign-ups
 * and sends no reminders. Stored as `events.cancelled_at` + `cancellation_reason`. There is no
 * reinstate: everyone going or waitlisted was mailed (with a CANCELLED calendar entry), so
 * quietly undoing it would leave them believing it is off; organizers create a new event instead.
 */
export const CANCELLATION_REASON_MAX = 1000;

export function eventStateOf(published: number | boolean): EventState {
  return published === true || published === 1 ? 'published' : 'draft';
}

/** The state after `transition`, or null when the transition is not allowed from `state`. */
export function nextEventState(state: EventState, transition: EventTransition): EventState | null {
  const t = EVENT_TRANSITIONS[transition];
  return (t.from as readonly EventState[]).includes(state) ? t.to : null;
}
