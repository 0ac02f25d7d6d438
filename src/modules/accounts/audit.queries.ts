import type { Transaction } from 'kysely';
import type { Database, Db } from '../../db/database.js';
import type { Actor } from './actor.js';

export interface AuditEntry {
  /** Who did it (only the id and the name at the time are kept); null for the system or the operator. */
  readonly actor: (Pick<Actor, 'displayName'> & { readonly userId: number | null }) | null;
  readonly communityId: number | null;
  readonly eventId: number | null;
  /** Verb in the past tense, dotted by area: "session.updated", "event.published", "role.granted". */
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string | number | null;
  /** One line a person reads in the audit log: 'Moved "eBPF for Humans" to Room B, 10:30'. */
  readonly summary: string;
  /** When (stored instant form), from the app's clock. */
  readonly at: string;
}

/** Records who changed what, inside the caller's transaction so the log and the change agree. */
export async function recordAudit(db: Db | Transaction<Database>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_user_id: entry.actor?.userId ?? null,
      actor_label: entry.actor?.displayName ?? 'system',
      community_id: entry.communityId,
      event_id: entry.eventId,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId === null ? null : String(entry.entityId),
      summary: entry.summary.slice(0, 500),
      created_at: entry.at,
    })
    .execute();
}

/** The newest entries for an event or a community, newest first. */
export async function listAudit(db: Db, scope: { eventId: number } | { communityId: number }, limit = 100) {
  let q = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit);
  q = 'eventId' in scope ? q.where('event_id', '=', scope.eventId) : q.where('community_id', '=', scope.communityId);
  return q.execute();
}
