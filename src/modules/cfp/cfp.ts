import type { SessionKind, SessionLevel } from '../program/session.js';
import type { CospeakerStatus } from './cospeaker.js';

/*
 * The call for proposals: its window, the formats speakers may propose, and the proposal state
 * machine. Pure rules, no database.
 */

/** The session kinds a call may offer (content kinds; breaks and meals are never proposed). */
export const PROPOSABLE_KINDS = ['talk', 'lightning', 'workshop', 'panel', 'keynote'] as const satisfies readonly SessionKind[];
export type ProposableKind = (typeof PROPOSABLE_KINDS)[number];

/** Default durations offered when an organizer first ticks a format. */
export const DEFAULT_DURATIONS: Record<ProposableKind, number> = { talk: 30, lightning: 5, workshop: 90, panel: 45, keynote: 45 };

/** A format open to proposals and the duration a proposal of it gets. */
export interface CfpFormat {
  readonly kind: ProposableKind;
  readonly durationMinutes: number;
}

export interface CfpSettings {
  readonly eventId: number;
  /** UTC instants. */
  readonly opensAt: string;
  readonly closesAt: string;
  readonly closedAt: string | null;
  readonly callText: string;
  readonly formats: readonly CfpFormat[];
}

export type CfpWindow = 'not_yet_open' | 'open' | 'closed' | 'closed_early';

/** Where the call stands at `now` (a stored UTC instant): open only between its dates and not closed early. */
export function cfpWindow(s: Pick<CfpSettings, 'opensAt' | 'closesAt' | 'closedAt'>, now: string): CfpWindow {
  if (s.closedAt !== null) return 'closed_early';
  if (now < s.opensAt) return 'not_yet_open';
  if (now >= s.closesAt) return 'closed';
  return 'open';
}

export const PROPOSAL_STATES = ['submitted', 'accepted', 'rejected', 'withdrawn'] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

export const PROPOSAL_STATE_LABELS: Record<ProposalState, string> = {
  submitted: 'Submitted',
  accepted: 'Accepted',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
};

/**
 * Proposal transitions. The speaker withdraws a proposal not yet decided; organizers accept or
 * reject it, and may undo a decision (back to submitted) as long as the proposal is not on the
 * programme. The speakers were mailed at the decision, so undoing mails nobody; the next decision
 * mails them again. A withdrawn proposal is final.
 */
export const PROPOSAL_TRANSITIONS = {
  withdraw: { from: ['submitted'], to: 'withdrawn' },
  accept: { from: ['submitted'], to: 'accepted' },
  reject: { from: ['submitted'], to: 'rejected' },
  undo: { from: ['accepted', 'rejected'], to: 'submitted' },
} as const satisfies Record<string, { from: readonly ProposalState[]; to: ProposalState }>;
export type ProposalTransition = keyof typeof PROPOSAL_TRANSITIONS;

/** The state after `transition`, or null when it is not allowed from `state`. */
export function nextProposalState(state: ProposalState, transition: ProposalTransition): ProposalState | null {
  const t = PROPOSAL_TRANSITIONS[transition];
  return (t.from as readonly ProposalState[]).includes(state) ? t.to : null;
}

/** Speakers change their proposal only while the call is open and nobody has decided on it. */
export function isEditable(state: ProposalState, window: CfpWindow): boolean {
  return state === 'submitted' && window === 'open';
}

export const SCORES = [1, 2, 3, 4, 5] as const;
export const SCORE_LABELS: Record<number, string> = { 1: '1 — weak', 2: '2 — below average', 3: '3 — average', 4: '4 — good', 5: '5 — excellent' };

/** The average of the scores rounded to one decimal, or null without reviews. */
export function averageScore(scores: readonly number[]): number | null {
  if (scores.length === 0) return null;
  return Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10;
}

/** A proposal as its speakers and reviewers see it. */
export interface ProposalRecord {
  readonly id: number;
  readonly eventId: number;
  readonly code: string;
  readonly state: ProposalState;
  readonly title: string;
  readonly kind: ProposableKind;
  readonly durationMinutes: number;
  readonly abstract: string;
  readonly description: string;
  readonly trackId: number | null;
  readonly trackName: string | null;
  readonly language: string;
  readonly level: SessionLevel | null;
  /** Private to the organizers (and reviewers). */
  readonly notes: string;
  readonly submittedBy: number;
  readonly sessionId: number | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly decidedAt: string | null;
  /** In billing order, the submitter first. */
  readonly speakers: readonly ProposalSpeaker[];
}

export interface ProposalSpeaker {
  /** As the submitter typed it (lower-cased). */
  readonly email: string;
  /** The submitter is `accepted`; a co-speaker is `pending` until they answer. */
  readonly status: CospeakerStatus;
  /** The account of an accepted speaker; always null for pending and declined ones. */
  readonly userId: number | null;
  /** An accepted speaker's display name; null otherwise, so it never tells whether an address has an account. */
  readonly name: string | null;
}
