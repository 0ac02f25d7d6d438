import type { Generated, Selectable } from 'kysely';

/** One call for proposals per event. Instants are UTC, YYYY-MM-DDTHH:MM:SSZ. */
export interface CfpSettingsTable {
  event_id: number;
  opens_at: string;
  closes_at: string;
  /** Set when an organizer closed the call early; null again when reopened. */
  closed_at: string | null;
  call_text: Generated<string>;
  /** JSON array of CfpFormat. */
  formats: Generated<string>;
  created_at: string;
  updated_at: string;
}

export interface ProposalTable {
  id: Generated<number>;
  event_id: number;
  /** Short public identifier, unique in the event. */
  code: string;
  state: string;
  title: string;
  kind: string;
  duration_minutes: number;
  abstract: string;
  description: Generated<string>;
  track_id: number | null;
  language: Generated<string>;
  level: string | null;
  notes: Generated<string>;
  submitted_by: number;
  session_id: number | null;
  created_at: string;
  updated_at: string;
  decided_at: string | null;
}

export interface ProposalSpeakerTable {
  proposal_id: number;
  position: number;
  email: string;
  /** The submitter's account; a co-speaker's once they accepted (null while pending or declined). */
  user_id: number | null;
  /** pending | accepted | declined (see CospeakerStatus). */
  status: Generated<string>;
  /** SHA-256 of the invitation link's secret; null once answered (and for the submitter). */
  token_hash: string | null;
  invited_at: string | null;
  responded_at: string | null;
}

/** Every co-speaker invitation made, kept for the per-sender and per-recipient limits. */
export interface CospeakerInvitationTable {
  id: Generated<number>;
  sender_id: number;
  email: string;
  created_at: string;
}

/** Addresses that asked for no more co-speaker invitations. */
export interface CospeakerOptoutTable {
  email: string;
  created_at: string;
}

export interface ProposalReviewTable {
  id: Generated<number>;
  proposal_id: number;
  reviewer_id: number;
  score: number;
  comment: Generated<string>;
  created_at: string;
  updated_at: string;
}

export type CfpSettingsRow = Selectable<CfpSettingsTable>;
export type ProposalRow = Selectable<ProposalTable>;
