import type { Db } from '../../db/database.js';
import type { Actor } from '../accounts/actor.js';
import { canManageCommunity } from '../accounts/account.policy.js';
import { EventErrors } from './event.errors.js';
import { ensureAllowed } from './event-write.queries.js';
import { toCommunityRecord, type CommunityRecord } from './records.js';

/*
 * Back-office reads of communities: the ones an actor may run (create events in, edit), and one
 * community for its edit form. Public pages read communities through the snapshot instead.
 */

/** Communities the actor manages (owner/organizer grant; every community for administrators), by name. One query. */
export async function listManagedCommunities(db: Db, actor: Actor | null): Promise<CommunityRecord[]> {
  if (!actor) return [];
  const ids = actor.grants.filter((g) => g.scope === 'community' && (g.role === 'owner' || g.role === 'organizer')).map((g) => g.scopeId);
  if (!actor.isAdmin && ids.length === 0) return [];
  let q = db.selectFrom('communities').selectAll();
  if (!actor.isAdmin) q = q.where('id', 'in', ids);
  const rows = await q.orderBy('name').orderBy('id').execute();
  return rows.map(toCommunityRecord);
}

/**
 * One community for its edit form.
 * @throws NOT_FOUND (404), FORBIDDEN (403: not an owner/organizer of the community).
 */
export async function getCommunityForEditing(db: Db, actor: Actor | null, communityId: number): Promise<CommunityRecord> {
  const row = await db.selectFrom('communities').selectAll().where('id', '=', communityId).executeTakeFirst();
  if (!row) throw EventErrors.notFound('community', communityId);
  ensureAllowed(canManageCommunity(actor, communityId), 'edit this community');
  return toCommunityRecord(row);
}
