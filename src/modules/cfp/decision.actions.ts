import type { Db } from '../../db/database.js';
import type { Actor } from '../accounts/actor.js';
import { withEventWrite, type EventWrite, type Writer } from '../events/event-write.js';
import type { Trx } from '../events/event-write.queries.js';
import { parseInput } from '../../lib/form-fields.js';
import type { SessionRecord } from '../program/records.js';
import { createSessionIn } from '../program/session.actions.js';
import { speakerProfileFor } from '../speakers/speaker.actions.js';
import { nextProposalState, PROPOSAL_TRANSITIONS, type ProposalRecord } from './cfp.js';
import { CfpErrors } from './cfp.errors.js';
import { queueProposalMails, type CfpContext } from './cfp-mail.js';
import { canManageCfp } from './cfp.policy.js';
import { DecisionSchema, ScheduleSchema } from './cfp.schemas.js';
import { speakerUserIds, toProposalRecords } from './proposal.queries.js';
import { reloadProposal } from './proposal.actions.js';

/*
 * What organizers do with proposals: decide (accept, reject, undo a decision) and put accepted
 * proposals on the programme.
 */

/**
 * Accepts or rejects a submitted proposal, or undoes a decision (back to submitted) while the
 * proposal is not on the programme. Accepting and rejecting mail every speaker; undoing mails
 * nobody (the next decision does). Organizers only.
 * Side effects, in one transaction (the event locked first): proposals row, mails, audit row.
 * @throws VALIDATION_FAILED (422), FORBIDDEN (403), NOT_FOUND (404: event), PROPOSAL_NOT_FOUND
 *   (404), PROPOSAL_TRANSITION_INVALID (409), PROPOSAL_SCHEDULED (409: undoing a scheduled one).
 */
export async function decideProposal(
  db: Db,
  ctx: CfpContext,
  actor: Actor | null,
  eventId: number,
  proposalId: number,
  input: unknown,
): Promise<ProposalRecord> {
  const { decision } = parseInput(DecisionSchema, input);
  const rule = { may: canManageCfp, what: 'decide on proposals of this event' };
  return withEventWrite({ db, clock: ctx.clock }, actor, eventId, rule, async ({ trx, event, now, audit, draftOnly }) => {
    // Decisions are for the speakers and the committee; the programme changes when a session does.
    draftOnly();
    const before = await findProposal(trx, eventId, proposalId);
    const next = nextProposalState(before.state, decision);
    if (!next) throw CfpErrors.transitionInvalid(decision, before.state);
    if (decision === 'undo' && before.sessionId !== null) throw CfpErrors.scheduled('remove its session from the programme first');
    const from = PROPOSAL_TRANSITIONS[decision].from as readonly string[];
    const changed = await trx
      .updateTable('proposals')
      .set({ state: next, decided_at: decision === 'undo' ? null : now, updated_at: now })
      .where('id', '=', proposalId)
      .where('state', 'in', from)
      .executeTakeFirst();
    // The speaker withdrew it between our read and this write (withdrawing does not lock the event).
    if (Number(changed.numUpdatedRows) !== 1) throw CfpErrors.transitionInvalid(decision, 'withdrawn');
    const proposal = await reloadProposal(trx, proposalId);
    if (decision !== 'undo') await queueProposalMails(trx, ctx, decision === 'accept' ? 'accepted' : 'rejected', proposal, event.title);
    audit({
      action: `proposal.${decision === 'undo' ? 'decision_undone' : next}`,
      entityType: 'proposal',
      entityId: proposalId,
      summary:
        decision === 'undo'
          ? `Decision on "${proposal.title}" (${proposal.code}) undone (was ${before.state})`
          : `Proposal "${proposal.title}" (${proposal.code}) ${next}; speakers mailed`,
    });
    return proposal;
  });
}

/**
 * Puts an accepted proposal on the programme: a confirmed session with the proposal's title,
 * format, duration, abstract, language, level and track, in `roomId` at `start` (a local
 * date-time in the event's zone), spoken by the proposal's speakers who have accounts (their
 * speaker profiles in the event, created when missing). The session is made by the programme's
 * own createSession rules (room free, speakers free, within the event's dates), in this
 * transaction, so a refusal writes nothing: no profile, no session, no link.
 * Side effects: speakers rows (new profiles), sessions row and its speakers, proposals.session_id,
 * event version bump, audit rows.
 * @throws VALIDATION_FAILED (422: room, start), FORBIDDEN (403), NOT_FOUND (404), PROPOSAL_NOT_FOUND
 *   (404), PROPOSAL_NOT_ACCEPTED (409), PROPOSAL_SCHEDULED (409), SESSION_OUTSIDE_DATES (422),
 *   SESSION_ROOM_CONFLICT (409), SPEAKER_DOUBLE_BOOKED (409).
 */
export async function scheduleProposal(
  db: Db,
  ctx: CfpContext,
  actor: Actor | null,
  eventId: number,
  proposalId: number,
  input: unknown,
): Promise<{ proposal: ProposalRecord; session: SessionRecord }> {
  const data = parseInput(ScheduleSchema, input);
  const rule = { may: canManageCfp, what: 'put proposals of this event on the programme' };
  return withEventWrite({ db, clock: ctx.clock }, actor, eventId, rule, (w) => scheduleProposalIn(w, actor, eventId, proposalId, data));
}

/**
 * scheduleProposal as a step of a write the caller holds and whose permission it decided (the
 * schedule editor's "place", planning/move.actions.ts): the same rules and errors, and the
 * caller's writes roll back with it. `speakersMayOverlap`: the organizer confirmed placing it
 * although a speaker is elsewhere at that time (SPEAKER_DOUBLE_BOOKED is then not raised).
 * @throws PROPOSAL_NOT_FOUND (404), PROPOSAL_NOT_ACCEPTED (409), PROPOSAL_SCHEDULED (409), and
 *   createSessionIn's errors.
 */
export async function scheduleProposalIn(
  w: EventWrite,
  actor: Writer,
  eventId: number,
  proposalId: number,
  placement: { readonly roomId: number | null; readonly start: string; readonly durationMinutes?: number },
  options: { readonly speakersMayOverlap?: boolean } = {},
): Promise<{ proposal: ProposalRecord; session: SessionRecord }> {
  const { trx, now, audit } = w;
  const before = await findProposal(trx, eventId, proposalId);
  if (before.state !== 'accepted') throw CfpErrors.notAccepted(before.state);
  if (before.sessionId !== null) throw CfpErrors.scheduled('it has a session already');
  const ids = speakerUserIds(before);
  const users = await trx.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute();
  const byId = new Map(users.map((u) => [u.id, u.display_name]));
  const speakerIds: number[] = [];
  for (const id of ids) if (byId.has(id)) speakerIds.push(await speakerProfileFor(w, { id, displayName: byId.get(id)! }));
  const session = await createSessionIn(
    w,
    actor,
    eventId,
    {
      kind: before.kind,
      title: before.title,
      abstract: before.abstract,
      language: before.language,
      level: before.level,
      trackId: before.trackId,
      roomId: placement.roomId,
      start: placement.start,
      durationMinutes: placement.durationMinutes ?? before.durationMinutes,
      speakerIds: [...new Set(speakerIds)],
    },
    options,
  );
  await trx.updateTable('proposals').set({ session_id: session.id, updated_at: now }).where('id', '=', proposalId).execute();
  audit({
    action: 'proposal.scheduled',
    entityType: 'proposal',
    entityId: proposalId,
    summary: `Proposal "${before.title}" (${before.code}) put on the programme as session ${session.code}`,
  });
  return { proposal: await reloadProposal(trx, proposalId), session };
}

/** The proposal in the event (locked by the write path, so decisions on one event run one at a time). */
async function findProposal(trx: Trx, eventId: number, proposalId: number): Promise<ProposalRecord> {
  const row = await trx.selectFrom('proposals').selectAll().where('id', '=', proposalId).where('event_id', '=', eventId).executeTakeFirst();
  if (!row) throw CfpErrors.proposalNotFound(proposalId);
  const [before] = await toProposalRecords(trx, [row]);
  return before!;
}
