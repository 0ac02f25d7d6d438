import { hashSecret } from '../../lib/secrets.js';
import type { Actor } from '../accounts/actor.js';
import { AccountErrors } from '../accounts/account.errors.js';
import type { DbOrTrx } from '../events/event-write.queries.js';
import { CfpErrors } from './cfp.errors.js';

/*
 * Reads of co-speaker invitations: what a pending co-speaker sees (title, event, who invites),
 * by the link's secret or by their confirmed address. Nothing else of the proposal.
 */

export interface Invitation {
  readonly proposalId: number;
  readonly title: string;
  readonly eventTitle: string;
  /** The submitter's display name. */
  readonly inviter: string;
  /** The invited address. */
  readonly email: string;
}

function invitations(db: DbOrTrx) {
  return db
    .selectFrom('proposal_speakers')
    .innerJoin('proposals', 'proposals.id', 'proposal_speakers.proposal_id')
    .innerJoin('events', 'events.id', 'proposals.event_id')
    .innerJoin('users', 'users.id', 'proposals.submitted_by')
    .select(['proposals.id as proposalId', 'proposals.title', 'events.title as eventTitle', 'users.display_name as inviter', 'proposal_speakers.email'])
    .where('proposal_speakers.status', '=', 'pending');
}

/**
 * The pending invitation a link's secret stands for; `mayAccept` when `actor` is signed in with
 * the invited address, confirmed (anyone holding the link may decline).
 * @throws TOKEN_INVALID (400: unknown, or already answered).
 */
export async function getInvitationByToken(db: DbOrTrx, secret: string, actor: Actor | null): Promise<Invitation & { mayAccept: boolean }> {
  const row = await invitations(db)
    .where('proposal_speakers.token_hash', '=', hashSecret(String(secret)))
    .executeTakeFirst();
  if (!row) throw AccountErrors.tokenInvalid();
  const mine = actor?.emailVerified ? await myAddress(db, actor).executeTakeFirst() : undefined;
  return { ...row, mayAccept: mine?.email === row.email };
}

/** The pending invitations to the actor's confirmed address, newest proposal first. */
export async function listMyInvitations(db: DbOrTrx, actor: Actor): Promise<Invitation[]> {
  if (!actor.emailVerified) return [];
  return invitations(db)
    .where('proposal_speakers.email', '=', myAddress(db, actor))
    .orderBy('proposals.created_at', 'desc')
    .orderBy('proposals.id', 'desc')
    .execute();
}

/**
 * The actor's pending invitation to one proposal.
 * @throws PROPOSAL_NOT_FOUND (404: none, as for a proposal that does not exist).
 */
export async function getMyInvitation(db: DbOrTrx, actor: Actor, proposalId: number): Promise<Invitation> {
  const row = actor.emailVerified
    ? await invitations(db).where('proposal_speakers.email', '=', myAddress(db, actor)).where('proposals.id', '=', proposalId).executeTakeFirst()
    : undefined;
  if (!row) throw CfpErrors.proposalNotFound(proposalId);
  return row;
}

function myAddress(db: DbOrTrx, actor: Actor) {
  return db.selectFrom('users').select('users.email').where('users.id', '=', actor.userId).where('users.email_verified_at', 'is not', null);
}
