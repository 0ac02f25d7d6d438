import type { Actor } from '../accounts/actor.js';
import { canManageEvent } from '../accounts/account.policy.js';
import type { ModuleContext } from '../context.js';
import { SetHostsSchema } from './event.schemas.js';
import { withEventWrite } from './event-write.js';
import { parseInput } from '../../lib/form-fields.js';
import { toHostRecord, type HostRecord } from './records.js';

/**
 * Replaces the event's hosts (co-organizers, venue hosts shown on the event page) with the given
 * ordered list; an empty list removes them all.
 * Side effects, in one transaction (withEventWrite): event_hosts rows replaced, version bump, audit row.
 * @throws VALIDATION_FAILED (422, paths like `hosts[1].url`), FORBIDDEN (403), NOT_FOUND (404).
 */
export async function setEventHosts(ctx: ModuleContext, actor: Actor | null, eventId: number, input: unknown): Promise<HostRecord[]> {
  const { hosts } = parseInput(SetHostsSchema, input);
  return withEventWrite(ctx, actor, eventId, { may: canManageEvent, what: 'edit the hosts of this event' }, async ({ trx, event, audit }) => {
    await trx.deleteFrom('event_hosts').where('event_id', '=', eventId).execute();
    const rows = hosts.length
      ? await trx
          .insertInto('event_hosts')
          .values(hosts.map((h, position) => ({ event_id: eventId, name: h.name, role: h.role, url: h.url, position })))
          .returningAll()
          .execute()
      : [];
    audit({
      action: 'event.hosts_set',
      entityType: 'event',
      entityId: eventId,
      summary: hosts.length ? `Set the hosts of "${event.title}": ${hosts.map((h) => h.name).join(', ')}` : `Removed all hosts of "${event.title}"`,
    });
    return rows.sort((a, b) => a.position - b.position).map(toHostRecord);
  });
}
