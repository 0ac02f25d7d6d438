import type { Db } from '../../db/database.js';
import type { RoleScope } from './account.policy.js';
import { AccountErrors } from './account.errors.js';
import type { Role, RoleGrant } from './actor.js';
import { systemClock, type Clock } from '../../lib/clock.js';

/** A role scope found in the database, with the name people read (event title, community name). */
export type ResolvedScope = RoleScope & { readonly scopeId: number; readonly eventId: number | null; readonly name: string };

/** Loads the event or community a grant is about. Errors: NOT_FOUND. */
export async function resolveScope(db: Db, scope: 'event' | 'community', scopeId: number): Promise<ResolvedScope> {
  if (scope === 'event') {
    const ev = await db.selectFrom('events').select(['id', 'community_id', 'title']).where('id', '=', scopeId).executeTakeFirst();
    if (!ev) throw AccountErrors.notFound('event');
    return { scope, scopeId, eventId: ev.id, communityId: ev.community_id, name: ev.title };
  }
  const c = await db.selectFrom('communities').select(['id', 'name']).where('id', '=', scopeId).executeTakeFirst();
  if (!c) throw AccountErrors.notFound('community');
  return { scope, scopeId, eventId: null, communityId: c.id, name: c.name };
}

/** Names of the given tracks of an event, or null when one of them is not in that event. */
export async function trackNames(db: Db, eventId: number, trackIds: readonly number[]): Promise<string[] | null> {
  if (trackIds.length === 0) return [];
  const rows = await db
    .selectFrom('tracks')
    .select(['id', 'name'])
    .where('event_id', '=', eventId)
    .where('id', 'in', [...trackIds])
    .execute();
  if (rows.length !== new Set(trackIds).size) return null;
  return trackIds.map((id) => rows.find((r) => r.id === id)!.name);
}

/** Adds the grant, or replaces the tracks of the same grant. */
export async function upsertGrant(
  db: Db,
  userId: number,
  scope: ResolvedScope,
  role: Role,
  trackIds: readonly number[],
  clock: Clock = systemClock,
): Promise<RoleGrant> {
  const ids = [...new Set(trackIds)].sort((a, b) => a - b);
  await db
    .insertInto('role_grants')
    .values({ user_id: userId, scope_type: scope.scope, scope_id: scope.scopeId, role, track_ids: JSON.stringify(ids), created_at: clock.instant() })
    .onConflict((oc) => oc.columns(['user_id', 'scope_type', 'scope_id', 'role']).doUpdateSet({ track_ids: JSON.stringify(ids) }))
    .execute();
  return { scope: scope.scope, scopeId: scope.scopeId, role, trackIds: ids };
}

/**
 * Owners who keep power over the scope: the scope's own owners, plus (for an event) the owners of
 * its community.
 */
export async function countOwners(db: Db, scope: ResolvedScope): Promise<number> {
  const row = await db
    .selectFrom('role_grants')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'owner')
    .where((eb) =>
      eb.or([
        eb.and([eb('scope_type', '=', scope.scope), eb('scope_id', '=', scope.scopeId)]),
        eb.and([eb('scope_type', '=', 'community'), eb('scope_id', '=', scope.communityId)]),
      ]),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
