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

/** Slugs appear in URLs: lower-case letters, digits and single hyphens. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
