import type { Db } from '../../db/database.js';
import type { Actor } from '../accounts/actor.js';
import { canManageEvent } from '../accounts/account.policy.js';

/**
 * The e-mail address of each speaker profile of the event that is linked to an account
 * (speakers.user_id), by speaker id. Private: adapters show it only to those who may manage the
 * event (canManageEvent). One query.
 */
export async function speakerEmails(db: Db, eventId: number): Promise<Map<number, string>> {
  const rows = await db
    .selectFrom('speakers')
    .innerJoin('users', 'users.id', 'speakers.user_id')
    .select(['speakers.id', 'users.email'])
    .where('speakers.event_id', '=', eventId)
    .execute();
  return new Map(rows.map((r) => [r.id, r.email]));
}

/**
 * speakerEmails for an actor who may manage the event (organizers, administrators), else null:
 * track managers edit profiles but do not see their owners' addresses.
 */
export async function speakerEmailsVisibleTo(db: Db, actor: Actor | null, eventId: number): Promise<Map<number, string> | null> {
  const event = await db.selectFrom('events').select(['id', 'community_id']).where('id', '=', eventId).executeTakeFirst();
  if (!event || !canManageEvent(actor, { eventId: event.id, communityId: event.community_id })) return null;
  return speakerEmails(db, eventId);
}
