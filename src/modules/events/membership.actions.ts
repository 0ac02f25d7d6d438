import type { Actor } from '../accounts/actor.js';
import { canJoinCommunity } from '../accounts/account.policy.js';
import type { ModuleContext } from '../context.js';
import { EventErrors } from './event.errors.js';
import { ensureAllowed } from './event-write.queries.js';
import { memberCount } from './membership.queries.js';

/*
 * Joining and leaving a community (a meetup group). Both are idempotent: joining twice keeps one
 * membership (the primary key decides, also for two simultaneous requests), leaving when not a
 * member changes nothing. They are personal choices, not organizer changes, so they are not
 * written to the audit log (organizers see the member list instead).
 */

export interface MembershipState {
  readonly communityId: number;
  readonly member: boolean;
  readonly memberCount: number;
}

/**
 * Makes the actor a member of the community (no-op when already one).
 * Side effects: one community_members row.
 * @throws FORBIDDEN (403: not signed in), NOT_FOUND (404: no such community).
 */
export async function joinCommunity(ctx: ModuleContext, actor: Actor | null, communityId: number): Promise<MembershipState> {
  ensureAllowed(canJoinCommunity(actor), 'join a community without signing in');
  return ctx.db.transaction().execute(async (trx) => {
    const community = await trx.selectFrom('communities').select('id').where('id', '=', communityId).executeTakeFirst();
    if (!community) throw EventErrors.notFound('community', communityId);
    await trx
      .insertInto('community_members')
      .values({ community_id: communityId, user_id: actor!.userId, joined_at: ctx.clock.instant() })
      .onConflict((oc) => oc.columns(['community_id', 'user_id']).doNothing())
      .execute();
    return { communityId, member: true, memberCount: await memberCount(trx, communityId) };
  });
}

/**
 * Ends the actor's membership (no-op when not a member). Role grants (organizer, co-host) are
 * separate and stay.
 * Side effects: deletes the community_members row.
 * @throws FORBIDDEN (403: not signed in), NOT_FOUND (404: no such community).
 */
export async function leaveCommunity(ctx: ModuleContext, actor: Actor | null, communityId: number): Promise<MembershipState> {
  ensureAllowed(canJoinCommunity(actor), 'leave a community without signing in');
  return ctx.db.transaction().execute(async (trx) => {
    const community = await trx.selectFrom('communities').select('id').where('id', '=', communityId).executeTakeFirst();
    if (!community) throw EventErrors.notFound('community', communityId);
    await trx.deleteFrom('community_members').where('community_id', '=', communityId).where('user_id', '=', actor!.userId).execute();
    return { communityId, member: false, memberCount: await memberCount(trx, communityId) };
  });
}
