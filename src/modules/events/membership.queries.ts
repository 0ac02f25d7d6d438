import type { Db } from '../../db/database.js';
import type { Actor } from '../accounts/actor.js';
import { canListCommunityMembers } from '../accounts/account.policy.js';
import type { DbOrTrx } from './event-write.queries.js';
import { EventErrors } from './event.errors.js';
import { ensureAllowed } from './event-write.queries.js';

/*
 * Reads of a community's members. The count and "am I a member" are for everyone (the count is
 * public); the list with e-mail addresses is for the community's organizers only.
 */

/** How many people have joined the community. One indexed count. */
export async function memberCount(db: DbOrTrx, communityId: number): Promise<number> {
  const row = await db
    .selectFrom('community_members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('community_id', '=', communityId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** True when the user is a member of the community. */
export async function isMember(db: DbOrTrx, userId: number, communityId: number): Promise<boolean> {
  const row = await db
    .selectFrom('community_members')
    .select('user_id')
    .where('community_id', '=', communityId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

export interface MemberListItem {
  readonly userId: number;
  readonly displayName: string;
  readonly email: string;
  readonly joinedAt: string;
  /** The person's roles in the community (owner, organizer… : its organizers and co-hosts). */
  readonly roles: readonly string[];
}

/**
 * The community's members, earliest first, with their community roles. Two queries.
 * @throws NOT_FOUND (404: no such community), FORBIDDEN (403: not an owner/organizer).
 */
export async function listMembers(
  db: Db,
  actor: Actor | null,
  communityId: number,
): Promise<{ community: { id: number; slug: string; name: string }; members: MemberListItem[] }> {
  const community = await db.selectFrom('communities').select(['id', 'slug', 'name']).where('id', '=', communityId).executeTakeFirst();
  if (!community) throw EventErrors.notFound('community', communityId);
  ensureAllowed(canListCommunityMembers(actor, communityId), 'see the members of this community');
  const [rows, grants] = await Promise.all([
    db
      .selectFrom('community_members')
      .innerJoin('users', 'users.id', 'community_members.user_id')
      .select(['users.id', 'users.display_name', 'users.email', 'community_members.joined_at'])
      .where('community_members.community_id', '=', communityId)
      .orderBy('community_members.joined_at')
      .orderBy('users.id')
      .execute(),
    db.selectFrom('role_grants').select(['user_id', 'role']).where('scope_type', '=', 'community').where('scope_id', '=', communityId).execute(),
  ]);
  const roles = new Map<number, string[]>();
  for (const g of grants) roles.set(g.user_id, [...(roles.get(g.user_id) ?? []), g.role]);
  return {
    community,
    members: rows.map((r) => ({ userId: r.id, displayName: r.display_name, email: r.email, joinedAt: r.joined_at, roles: roles.get(r.id) ?? [] })),
  };
}

/** Display names of the community's owners and organizers (shown publicly as its organizers). */
export async function communityOrganizers(db: Db, communityId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('role_grants')
    .innerJoin('users', 'users.id', 'role_grants.user_id')
    .select('users.display_name')
    .distinct()
    .where('role_grants.scope_type', '=', 'community')
    .where('role_grants.scope_id', '=', communityId)
    .where('role_grants.role', 'in', ['owner', 'organizer'])
    .orderBy('users.display_name')
    .execute();
  return rows.map((r) => r.display_name);
}

/** A community's id, slug and name by slug, or NOT_FOUND (404). */
export async function communityBySlug(db: Db, slug: string): Promise<{ id: number; slug: string; name: string }> {
  const row = await db.selectFrom('communities').select(['id', 'slug', 'name']).where('slug', '=', slug).executeTakeFirst();
  if (!row) throw EventErrors.notFound('community', slug);
  return row;
}
