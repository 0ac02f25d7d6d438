import { z } from 'zod';
import { isPostgres, type Db } from '../../db/database.js';
import { DomainError } from '../../lib/domain-error.js';
import { hashSecret, newSecret } from '../../lib/secrets.js';
import type { Actor } from '../accounts/actor.js';
import { AccountErrors } from '../accounts/account.errors.js';
import { auditEventChange, type Trx } from '../events/event-write.queries.js';
import { enumField, parseInput } from '../../lib/form-fields.js';
import { CfpErrors } from './cfp.errors.js';
import { queueInvitationMail, type CfpContext } from './cfp-mail.js';
import { INVITATION_WINDOW_MS, INVITATIONS_PER_SENDER, invitationOutcome, type CospeakerStatus } from './cospeaker.js';

/*
 * Co-speakers' consent: writing a proposal's co-speakers (inviting the new ones within the
 * limits) and answering an invitation, from its mail link or from one's proposals page.
 */

/** Accept or decline; `block` (decline only) asks for no more co-speaker invitations to the address. */
export const InvitationAnswerSchema = z.object({
  answer: enumField(['accept', 'decline'] as const),
  block: z.preprocess((v) => v === true || v === 'on' || v === 'true', z.boolean()),
});

interface Writer {
  readonly proposalId: number;
  readonly title: string;
  readonly eventTitle: string;
  readonly sender: { readonly userId: number; readonly name: string };
}

/**
 * Makes `emails` the proposal's co-speakers, in that order. Addresses already listed keep their
 * answer; removed ones are dropped; each new one is logged against the sender's and the address's
 * limits and is `pending` with an invitation mail, `pending` without one (the address got
 * INVITATION_MAILS_PER_RECIPIENT already), or `declined` at once (it opted out).
 * Side effects: proposal_speakers rows (position > 0), cospeaker_invitations rows, invitation mails.
 * @throws RATE_LIMITED (429, problem on `coSpeakers`: the sender would pass INVITATIONS_PER_SENDER).
 */
export async function writeCospeakers(trx: Trx, ctx: CfpContext, w: Writer, emails: readonly string[]): Promise<void> {
  const before = await trx.selectFrom('proposal_speakers').selectAll().where('proposal_id', '=', w.proposalId).where('position', '>', 0).execute();
  const kept = new Map(before.map((r) => [r.email, r]));
  const added = emails.filter((e) => !kept.has(e));
  const now = ctx.clock.instant();
  const since = new Date(Date.parse(now) - INVITATION_WINDOW_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (added.length) {
    // One sender's additions are counted one transaction at a time (SQLite: the write lock).
    if (isPostgres(trx)) await trx.selectFrom('users').select('id').where('id', '=', w.sender.userId).forUpdate().execute();
    const sent = await countInvitations(trx, 'sender_id', w.sender.userId, since);
    if (sent + added.length > INVITATIONS_PER_SENDER) {
      throw new DomainError('RATE_LIMITED', `You can add at most ${INVITATIONS_PER_SENDER} co-speakers a day; try again tomorrow.`, 429, [
        {
          path: 'coSpeakers',
          message: `adds ${added.length} new co-speaker${added.length === 1 ? '' : 's'}; you can add ${Math.max(0, INVITATIONS_PER_SENDER - sent)} more today`,
        },
      ]);
    }
  }
  await trx.deleteFrom('proposal_speakers').where('proposal_id', '=', w.proposalId).where('position', '>', 0).execute();
  for (const [i, email] of emails.entries()) {
    const old = kept.get(email);
    if (old) {
      await trx
        .insertInto('proposal_speakers')
        .values({ ...old, position: i + 1 })
        .execute();
      continue;
    }
    const optedOut = await trx.selectFrom('cospeaker_optouts').select('email').where('email', '=', email).executeTakeFirst();
    const outcome = invitationOutcome(optedOut !== undefined, await countInvitations(trx, 'email', email, since));
    const secret = outcome === 'mail' ? newSecret() : null;
    await trx
      .insertInto('proposal_speakers')
      .values({
        proposal_id: w.proposalId,
        position: i + 1,
        email,
        user_id: null,
        status: outcome === 'opted_out' ? 'declined' : 'pending',
        token_hash: secret ? hashSecret(secret) : null,
        invited_at: now,
        responded_at: outcome === 'opted_out' ? now : null,
      })
      .execute();
    await trx.insertInto('cospeaker_invitations').values({ sender_id: w.sender.userId, email, created_at: now }).execute();
    if (secret) await queueInvitationMail(trx, ctx, { to: email, secret, inviter: w.sender.name, title: w.title, eventTitle: w.eventTitle });
  }
}

async function countInvitations(trx: Trx, column: 'sender_id' | 'email', value: number | string, since: string): Promise<number> {
  const row = await trx
    .selectFrom('cospeaker_invitations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(column, '=', value as never)
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface InvitationAnswered {
  readonly proposalId: number;
  readonly title: string;
  readonly status: Exclude<CospeakerStatus, 'pending'>;
  readonly blocked: boolean;
}

/**
 * Answers the invitation a mail link stands for. Declining needs no account; accepting needs the
 * actor signed in with the invited address, confirmed. The link works once.
 * Side effects: the proposal_speakers row (status, the account when accepting, token cleared),
 * a cospeaker_optouts row when blocking, an audit row.
 * @throws VALIDATION_FAILED (422), TOKEN_INVALID (400: unknown or already answered),
 *   FORBIDDEN (403: accepting while signed out or with another address).
 */
export async function answerInvitationByToken(db: Db, ctx: CfpContext, actor: Actor | null, secret: string, input: unknown): Promise<InvitationAnswered> {
  const data = parseInput(InvitationAnswerSchema, input);
  return db.transaction().execute(async (trx) => {
    const row = await pendingRow(trx)
      .where('proposal_speakers.token_hash', '=', hashSecret(String(secret)))
      .executeTakeFirst();
    if (!row) throw AccountErrors.tokenInvalid();
    return answer(trx, ctx, actor, row, data, () => AccountErrors.tokenInvalid());
  });
}

/**
 * Answers the actor's own pending invitation to a proposal (from their proposals page).
 * Side effects and errors as answerInvitationByToken, but PROPOSAL_NOT_FOUND (404) when the
 * actor's confirmed address has no pending invitation to it.
 */
export async function answerMyInvitation(db: Db, ctx: CfpContext, actor: Actor | null, proposalId: number, input: unknown): Promise<InvitationAnswered> {
  if (!actor?.emailVerified) throw CfpErrors.proposalNotFound(proposalId);
  const data = parseInput(InvitationAnswerSchema, input);
  return db.transaction().execute(async (trx) => {
    const me = trx.selectFrom('users').select('users.email').where('users.id', '=', actor.userId).where('users.email_verified_at', 'is not', null);
    const row = await pendingRow(trx).where('proposal_speakers.proposal_id', '=', proposalId).where('proposal_speakers.email', '=', me).executeTakeFirst();
    if (!row) throw CfpErrors.proposalNotFound(proposalId);
    return answer(trx, ctx, actor, row, data, () => CfpErrors.proposalNotFound(proposalId));
  });
}

function pendingRow(trx: Trx) {
  return trx
    .selectFrom('proposal_speakers')
    .innerJoin('proposals', 'proposals.id', 'proposal_speakers.proposal_id')
    .innerJoin('events', 'events.id', 'proposals.event_id')
    .select([
      'proposal_speakers.proposal_id',
      'proposal_speakers.position',
      'proposal_speakers.email',
      'proposals.title',
      'proposals.code',
      'events.id as eventId',
      'events.community_id',
    ])
    .where('proposal_speakers.status', '=', 'pending');
}

type PendingRow = NonNullable<Awaited<ReturnType<ReturnType<typeof pendingRow>['executeTakeFirst']>>>;

async function answer(
  trx: Trx,
  ctx: CfpContext,
  actor: Actor | null,
  row: PendingRow,
  data: z.output<typeof InvitationAnswerSchema>,
  gone: () => Error,
): Promise<InvitationAnswered> {
  const accept = data.answer === 'accept';
  if (accept) {
    const me = actor?.emailVerified
      ? await trx.selectFrom('users').select('email').where('id', '=', actor.userId).where('email_verified_at', 'is not', null).executeTakeFirst()
      : undefined;
    if (me?.email !== row.email) throw new DomainError('FORBIDDEN', `Sign in with ${row.email} (confirmed) to accept this invitation.`, 403);
  }
  const now = ctx.clock.instant();
  const status = accept ? 'accepted' : 'declined';
  const changed = await trx
    .updateTable('proposal_speakers')
    .set({ status, user_id: accept ? actor!.userId : null, token_hash: null, responded_at: now })
    .where('proposal_id', '=', row.proposal_id)
    .where('position', '=', row.position)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  // Answered by another request between our read and this write.
  if (Number(changed.numUpdatedRows) !== 1) throw gone();
  const blocked = !accept && data.block;
  if (blocked) {
    const known = await trx.selectFrom('cospeaker_optouts').select('email').where('email', '=', row.email).executeTakeFirst();
    if (!known) await trx.insertInto('cospeaker_optouts').values({ email: row.email, created_at: now }).execute();
  }
  await auditEventChange(
    trx,
    accept ? actor : null,
    { id: row.eventId, community_id: row.community_id },
    {
      at: now,
      action: `proposal.cospeaker_${status}`,
      entityType: 'proposal',
      entityId: row.proposal_id,
      summary: `A co-speaker ${status} to speak in "${row.title}" (${row.code})${blocked ? ' and asked for no more invitations' : ''}`,
    },
  );
  return { proposalId: row.proposal_id, title: row.title, status, blocked };
}
