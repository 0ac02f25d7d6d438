import type { Generated, Selectable } from 'kysely';

export interface RoomTable {
  id: Generated<number>;
  event_id: number;
  name: string;
  description: Generated<string>;
  capacity: number | null;
  position: number;
}

export interface TrackTable {
  id: Generated<number>;
  event_id: number;
  name: string;
  slug: string;
  color: string;
  description: Generated<string>;
  position: number;
}

export interface SessionTable {
  id: Generated<number>;
  event_id: number;
  code: string;
  guid: string;
  kind: string;
  status: Generated<string>;
  title: string;
  subtitle: Generated<string>;
  abstract: Generated<string>;
  language: Generated<string>;
  level: string | null;
  track_id: number | null;
  room_id: number | null;
  sponsor_id: number | null;
  /** UTC instants, YYYY-MM-DDTHH:MM:SSZ. */
  starts_at: string;
  ends_at: string;
  duration_minutes: number;
  /** Bumped whenever the session changes: iCalendar SEQUENCE. */
  sequence: Generated<number>;
  /** 0: taken off the grid (keeps its last room and time); releases leave it out. */
  placed: Generated<number>;
  /** 1: pinned by an organizer; the optimizer never moves it (migration 2026-12-08T0500). */
  pinned: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface SessionSpeakerTable {
  session_id: number;
  speaker_id: number;
  position: number;
}

export interface SessionLinkTable {
  id: Generated<number>;
  session_id: number;
  kind: string;
  title: string;
  url: string;
  position: number;
}

export type RoomRow = Selectable<RoomTable>;
export type TrackRow = Selectable<TrackTable>;
export type SessionRow = Selectable<SessionTable>;
export type SessionLinkRow = Selectable<SessionLinkTable>;
