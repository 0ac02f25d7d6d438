import type { Generated, Selectable } from 'kysely';

/* Row types of the agenda tables (migration 2026-12-02T0200-create-agenda). */

export interface AgendaStarTable {
  user_id: number;
  session_id: number;
  event_id: number;
  created_at: string;
  /**
   * The session as the person last saw it (when starring, or marking changes as seen): start
   * instant, room and status. Null on stars older than migration 2026-12-02T0700 until seen.
   */
  seen_starts_at: string | null;
  seen_room_id: number | null;
  seen_status: string | null;
}

export interface AgendaFeedTokenTable {
  id: Generated<number>;
  user_id: number;
  event_id: number;
  /** SHA-256 (hex) of the secret in the feed URL; the secret itself is never stored. */
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
}

export interface SessionNoteTable {
  id: Generated<number>;
  user_id: number;
  event_id: number;
  session_id: number;
  /** Markdown. */
  body: Generated<string>;
  /** Markdown: the "Q&A" section of the note. */
  qa: Generated<string>;
  /** Increased by every save; the optimistic-concurrency token of save-as-you-type. */
  revision: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface RecapTable {
  id: Generated<number>;
  event_id: number;
  user_id: number;
  title: string;
  /** Markdown. */
  introduction: Generated<string>;
  /** RecapStatus: draft | published. */
  status: Generated<string>;
  /** Permalink, unique in the event; set at first publication and kept. */
  slug: string | null;
  /** First publication; kept when unpublished and published again. */
  published_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface RecapSectionTable {
  id: Generated<number>;
  recap_id: number;
  /** Null once the session was deleted from the programme. */
  session_id: number | null;
  position: number;
  /** The session's title when the section was written (shown if the session is gone). */
  title: string;
  notes: Generated<string>;
  qa: Generated<string>;
}

export interface SessionFeedbackTable {
  id: Generated<number>;
  user_id: number;
  event_id: number;
  session_id: number;
  /** 1–5. */
  rating: number;
  comment: Generated<string>;
  created_at: string;
  updated_at: string;
}

export type SessionNoteRow = Selectable<SessionNoteTable>;
export type RecapRow = Selectable<RecapTable>;
export type RecapSectionRow = Selectable<RecapSectionTable>;
export type SessionFeedbackRow = Selectable<SessionFeedbackTable>;
