import type { RoomRow, TrackRow } from './program.table.js';
import type { LinkKind, SessionKind, SessionLevel, SessionStatus } from './session.js';

/* What the room, track and session actions and back-office queries return (see events/records.ts). */

export interface RoomRecord {
  readonly id: number;
  readonly eventId: number;
  readonly name: string;
  readonly description: string;
  readonly capacity: number | null;
  readonly position: number;
}

export interface TrackRecord {
  readonly id: number;
  readonly eventId: number;
  readonly name: string;
  readonly slug: string;
  readonly color: string;
  readonly description: string;
  readonly position: number;
}

export interface LinkRecord {
  readonly kind: LinkKind;
  readonly title: string;
  readonly url: string;
}

export interface SessionRecord {
  readonly id: number;
  readonly eventId: number;
  /** Stable public identifier (URLs, exports), made from the title when the session is created. */
  readonly code: string;
  readonly guid: string;
  readonly kind: SessionKind;
  readonly status: SessionStatus;
  readonly title: string;
  readonly subtitle: string;
  readonly abstract: string;
  readonly language: string;
  readonly level: SessionLevel | null;
  readonly trackId: number | null;
  readonly roomId: number | null;
  readonly sponsorId: number | null;
  /** Local wall-clock start in the event's zone, `2027-04-15T10:30`: the form's `start` value. */
  readonly start: string;
  /** UTC instants in stored form. */
  readonly startsAt: string;
  readonly endsAt: string;
  readonly durationMinutes: number;
  /** Programme day (local date) the session belongs to. */
  readonly day: string;
  /** iCalendar SEQUENCE: bumped by every change to the session. */
  readonly sequence: number;
  readonly speakerIds: readonly number[];
  readonly links: readonly LinkRecord[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function toRoomRecord(r: RoomRow): RoomRecord {
  return { id: r.id, eventId: r.event_id, name: r.name, description: r.description, capacity: r.capacity, position: r.position };
}

export function toTrackRecord(r: TrackRow): TrackRecord {
  return { id: r.id, eventId: r.event_id, name: r.name, slug: r.slug, color: r.color, description: r.description, position: r.position };
}
