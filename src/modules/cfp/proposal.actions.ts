import { randomInt } from 'node:crypto';
import type { Db } from '../../db/database.js';
import { DomainError, type Problem } from '../../lib/domain-error.js';
import type { Actor } from '../accounts/actor.js';
import { AccountErrors } from '../accounts/account.errors.js';
import { EventErrors } from '../events/event.errors.js';
import type { EventRow } from '../events/event.table.js';
import { auditEventChange, type Trx } from '../events/event-write.queries.js';
import { parseInput } from '../../lib/form-fields.js';
import { cfpWindow, nextProposalState, type CfpSettings, type ProposalRecord } from './cfp.js';
import { CfpErrors } from './cfp.errors.js';
import { queueProposalMails, type CfpContext } from './cfp-mail.js';
import { writeCospeakers } from './cospeaker.actions.js';
import { canSubmitProposal } from './cfp.policy.js';
import { getCfpSettings } from './cfp.queries.js';
import { ProposalSchema, type ProposalInput } from './cfp.schemas.js';
import { getMyProposal, toProposalRecords } from './proposal.queries.js';

/*
 * What speakers do with their proposals: submit, change (while the call is open and nobody has
 * decided), withdraw. Only the speaker who submitted a proposal changes or withdraws it; its
 * co-speakers who accepted read it (cospeaker.actions.ts: inviting and answering).
 */

/**
 * Submits a proposal to the event's open call, with the actor as its first speaker and the
 * co-speakers by address, each invited (pending until they accept; see writeCospeakers).
 * Side effects, in one transaction: proposals row, proposal_speakers rows, the submitter's
 * receipt mail, invitation mails, cospeaker_invitations rows, audit row.
 * @throws FORBIDDEN (403: signed out), EMAIL_NOT_VERIFIED (403), VALIDATION_FAILED (422: a field;
 *   a format or track the call does not offer; the actor listed as co-speaker), NOT_FOUND (404:
 *   event), CFP_NOT_FOUND (404), CFP_CLOSED (409), RATE_LIMITED (429: too many co-speakers added today).
 */
export async function submitProposal(db: Db, ctx: CfpContext, actor: Actor | null, eventId: number, input: unknown): Promise<ProposalRecord> {
  if (!actor) throw EventErrors.forbidden('submit a proposal without signing in');
  if (!canSubmitProposal(actor)) throw AccountErrors.emailNotVerified();
  const data = parseInput(ProposalSchema, input);
  return db.transaction().execute(async (trx) => {
    const { event, cfp } = await openCall(trx, ctx, eventId);
    const me = await trx.selectFrom('users').select(['email', 'display_name']).where('id', '=', actor.userId).executeTakeFirstOrThrow();
    const duration = await checkProposal(trx, event, cfp, data, me.email);
    const now = ctx.clock.instant();
    const row = await trx
      .insertInto('proposals')
      .values({
        event_id: eventId,
        code: await newCode(trx, eventId),
        state: 'submitted',
        ...columns(data, duration),
        submitted_by: actor.userId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('proposal_speakers')
      .values({ proposal_id: row.id, position: 0, email: me.email, user_id: actor.userId, status: 'accepted' })
      .execute();
    await writeCospeakers(
      trx,
      ctx,
      { proposalId: row.id, title: data.title, eventTitle: event.title, sender: { userId: actor.userId, name: me.display_name } },
      data.coSpeakers,
    );
    const proposal = await reload(trx, row.id);
    await queueProposalMails(trx, ctx, 'submitted', proposal, event.title);
    await auditEventChange(trx, actor, event, {
      at: ctx.clock.instant(),
      action: 'proposal.submitted',
      entityType: 'proposal',
      entityId: row.id,
      summary: `Proposal "${proposal.title}" (${proposal.code}) submitted`,
    });
    return proposal;
  });
}

/**
 * Replaces the fields and co-speakers of one's own proposal (the form posts them all); co-speakers
 * still listed keep their answer, new ones are invited (writeCospeakers).
 * Side effects, in one transaction: proposals row, proposal_speakers rows, invitation mails and
 * cospeaker_invitations rows for new co-speakers, audit row.
 * @throws PROPOSAL_NOT_FOUND (404: unknown, or not one's own), FORBIDDEN (403: a co-speaker),
 *   PROPOSAL_NOT_EDITABLE (409: decided or withdrawn), CFP_CLOSED (409), VALIDATION_FAILED (422),
 *   RATE_LIMITED (429: too many co-speakers added today).
 */
export async function updateProposal(db: Db, ctx: CfpContext, actor: Actor | null, proposalId: number, input: unknown): Promise<ProposalRecord> {
  if (!actor) throw CfpErrors.proposalNotFound(proposalId);
  const data = parseInput(ProposalSchema, input);
  return db.transaction().execute(async (trx) => {
    const before = await ownProposal(trx, actor, proposalId, 'change');
    if (before.state !== 'submitted') throw CfpErrors.notEditable(before.state);
    const { event, cfp } = await openCall(trx, ctx, before.eventId);
    const me = before.speakers[0]!.email;
    const duration = await checkProposal(trx, event, cfp, data, me);
    const changed = await trx
      .updateTable('proposals')
      .set({ ...columns(data, duration), updated_at: ctx.clock.instant() })
      .where('id', '=', proposalId)
      .where('state', '=', 'submitted')
      .executeTakeFirst();
    // Decided by an organizer between our read and this write.
    if (Number(changed.numUpdatedRows) !== 1) throw CfpErrors.notEditable('decided');
    const sender = await trx.selectFrom('users').select('display_name').where('id', '=', actor.userId).executeTakeFirstOrThrow();
    await writeCospeakers(
      trx,
      ctx,
      { proposalId, title: data.title, eventTitle: event.title, sender: { userId: actor.userId, name: sender.display_name } },
      data.coSpeakers,
    );
    await auditEventChange(trx, actor, event, {
      at: ctx.clock.instant(),
      action: 'proposal.updated',
      entityType: 'proposal',
      entityId: proposalId,
      summary: `Proposal "${data.title}" (${before.code}) changed by its speaker`,
    });
    return reload(trx, proposalId);
  });
}

/**
 * Withdraws one's own proposal that is not decided yet (also after the call closed).
 * Side effects, in one transaction: proposals row, audit row.
 * @throws PROPOSAL_NOT_FOUND (404), FORBIDDEN (403: a co-speaker), PROPOSAL_TRANSITION_INVALID (409).
 */
export async function withdrawProposal(db: Db, ctx: CfpContext, actor: Actor | null, proposalId: number): Promise<ProposalRecord> {
  if (!actor) throw CfpErrors.proposalNotFound(proposalId);
  return db.transaction().execute(async (trx) => {
    const before = await ownProposal(trx, actor, proposalId, 'withdraw');
    if (!nextProposalState(before.state, 'withdraw')) throw CfpErrors.transitionInvalid('withdraw', before.state);
    const now = ctx.clock.instant();
    const changed = await trx
      .updateTable('proposals')
      .set({ state: 'withdrawn', updated_at: now })
      .where('id', '=', proposalId)
      .where('state', '=', 'submitted')
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) throw CfpErrors.transitionInvalid('withdraw', 'decided');
    const event = await trx.selectFrom('events').select(['id', 'community_id']).where('id', '=', before.eventId).executeTakeFirstOrThrow();
    await auditEventChange(trx, actor, event, {
      at: ctx.clock.instant(),
      action: 'proposal.withdrawn',
      entityType: 'proposal',
      entityId: proposalId,
      summary: `Proposal "${before.title}" (${before.code}) withdrawn by its speaker`,
    });
    return reload(trx, proposalId);
  });
}

/** The event and its call, which must be open now (and the event not cancelled). */
async function openCall(trx: Trx, ctx: CfpContext, eventId: number): Promise<{ event: EventRow; cfp: CfpSettings }> {
  const event = await trx.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirst();
  if (!event) throw EventErrors.notFound('event', eventId);
  const cfp = await getCfpSettings(trx, eventId);
  if (!cfp) throw CfpErrors.cfpNotFound(eventId);
  if (event.cancelled_at) throw CfpErrors.closed('event_cancelled', cfp.opensAt);
  const window = cfpWindow(cfp, ctx.clock.instant());
  if (window !== 'open') throw CfpErrors.closed(window, cfp.opensAt);
  return { event, cfp };
}

/** The actor's own proposal (404 for anyone not speaking in it; 403 for co-speakers). */
async function ownProposal(trx: Trx, actor: Actor, proposalId: number, verb: string): Promise<ProposalRecord> {
  const mine = await getMyProposal(trx, actor, proposalId);
  if (!mine.isSubmitter) throw new DomainError('FORBIDDEN', `Only the speaker who submitted this proposal may ${verb} it.`, 403);
  return mine.proposal;
}

/** The rules the schema cannot check: the format and track are the call's and event's. Returns the duration. */
async function checkProposal(trx: Trx, event: EventRow, cfp: CfpSettings, data: ProposalInput, submitterEmail: string): Promise<number> {
  const problems: Problem[] = [];
  const format = cfp.formats.find((f) => f.kind === data.kind);
  if (!format) problems.push({ path: 'kind', message: `is not open to proposals (choose ${cfp.formats.map((f) => f.kind).join(', ')})` });
  if (data.trackId !== null) {
    const track = await trx.selectFrom('tracks').select('id').where('id', '=', data.trackId).where('event_id', '=', event.id).executeTakeFirst();
    if (!track) problems.push({ path: 'trackId', message: 'is not a track of this event' });
  }
  if (data.coSpeakers.includes(submitterEmail)) problems.push({ path: 'coSpeakers', message: 'lists your own address; you are already the first speaker' });
  if (problems.length) throw EventErrors.validationFailed(problems);
  return format!.durationMinutes;
}

function columns(d: ProposalInput, durationMinutes: number) {
  return {
    title: d.title,
    kind: d.kind,
    duration_minutes: durationMinutes,
    abstract: d.abstract,
    description: d.description,
    track_id: d.trackId,
    language: d.language,
    level: d.level,
    notes: d.notes,
  };
}

async function reload(trx: Trx, proposalId: number): Promise<ProposalRecord> {
  const row = await trx.selectFrom('proposals').selectAll().where('id', '=', proposalId).executeTakeFirstOrThrow();
  return (await toProposalRecords(trx, [row]))[0]!;
}

export { reload as reloadProposal };

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A short code unused in the event (six letters and digits, no look-alikes such as O and 0). */
async function newCode(trx: Trx, eventId: number): Promise<string> {
  for (;;) {
    const code = Array.from({ length: 6 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
    const taken = await trx.selectFrom('proposals').select('id').where('event_id', '=', eventId).where('code', '=', code).executeTakeFirst();
    if (!taken) return code;
  }
}
