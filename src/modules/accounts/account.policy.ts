import type { CommunityCreators } from '../../config.js';
import type { Actor, EventScope, Role } from './actor.js';

/*
 * Permissions as pure predicates, `canVerbNoun(actor, thing)`. Actions call them and throw
 * FORBIDDEN; adapters may call them to decide what to show. Tested as a table in
 * account.policy.test.ts. A community grant applies to every event of that community.
 * Organizing (a community, an event) and API tokens need a confirmed e-mail address: an
 * unconfirmed account keeps its grants but cannot use them until it confirms.
 */

/** The person confirmed their e-mail address (administrators always have). */
export function hasConfirmedAddress(actor: Actor | null): actor is Actor {
  return actor?.emailVerified === true;
}

function rolesFor(actor: Actor | null, scope: EventScope): Set<Role> {
  const out = new Set<Role>();
  if (!actor) return out;
  for (const g of actor.grants) {
    if ((g.scope === 'event' && g.scopeId === scope.eventId) || (g.scope === 'community' && g.scopeId === scope.communityId)) out.add(g.role);
  }
  return out;
}

function isOrganizer(actor: Actor | null, scope: EventScope): boolean {
  if (!hasConfirmedAddress(actor)) return false;
  if (actor.isAdmin) return true;
  const roles = rolesFor(actor, scope);
  return roles.has('owner') || roles.has('organizer');
}

/** Site administrators: instance-wide settings, the mail outbox, every community. */
export function canAdministerSite(actor: Actor | null): boolean {
  return actor?.isAdmin === true;
}

/**
 * Start a community (and so become its owner): site administrators; with COMMUNITY_CREATORS
 * `allowed` (the default) the people an administrator allowed (`allowedByAdmin`), with
 * `confirmed` everyone with a confirmed address. Always a confirmed address.
 */
export function canCreateCommunity(actor: Actor | null, rule: CommunityCreators, allowedByAdmin: boolean): boolean {
  if (!hasConfirmedAddress(actor)) return false;
  return actor.isAdmin || rule === 'confirmed' || allowedByAdmin;
}

/** Create personal access tokens for the API: anyone signed in with a confirmed address. */
export function canCreateApiToken(actor: Actor | null): boolean {
  return hasConfirmedAddress(actor);
}

/** Edit a community's name and text, create events in it, grant community roles. */
export function canManageCommunity(actor: Actor | null, communityId: number): boolean {
  if (!hasConfirmedAddress(actor)) return false;
  if (actor.isAdmin) return true;
  return actor.grants.some((g) => g.scope === 'community' && g.scopeId === communityId && (g.role === 'owner' || g.role === 'organizer'));
}

/** Join or leave a community (a meetup group): anyone signed in. */
export function canJoinCommunity(actor: Actor | null): boolean {
  return actor !== null;
}

/** See a community's member list (names and e-mail addresses): its owners and organizers. */
export function canListCommunityMembers(actor: Actor | null, communityId: number): boolean {
  return canManageCommunity(actor, communityId);
}

/** Create, edit and generate a community's event series: its owners and organizers. */
export function canManageSeries(actor: Actor | null, communityId: number): boolean {
  return canManageCommunity(actor, communityId);
}

/** Edit the event itself (dates, venue, rooms, tracks, sponsors), publish it, invite co-organizers. */
export function canManageEvent(actor: Actor | null, scope: EventScope): boolean {
  return isOrganizer(actor, scope);
}

/** Open the event's back office at all (organizers, track managers, reviewers). */
export function canViewBackOffice(actor: Actor | null, scope: EventScope): boolean {
  if (isOrganizer(actor, scope)) return true;
  const roles = rolesFor(actor, scope);
  return roles.has('track_manager');
}

/**
 * Check people in at the door (the check-in page: search by name, scan, mark, undo): the
 * back-office team, and volunteers, whose role allows this and nothing else (no back office, no
 * attendee list or e-mail addresses, no API).
 */
export function canCheckInAttendees(actor: Actor | null, scope: EventScope): boolean {
  return canViewBackOffice(actor, scope) || rolesFor(actor, scope).has('volunteer');
}

/**
 * Edit a session (and its speakers): organizers for any session; a track manager only for
 * sessions in one of their tracks, and only keeping it in one of their tracks.
 */
export function canEditSession(actor: Actor | null, scope: EventScope, session: { trackId: number | null }): boolean {
  if (isOrganizer(actor, scope)) return true;
  if (!actor || session.trackId === null) return false;
  return actor.grants.some(
    (g) =>
      g.role === 'track_manager' &&
      ((g.scope === 'event' && g.scopeId === scope.eventId) || (g.scope === 'community' && g.scopeId === scope.communityId)) &&
      g.trackIds.includes(session.trackId!),
  );
}

/** The tracks whose sessions the actor may edit: 'all' for organizers. */
export function editableTrackIds(actor: Actor | null, scope: EventScope): 'all' | number[] {
  if (isOrganizer(actor, scope)) return 'all';
  if (!actor) return [];
  const ids = new Set<number>();
  for (const g of actor.grants) {
    if (g.role === 'track_manager' && ((g.scope === 'event' && g.scopeId === scope.eventId) || (g.scope === 'community' && g.scopeId === scope.communityId))) {
      for (const t of g.trackIds) ids.add(t);
    }
  }
  return [...ids];
}

/** See the audit log of an event. */
export function canViewAuditLog(actor: Actor | null, scope: EventScope): boolean {
  return isOrganizer(actor, scope);
}

/** What a role grant or invitation is for: one event, or a whole community. */
export type RoleScope =
  | { readonly scope: 'event'; readonly eventId: number; readonly communityId: number }
  | { readonly scope: 'community'; readonly communityId: number };

/**
 * Grant, revoke or invite to `role` in the scope: organizers and owners of the scope (a community
 * grant covers its events); the `owner` role only by owners; administrators always.
 */
export function canGrantRole(actor: Actor | null, target: RoleScope, role: Role): boolean {
  if (!actor) return false;
  if (actor.isAdmin) return true;
  const manages = target.scope === 'community' ? canManageCommunity(actor, target.communityId) : canManageEvent(actor, target);
  if (!manages || role !== 'owner') return manages;
  return actor.grants.some(
    (g) =>
      g.role === 'owner' &&
      ((g.scope === 'community' && g.scopeId === target.communityId) || (target.scope === 'event' && g.scope === 'event' && g.scopeId === target.eventId)),
  );
}
