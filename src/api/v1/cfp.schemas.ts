import { cfpWindow, PROPOSABLE_KINDS, PROPOSAL_STATES, type CfpSettings, type ProposalRecord } from '../../modules/cfp/cfp.js';
import { CfpSettingsSchema, ProposalSchema as ProposalInput } from '../../modules/cfp/cfp.schemas.js';
import { InvitationAnswerSchema } from '../../modules/cfp/cospeaker.actions.js';
import { COSPEAKER_STATUSES } from '../../modules/cfp/cospeaker.js';
import type { ProposalForReview, ProposalListItem, ReviewRecord } from '../../modules/cfp/proposal.queries.js';
import { SESSION_LEVELS } from '../../modules/program/session.js';
import { arrayOf, bool, enumOf, instant, int, nullable, num, object, str } from './zod-schema.js';

/*
 * Schemas and serializers of the call for proposals, shared by the public read
 * (/api/v1/events/:slug/cfp), the speaker's routes (/api/v1/me) and the organizer/reviewer routes
 * (/api/v1/manage). Request bodies are the actions' own zod schemas (src/modules/cfp/), which
 * check them, VALIDATION_FAILED naming each field.
 */

// --- The call ---------------------------------------------------------------------------------

export const CfpStateSchema = enumOf(
  ['not_yet_open', 'open', 'closed', 'closed_early'],
  'Whether proposals are taken now: `open`; `not_yet_open` (before opensAt); `closed` (past closesAt, or the event was cancelled); `closed_early` (closed by an organizer).',
);

const FormatSchema = object({ kind: enumOf(PROPOSABLE_KINDS), durationMinutes: int('Length a proposal of this format gets.') }, 'A format open to proposals.');

export const CfpSchema = object({
  eventId: int(),
  eventSlug: str(),
  eventTitle: str(),
  state: CfpStateSchema,
  opensAt: instant('UTC.'),
  closesAt: instant('UTC.'),
  closedAt: nullable(instant('When an organizer closed the call early (UTC); null = not closed early.')),
  timeZone: str('The event’s zone (IANA), in which the call’s dates are set and shown.'),
  callText: str('Plain text; blank lines separate paragraphs.'),
  formats: arrayOf(FormatSchema, 'What may be proposed, with its duration.'),
});

/** The call as everyone sees it. A cancelled event's call is `closed`, as its web page says. */
export function toCfpJson(event: { id: number; slug: string; title: string; time_zone: string; cancelled_at: string | null }, cfp: CfpSettings, now: string) {
  return {
    eventId: event.id,
    eventSlug: event.slug,
    eventTitle: event.title,
    state: event.cancelled_at ? 'closed' : cfpWindow(cfp, now),
    opensAt: cfp.opensAt,
    closesAt: cfp.closesAt,
    closedAt: cfp.closedAt,
    timeZone: event.time_zone,
    callText: cfp.callText,
    formats: cfp.formats,
  };
}

export const CfpSettingsBody = CfpSettingsSchema.describe('The whole call (it replaces the stored one; closing early stays as it was).');

// --- Proposals --------------------------------------------------------------------------------

const SpeakerSchema = object(
  {
    name: nullable(
      str('Display name of a speaker who accepted; null for pending and declined co-speakers (it never tells whether an address has an account).'),
    ),
    email: nullable(str('As the submitter typed it. Only for the proposal’s own speakers and the event’s organizers; null for everyone else.')),
    status: enumOf(
      COSPEAKER_STATUSES,
      '`accepted` (the submitter; a co-speaker who agreed: only they count as speakers), `pending` (invited, no answer yet), `declined`.',
    ),
  },
  'A speaker, in billing order (the submitter first).',
);

const proposalProperties = {
  id: int('Proposal id.'),
  eventId: int(),
  code: str('Short code of the proposal in its event.'),
  state: enumOf(PROPOSAL_STATES, '`submitted` (waiting for a decision), `accepted`, `rejected`, `withdrawn` (by its speaker; final).'),
  title: str(),
  kind: enumOf(PROPOSABLE_KINDS),
  durationMinutes: int('The duration of the call’s format.'),
  abstract: str(),
  description: str(),
  track: nullable(object({ id: int(), name: str() })),
  language: str('Language code, e.g. en or pt-BR.'),
  level: nullable(enumOf(SESSION_LEVELS)),
  notes: str('Notes for the organizers and reviewers (never public).'),
  speakers: arrayOf(SpeakerSchema),
  sessionId: nullable(int('The programme session made from it, once scheduled.')),
  createdAt: instant('UTC.'),
  updatedAt: instant('UTC.'),
  decidedAt: nullable(instant('UTC; null while undecided.')),
};

export const ProposalSchema = object(proposalProperties, 'A proposal.');

/** A proposal, with the speakers' addresses only when `showEmails`. */
export function toProposalJson(p: ProposalRecord, showEmails: boolean) {
  return {
    id: p.id,
    eventId: p.eventId,
    code: p.code,
    state: p.state,
    title: p.title,
    kind: p.kind,
    durationMinutes: p.durationMinutes,
    abstract: p.abstract,
    description: p.description,
    track: p.trackId === null ? null : { id: p.trackId, name: p.trackName ?? '' },
    language: p.language,
    level: p.level,
    notes: p.notes,
    speakers: p.speakers.map((s) => ({ name: s.name, email: showEmails ? s.email : null, status: s.status })),
    sessionId: p.sessionId,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    decidedAt: p.decidedAt,
  };
}

export const MyProposalSchema = object(
  {
    ...proposalProperties,
    event: object({ id: int(), slug: str(), title: str(), timeZone: str() }),
    isSubmitter: bool('Only the speaker who submitted a proposal changes or withdraws it; co-speakers read it.'),
  },
  'One of your proposals, with its event.',
);

export function toMyProposalJson(m: { proposal: ProposalRecord; event: { id: number; slug: string; title: string; time_zone: string }; isSubmitter: boolean }) {
  return {
    ...toProposalJson(m.proposal, true),
    event: { id: m.event.id, slug: m.event.slug, title: m.event.title, timeZone: m.event.time_zone },
    isSubmitter: m.isSubmitter,
  };
}

export const ProposalBody = ProposalInput.describe('The proposal. A change sends every field: absent optional ones are emptied.');

export const InvitationSchema = object(
  {
    proposalId: int(),
    title: str(),
    eventTitle: str(),
    inviter: str('Display name of the speaker who submitted the proposal.'),
    email: str('Your address the invitation went to.'),
  },
  'An invitation to co-speak, waiting for your answer.',
);

export const InvitationAnswerBody = InvitationAnswerSchema.describe('Your answer.');

export const InvitationAnsweredSchema = object(
  { proposalId: int(), title: str(), status: enumOf(['accepted', 'declined'] as const), blocked: bool() },
  'The answer as recorded.',
);

// --- Reviews and decisions --------------------------------------------------------------------

export const ReviewSchema = object({
  reviewerId: int(),
  reviewerName: str(),
  score: int('1 (weak) to 5 (excellent).'),
  comment: str(),
  updatedAt: instant('UTC.'),
});

export function toReviewJson(r: ReviewRecord) {
  return { reviewerId: r.reviewerId, reviewerName: r.reviewerName, score: r.score, comment: r.comment, updatedAt: r.updatedAt };
}

export const ProposalListItemSchema = object(
  {
    ...proposalProperties,
    reviewCount: int(),
    averageScore: nullable(num('Average score rounded to one decimal; null without reviews.')),
    myScore: nullable(int('Your own score; null if you did not review it.')),
  },
  'A proposal in the reviewers’ list.',
);

export function toListItemJson(i: ProposalListItem, showEmails: boolean) {
  return { ...toProposalJson(i.proposal, showEmails), reviewCount: i.reviewCount, averageScore: i.averageScore, myScore: i.myScore };
}

export const ProposalForReviewSchema = object(
  {
    proposal: ProposalSchema,
    isSpeaker: bool('You speak in it: you do not review it and do not see its reviews.'),
    canReview: bool(),
    reviews: arrayOf(ReviewSchema, 'Everyone’s reviews, yours included; empty for the proposal’s own speakers.'),
    myReview: nullable(ReviewSchema),
    averageScore: nullable(num('Average of the reviews shown; null without.')),
  },
  'A proposal with its reviews.',
);

export function toForReviewJson(s: ProposalForReview, showEmails: boolean) {
  return {
    proposal: toProposalJson(s.proposal, showEmails),
    isSpeaker: s.isSpeaker,
    canReview: s.canReview,
    reviews: s.reviews.map(toReviewJson),
    myReview: s.myReview ? toReviewJson(s.myReview) : null,
    averageScore: s.averageScore,
  };
}
