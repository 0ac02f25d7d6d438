import type { Actor, EventScope } from '../accounts/actor.js';
import { EventErrors } from '../events/event.errors.js';
import type { EventRow } from '../events/event.table.js';
import { ensureAllowed, scopeOf, type DbOrTrx } from '../events/event-write.queries.js';
import { parseInput } from '../../lib/form-fields.js';
import type { SessionLevel } from '../program/session.js';
import { averageScore, type ProposableKind, type ProposalRecord, type ProposalSpeaker, type ProposalState } from './cfp.js';
import { CfpErrors } from './cfp.errors.js';
import type { CospeakerStatus } from './cospeaker.js';
import { canReviewProposal, canViewProposal, canViewProposals, reviewableTrackIds } from './cfp.policy.js';
import { ProposalFilterSchema } from './cfp.schemas.js';
import type { ProposalRow } from './cfp.table.js';

/*
 * Reads of proposals. A speaker sees the proposals they submitted or accepted to co-speak in (by
 * account, or, for co-speakers from before consent was asked, by an address their confirmed
 * account has); a pending co-speaker sees only the invitation (cospeaker.queries.ts); reviewers
 * see the event's proposals their grant covers. Everything else is "not found".
 */

/** Proposals with their speakers and track names, in the order of `rows`. Three queries. */
export async function toProposalRecords(db: DbOrTrx, rows: readonly ProposalRow[]): Promise<ProposalRecord[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const speakers = await db
    .selectFrom('proposal_speakers')
    .leftJoin('users', 'users.id', 'proposal_speakers.user_id')
    .select(['proposal_speakers.proposal_id', 'proposal_speakers.email', 'proposal_speakers.user_id', 'proposal_speakers.status', 'users.display_name'])
    .where('proposal_speakers.proposal_id', 'in', ids)
    .orderBy('proposal_speakers.proposal_id')
    .orderBy('proposal_speakers.position')
    .execute();
  // Accepted co-speakers without a linked account (from before consent was asked): an account
  // that confirmed the address since counts. Pending and declined ones are never looked up.
  const loose = [...new Set(speakers.filter((s) => s.user_id === null && s.status === 'accepted').map((s) => s.email))];
  const byEmail = new Map(
    loose.length
      ? (
          await db.selectFrom('users').select(['id', 'email', 'display_name']).where('email', 'in', loose).where('email_verified_at', 'is not', null).execute()
        ).map((u) => [u.email, u])
      : [],
  );
  const trackIds = [...new Set(rows.map((r) => r.track_id).filter((t): t is number => t !== null))];
  const tracks = new Map(
    trackIds.length ? (await db.selectFrom('tracks').select(['id', 'name']).where('id', 'in', trackIds).execute()).map((t) => [t.id, t.name]) : [],
  );
  const people = new Map<number, ProposalSpeaker[]>();
  for (const s of speakers) {
    const list = people.get(s.proposal_id) ?? [];
    if (s.status !== 'accepted') {
      list.push({ email: s.email, status: s.status as CospeakerStatus, userId: null, name: null });
    } else {
      const account = s.user_id === null ? byEmail.get(s.email) : undefined;
      list.push({ email: s.email, status: 'accepted', userId: s.user_id ?? account?.id ?? null, name: s.display_name ?? account?.display_name ?? null });
    }
    people.set(s.proposal_id, list);
  }
  return rows.map((r) => ({
    id: r.id,
    eventId: r.event_id,
    code: r.code,
    state: r.state as ProposalState,
    title: r.title,
    kind: r.kind as ProposableKind,
    durationMinutes: r.duration_minutes,
    abstract: r.abstract,
    description: r.description,
    trackId: r.track_id,
    trackName: r.track_id === null ? null : (tracks.get(r.track_id) ?? null),
    language: r.language,
    level: r.level as SessionLevel | null,
    notes: r.notes,
    submittedBy: r.submitted_by,
    sessionId: r.session_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    decidedAt: r.decided_at,
    speakers: people.get(r.id) ?? [],
  }));
}

/** The ids of the proposals `userId` speaks in (submitted, or accepted by account or by confirmed address). */
function proposalIdsOfSpeaker(db: DbOrTrx, userId: number) {
  return db
    .selectFrom('proposal_speakers')
    .select('proposal_speakers.proposal_id')
    .where('proposal_speakers.status', '=', 'accepted')
    .where((eb) =>
      eb.or([
        eb('proposal_speakers.user_id', '=', userId),
        eb(
          'proposal_speakers.email',
          'in',
          eb.selectFrom('users').select('users.email').where('users.id', '=', userId).where('users.email_verified_at', 'is not', null),
        ),
      ]),
    );
}

/** The user ids of a proposal's speakers: the submitter and the co-speakers who accepted. */
export function speakerUserIds(p: Pick<ProposalRecord, 'speakers' | 'submittedBy'>): number[] {
  return [...new Set([p.submittedBy, ...p.speakers.map((s) => s.userId).filter((u): u is number => u !== null)])];
}

export interface MyProposal {
  readonly proposal: ProposalRecord;
  readonly event: Pick<EventRow, 'id' | 'slug' | 'title' | 'time_zone' | 'cancelled_at'>;
  /** Only the submitter edits and withdraws; co-speakers read. */
  readonly isSubmitter: boolean;
}

/** Every proposal the actor speaks in, across events, newest first. */
export async function listMyProposals(db: DbOrTrx, actor: Actor): Promise<MyProposal[]> {
  const rows = await db
    .selectFrom('proposals')
    .selectAll()
    .where('id', 'in', proposalIdsOfSpeaker(db, actor.userId))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return withEvents(db, actor, await toProposalRecords(db, rows));
}

/**
 * One proposal the actor speaks in.
 * @throws PROPOSAL_NOT_FOUND (404) for unknown proposals and other people's alike.
 */
export async function getMyProposal(db: DbOrTrx, actor: Actor, proposalId: number): Promise<MyProposal> {
  const row = await db
    .selectFrom('proposals')
    .selectAll()
    .where('id', '=', proposalId)
    .where('id', 'in', proposalIdsOfSpeaker(db, actor.userId))
    .executeTakeFirst();
  if (!row) throw CfpErrors.proposalNotFound(proposalId);
  return (await withEvents(db, actor, await toProposalRecords(db, [row])))[0]!;
}

async function withEvents(db: DbOrTrx, actor: Actor, proposals: ProposalRecord[]): Promise<MyProposal[]> {
  if (proposals.length === 0) return [];
  const events = new Map(
    (
      await db
        .selectFrom('events')
        .select(['id', 'slug', 'title', 'time_zone', 'cancelled_at'])
        .where('id', 'in', [...new Set(proposals.map((p) => p.eventId))])
        .execute()
    ).map((e) => [e.id, e]),
  );
  return proposals.map((p) => ({ proposal: p, event: events.get(p.eventId)!, isSubmitter: p.submittedBy === actor.userId }));
}

/** A proposal in the reviewers' list. */
export interface ProposalListItem {
  readonly proposal: ProposalRecord;
  readonly reviewCount: number;
  readonly averageScore: number | null;
  /** The asker's own score, if they reviewed it. */
  readonly myScore: number | null;
}

async function openEvent(db: DbOrTrx, actor: Actor | null, eventId: number): Promise<{ event: EventRow; scope: EventScope }> {
  const event = await db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirst();
  if (!event) throw EventErrors.notFound('event', eventId);
  const scope = scopeOf(event);
  ensureAllowed(canViewProposals(actor, scope), 'see the proposals of this event');
  return { event, scope };
}

/**
 * The event's proposals the actor may review (all, or their tracks' for track managers), with
 * review counts and average scores. `filter`: `state`, `sort` (newest | score: best average
 * first, unreviewed last).
 * @throws NOT_FOUND (404: event), FORBIDDEN (403), VALIDATION_FAILED (422: a filter).
 */
export async function listProposalsForReview(db: DbOrTrx, actor: Actor | null, eventId: number, filter: unknown = {}): Promise<ProposalListItem[]> {
  const f = parseInput(ProposalFilterSchema, filter);
  const { scope } = await openEvent(db, actor, eventId);
  const tracks = reviewableTrackIds(actor, scope);
  let q = db.selectFrom('proposals').selectAll().where('event_id', '=', eventId);
  if (tracks !== 'all') q = q.where('track_id', 'in', tracks);
  if (f.state) q = q.where('state', '=', f.state);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  const proposals = await toProposalRecords(db, rows);
  const reviews = rows.length
    ? await db
        .selectFrom('proposal_reviews')
        .select(['proposal_id', 'reviewer_id', 'score'])
        .where(
          'proposal_id',
          'in',
          rows.map((r) => r.id),
        )
        .execute()
    : [];
  // Grouped once: a FOSDEM-sized call has ~2,000 proposals and several reviews each.
  const byProposal = new Map<number, typeof reviews>();
  for (const r of reviews) byProposal.set(r.proposal_id, [...(byProposal.get(r.proposal_id) ?? []), r]);
  const items = proposals.map((p) => {
    const mine = byProposal.get(p.id) ?? [];
    return {
      proposal: p,
      reviewCount: mine.length,
      averageScore: averageScore(mine.map((r) => r.score)),
      myScore: mine.find((r) => r.reviewer_id === actor!.userId)?.score ?? null,
    };
  });
  if (f.sort === 'score') items.sort((a, b) => (b.averageScore ?? -1) - (a.averageScore ?? -1));
  return items;
}

export interface ReviewRecord {
  readonly reviewerId: number;
  readonly reviewerName: string;
  readonly score: number;
  readonly comment: string;
  readonly updatedAt: string;
}

export interface ProposalForReview {
  readonly event: EventRow;
  readonly proposal: ProposalRecord;
  /** The actor speaks in it: no reviews shown, no review form. */
  readonly isSpeaker: boolean;
  readonly canReview: boolean;
  /** Everyone's reviews, the actor's included (empty for the proposal's own speakers). */
  readonly reviews: readonly ReviewRecord[];
  readonly myReview: ReviewRecord | null;
  readonly averageScore: number | null;
}

/**
 * One proposal for its reviewers.
 * @throws NOT_FOUND (404: event), FORBIDDEN (403: no review grant at all), PROPOSAL_NOT_FOUND
 *   (404: not of this event, or outside a track manager's tracks).
 */
export async function getProposalForReview(db: DbOrTrx, actor: Actor | null, eventId: number, proposalId: number): Promise<ProposalForReview> {
  const { event, scope } = await openEvent(db, actor, eventId);
  const row = await db.selectFrom('proposals').selectAll().where('id', '=', proposalId).where('event_id', '=', eventId).executeTakeFirst();
  if (!row) throw CfpErrors.proposalNotFound(proposalId);
  const [proposal] = await toProposalRecords(db, [row]);
  if (!canViewProposal(actor, scope, proposal!)) throw CfpErrors.proposalNotFound(proposalId);
  const speakerIds = speakerUserIds(proposal!);
  const isSpeaker = speakerIds.includes(actor!.userId);
  const reviews: ReviewRecord[] = isSpeaker
    ? []
    : (
        await db
          .selectFrom('proposal_reviews')
          .innerJoin('users', 'users.id', 'proposal_reviews.reviewer_id')
          .select(['proposal_reviews.reviewer_id', 'users.display_name', 'proposal_reviews.score', 'proposal_reviews.comment', 'proposal_reviews.updated_at'])
          .where('proposal_reviews.proposal_id', '=', proposalId)
          .orderBy('proposal_reviews.created_at')
          .orderBy('proposal_reviews.id')
          .execute()
      ).map((r) => ({ reviewerId: r.reviewer_id, reviewerName: r.display_name, score: r.score, comment: r.comment, updatedAt: r.updated_at }));
  return {
    event,
    proposal: proposal!,
    isSpeaker,
    canReview: canReviewProposal(actor, scope, { trackId: proposal!.trackId, speakerUserIds: speakerIds }),
    reviews,
    myReview: reviews.find((r) => r.reviewerId === actor!.userId) ?? null,
    averageScore: averageScore(reviews.map((r) => r.score)),
  };
}

/**
 * The events with a call for proposals whose proposals the actor may review (reviewers,
 * organizers, track managers), with how many proposals are waiting for a decision; for the
 * reviewer's way in from their proposals page.
 */
export interface EventToReview {
  readonly id: number;
  readonly title: string;
  /** Proposals waiting for a decision. */
  readonly submitted: number;
}

export async function listEventsToReview(db: DbOrTrx, actor: Actor): Promise<EventToReview[]> {
  const eventIds = actor.grants.filter((g) => g.scope === 'event').map((g) => g.scopeId);
  const communityIds = actor.grants.filter((g) => g.scope === 'community').map((g) => g.scopeId);
  if (!actor.isAdmin && eventIds.length === 0 && communityIds.length === 0) return [];
  let q = db.selectFrom('events').innerJoin('cfp_settings', 'cfp_settings.event_id', 'events.id').select(['events.id', 'events.title', 'events.community_id']);
  if (!actor.isAdmin) {
    q = q.where((eb) =>
      eb.or([...(eventIds.length ? [eb('events.id', 'in', eventIds)] : []), ...(communityIds.length ? [eb('events.community_id', 'in', communityIds)] : [])]),
    );
  }
  const events = (await q.orderBy('events.start_date', 'desc').execute()).filter((e) => canViewProposals(actor, scopeOf(e)));
  if (events.length === 0) return [];
  const counts = await db
    .selectFrom('proposals')
    .select(['event_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where(
      'event_id',
      'in',
      events.map((e) => e.id),
    )
    .where('state', '=', 'submitted')
    .groupBy('event_id')
    .execute();
  const byEvent = new Map(counts.map((c) => [c.event_id, Number(c.n)]));
  return events.map((e) => ({ id: e.id, title: e.title, submitted: byEvent.get(e.id) ?? 0 }));
}
