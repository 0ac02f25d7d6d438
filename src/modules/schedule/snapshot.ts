import type { EventKind, HostRole, SponsorLevel } from '../events/event.js';
import type { LinkKind, SessionKind, SessionLevel, SessionStatus } from '../program/session.js';
import type { SpeakerHandles } from '../speakers/speaker.js';

/**
 * Everything public about one event at one version, read in one go and shared by every page,
 * API response and export of that version. Immutable: a change to the event produces a new
 * version and so a new snapshot.
 */
export interface Community {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly url: string | null;
}

export interface EventHost {
  readonly name: string;
  readonly role: HostRole;
  readonly url: string | null;
}

export interface EventInfo {
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
  readonly venue: { readonly name: string; readonly address: string; readonly url: string | null };
  readonly description: string;
  readonly codeOfConductUrl: string | null;
  readonly url: string | null;
  readonly capacity: number | null;
  readonly published: boolean;
  /** Set when the event was called off: public pages say so, with the reason. */
  readonly cancelledAt: string | null;
  readonly cancellationReason: string | null;
  /** Whether public pages show "N interested" per session (read live from /interest.json). */
  readonly showInterestCounts: boolean;
  readonly version: number;
  /** The name of the release the public sees (frab <version>), null before the first. */
  readonly release: string | null;
  readonly updatedAt: string;
  readonly hosts: readonly EventHost[];
}

export interface Room {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly capacity: number | null;
  readonly position: number;
}

export interface Track {
  readonly id: number;
  readonly name: string;
  readonly slug: string;
  readonly color: string;
  readonly description: string;
}

export interface Speaker {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly jobTitle: string;
  readonly company: string;
  readonly bio: string;
  readonly avatarUrl: string | null;
  readonly handles: SpeakerHandles;
}

export interface SessionLink {
  readonly kind: LinkKind;
  readonly title: string;
  readonly url: string;
}

export interface Session {
  readonly id: number;
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
  /** UTC instants in stored form. */
  readonly startsAt: string;
  readonly endsAt: string;
  readonly durationMinutes: number;
  readonly sequence: number;
  readonly updatedAt: string;
  /** Programme day (local date) computed from the event's zone and day change. */
  readonly day: string;
  readonly speakerIds: readonly number[];
  readonly links: readonly SessionLink[];
}

export interface Sponsor {
  readonly id: number;
  readonly name: string;
  readonly level: SponsorLevel;
  readonly url: string | null;
  readonly logoUrl: string | null;
  readonly contribution: string;
}

export interface ProgramSnapshot {
  readonly community: Community;
  readonly event: EventInfo;
  /** Rooms in display order. */
  readonly rooms: readonly Room[];
  readonly tracks: readonly Track[];
  /** Speakers in display order (by name). */
  readonly speakers: readonly Speaker[];
  /** Sessions by start, then room order. */
  readonly sessions: readonly Session[];
  readonly sponsors: readonly Sponsor[];
  /** Programme days from the event's start to end date. */
  readonly days: readonly string[];
  readonly roomById: ReadonlyMap<number, Room>;
  readonly trackById: ReadonlyMap<number, Track>;
  readonly speakerById: ReadonlyMap<number, Speaker>;
  readonly speakerByCode: ReadonlyMap<string, Speaker>;
  readonly sessionByCode: ReadonlyMap<string, Session>;
  readonly sponsorById: ReadonlyMap<number, Sponsor>;
  /** Each speaker's sessions, in start order. */
  readonly sessionsBySpeaker: ReadonlyMap<number, readonly Session[]>;
  readonly sessionsByDay: ReadonlyMap<string, readonly Session[]>;
}
