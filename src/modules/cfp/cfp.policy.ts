import type { Actor, EventScope } from '../accounts/actor.js';
import { canManageEvent } from '../accounts/account.policy.js';

/*
 * Permissions of the call for proposals as pure predicates, built on the role grants (tested as
 * a table in test/cfp). Reviewers and organizers review every proposal of the event; a track
 * manager reviews the proposals of the tracks they run; nobody reviews a proposal they speak in.
 */

function grantsFor(actor: Actor, scope: EventScope) {
  return actor.grants.filter((g) => (g.scope === 'event' && g.scopeId === scope.eventId) || (g.scope === 'community' && g.scopeId === scope.communityId));
}

/** Propose a session: anyone signed in with a confirmed address (the mails go to it). */
export function canSubmitProposal(actor: Actor | null): boolean {
  return actor?.emailVerified === true;
}

/** Set up, close and reopen the call; accept, reject and schedule proposals: organizers. */
export function canManageCfp(actor: Actor | null, scope: EventScope): boolean {
  return canManageEvent(actor, scope);
}

/**
 * The proposals the actor may read and review: 'all' for organizers, owners and reviewers; the
 * tracks they run for track managers; [] for everyone else.
 */
export function reviewableTrackIds(actor: Actor | null, scope: EventScope): 'all' | number[] {
  if (!actor) return [];
  if (canManageEvent(actor, scope)) return 'all';
  const grants = grantsFor(actor, scope);
  if (grants.some((g) => g.role === 'reviewer')) return 'all';
  return [...new Set(grants.filter((g) => g.role === 'track_manager').flatMap((g) => g.trackIds))];
}

/** Open the event's proposals at all. */
export function canViewProposals(actor: Actor | null, scope: EventScope): boolean {
  const ids = reviewableTrackIds(actor, scope);
  return ids === 'all' || ids.length > 0;
}

/** Read one proposal with its reviews. */
export function canViewProposal(actor: Actor | null, scope: EventScope, proposal: { trackId: number | null }): boolean {
  const ids = reviewableTrackIds(actor, scope);
  return ids === 'all' || (proposal.trackId !== null && ids.includes(proposal.trackId));
}

/** Review one proposal: those who may read it, unless they are one of its speakers. */
export function canReviewProposal(actor: Actor | null, scope: EventScope, proposal: { trackId: number | null; speakerUserIds: readonly number[] }): boolean {
  return actor !== null && canViewProposal(actor, scope, proposal) && !proposal.speakerUserIds.includes(actor.userId);
}
