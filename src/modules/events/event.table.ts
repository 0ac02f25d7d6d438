import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface CommunityTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: Generated<string>;
  url: string | null;
  created_at: string;
}

export interface EventTable {
  id: Generated<number>;
  community_id: number;
  slug: string;
  kind: string;
  title: string;
  acronym: string;
  time_zone: string;
  /** Local calendar dates (YYYY-MM-DD) in time_zone. */
  start_date: string;
  end_date: string;
  /** Local time (HH:MM) at which one programme day ends and the next begins. */
  day_change: Generated<string>;
  venue_name: Generated<string>;
  venue_address: Generated<string>;
  venue_url: string | null;
  description: Generated<string>;
  code_of_conduct_url: string | null;
  url: string | null;
  capacity: number | null;
  published: Generated<number>;
  /** 1: everyone sees "N interested" per session (organizers always do); added by the agenda migration. */
  show_interest_counts: Generated<number>;
  /** Set when the event was called off (it then takes no RSVPs); added by the registration migration. */
  cancelled_at: Generated<string | null>;
  /** Why it was called off, shown publicly; set with cancelled_at (null for older cancellations). */
  cancellation_reason: Generated<string | null>;
  /** Bumped by every change to the event or its draft programme; the editor and live channel follow it. */
  version: Generated<number>;
  /**
   * The version of the last change the public could see (added by the public-version migration):
   * public caches, ETags and webhooks follow it, so draft-only edits of a released programme move
   * nothing public. Set by the write path (events/event-write.ts) only.
   */
  public_version: Generated<number>;
  /** When that change was made (null: as updated_at). */
  public_updated_at: Generated<string | null>;
  created_at: string;
  updated_at: string;
}

export interface EventHostTable {
  id: Generated<number>;
  event_id: number;
  name: string;
  role: string;
  url: string | null;
  position: number;
}

export interface SponsorTable {
  id: Generated<number>;
  event_id: number;
  name: string;
  level: string;
  url: string | null;
  logo_url: string | null;
  contribution: Generated<string>;
  position: number;
}

export type CommunityRow = Selectable<CommunityTable>;
export type EventRow = Selectable<EventTable>;
export type NewEventRow = Insertable<EventTable>;
export type EventRowUpdate = Updateable<EventTable>;
export type EventHostRow = Selectable<EventHostTable>;
export type SponsorRow = Selectable<SponsorTable>;
