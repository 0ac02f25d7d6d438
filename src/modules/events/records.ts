import type { CommunityRow, EventHostRow, EventRow, SponsorRow } from './event.table.js';
import { eventStateOf, type EventKind, type EventState, type HostRole, type SponsorLevel } from './event.js';

/*
 * What back-office actions and queries return: plain, immutable objects in camelCase, with the
 * same field names as the input schemas so a form can be filled from a record directly.
 */

export interface CommunityRecord {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly url: string | null;
  readonly createdAt: string;
}

export interface EventRecord {
  readonly id: number;
  readonly communityId: number;
  readonly slug: string;
  readonly kind: EventKind;
  readonly title: string;
  readonly acronym: string;
  readonly timeZone: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly dayChange: string;
  readonly venueName: string;
  readonly venueAddress: string;
  readonly venueUrl: string | null;
  readonly description: string;
  readonly codeOfConductUrl: string | null;
  readonly url: string | null;
  readonly capacity: number | null;
  readonly state: EventState;
  /** When it was called off (see CANCELLATION_REASON_MAX in event.ts), else null. */
  readonly cancelledAt: string | null;
  readonly cancellationReason: string | null;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface HostRecord {
  readonly id: number;
  readonly name: string;
  readonly role: HostRole;
  readonly url: string | null;
  readonly position: number;
}

export interface SponsorRecord {
  readonly id: number;
  readonly eventId: number;
  readonly name: string;
  readonly level: SponsorLevel;
  readonly url: string | null;
  readonly logoUrl: string | null;
  readonly contribution: string;
  readonly position: number;
}

export function toCommunityRecord(r: CommunityRow): CommunityRecord {
  return { id: r.id, slug: r.slug, name: r.name, description: r.description, url: r.url, createdAt: r.created_at };
}

export function toEventRecord(r: EventRow): EventRecord {
  return {
    id: r.id,
    communityId: r.community_id,
    slug: r.slug,
    kind: r.kind as EventKind,
    title: r.title,
    acronym: r.acronym,
    timeZone: r.time_zone,
    startDate: r.start_date,
    endDate: r.end_date,
    dayChange: r.day_change,
    venueName: r.venue_name,
    venueAddress: r.venue_address,
    venueUrl: r.venue_url,
    description: r.description,
    codeOfConductUrl: r.code_of_conduct_url,
    url: r.url,
    capacity: r.capacity,
    state: eventStateOf(r.published),
    cancelledAt: r.cancelled_at,
    cancellationReason: r.cancellation_reason,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function toHostRecord(r: EventHostRow): HostRecord {
  return { id: r.id, name: r.name, role: r.role as HostRole, url: r.url, position: r.position };
}

export function toSponsorRecord(r: SponsorRow): SponsorRecord {
  return {
    id: r.id,
    eventId: r.event_id,
    name: r.name,
    level: r.level as SponsorLevel,
    url: r.url,
    logoUrl: r.logo_url,
    contribution: r.contribution,
    position: r.position,
  };
}
