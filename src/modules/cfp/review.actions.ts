import type { Db } from '../../db/database.js';
import type { Actor } from '../accounts/actor.js';
import { parseInput } from '../../lib/form-fields.js';
import { CfpErrors } from './cfp.errors.js';
import type { CfpContext } from './cfp-mail.js';
import { ReviewSchema } from './cfp.schemas.js';
import { getProposalForReview, type ReviewRecord } from './proposal.queries.js';

/**
 * Saves the actor's review of a proposal: a score from 1 to 5 and a comment. One review per
 * reviewer and proposal; saving again replaces it. Reviewers, organizers and owners review every
 * proposal of the event, track managers those of their tracks; nobody reviews a proposal they
 * speak in. Side effect, in one transaction: the proposal_reviews row.
 * @throws VALIDATION_FAILED (422), NOT_FOUND (404: event), FORBIDDEN (403: no review grant),
 *   PROPOSAL_NOT_FOUND (404), REVIEW_OWN_PROPOSAL (403).
 */
export async function saveReview(db: Db, ctx: CfpContext, actor: Actor | null, eventId: number, proposalId: number, input: unknown): Promise<ReviewRecord> {
  const data = parseInput(ReviewSchema, input);
  return db.transaction().execute(async (trx) => {
    const seen = await getProposalForReview(trx, actor, eventId, proposalId);
    if (seen.isSpeaker) throw CfpErrors.ownProposal();
    const now = ctx.clock.instant();
    await trx
      .insertInto('proposal_reviews')
      .values({ proposal_id: proposalId, reviewer_id: actor!.userId, score: data.score, comment: data.comment, created_at: now, updated_at: now })
      .onConflict((oc) => oc.columns(['proposal_id', 'reviewer_id']).doUpdateSet({ score: data.score, comment: data.comment, updated_at: now }))
      .execute();
    return { reviewerId: actor!.userId, reviewerName: actor!.displayName, score: data.score, comment: data.comment, updatedAt: now };
  });
}
