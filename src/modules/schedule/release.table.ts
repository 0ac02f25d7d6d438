import type { Generated, Selectable } from 'kysely';

export interface ScheduleReleaseTable {
  id: Generated<number>;
  event_id: number;
  /** 1, 2, … per event, in release order. */
  number: number;
  /** Unique in the event; shown as frab <version>. */
  name: string;
  comment: Generated<string>;
  released_at: string;
  released_by: number | null;
  released_by_label: Generated<string>;
  /** sent | held | none */
  notifications: Generated<string>;
  change_count: Generated<number>;
}

/** Where each session was, as released. Immutable once written. */
export interface ReleaseSessionTable {
  release_id: number;
  session_id: number;
  code: string;
  title: string;
  status: string;
  room_id: number | null;
  room_name: Generated<string>;
  starts_at: string;
  ends_at: string;
  /** JSON array of speaker ids in speaking order. */
  speaker_ids: Generated<string>;
}

export interface ReleaseChangeTable {
  id: Generated<number>;
  release_id: number;
  session_id: number;
  code: string;
  title: string;
  kind: string;
  /** JSON, see ReleaseChange in release.ts. */
  details: Generated<string>;
}

export type ScheduleReleaseRow = Selectable<ScheduleReleaseTable>;
export type ReleaseSessionRow = Selectable<ReleaseSessionTable>;
export type ReleaseChangeRow = Selectable<ReleaseChangeTable>;
