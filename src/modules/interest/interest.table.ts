import type { Generated, Selectable } from 'kysely';

/* Row types of the interest poll (migration 2026-12-08T0400-create-interest). */

/** An event's interest poll; no row: the event has none. */
export interface InterestPollTable {
  event_id: number;
  /** PollStatus: open | closed. */
  status: Generated<string>;
  /** PollScope: accepted | review (proposals still in review too). */
  scope: Generated<string>;
  /** Plain text shown above the talks. */
  intro: Generated<string>;
  /** UTC instant after which no picks are taken; null: open until closed by hand. */
  closes_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A voter: a signed-in person (user_id) or an anonymous visitor (token_hash of their private link). */
export interface InterestVoterTable {
  id: Generated<number>;
  event_id: number;
  user_id: number | null;
  /** SHA-256 (hex) of the secret in the private link; null for signed-in voters. */
  token_hash: string | null;
  created_at: string;
  updated_at: string;
}

/** One wanted talk: a session (session_id, plus proposal_id when made from one) or a proposal (proposal_id). */
export interface InterestPickTable {
  voter_id: number;
  session_id: number | null;
  proposal_id: number | null;
  created_at: string;
}

export type InterestPollRow = Selectable<InterestPollTable>;
export type InterestVoterRow = Selectable<InterestVoterTable>;
