import type { Db } from '../../db/database.js';
import type { DbOrTrx } from '../events/event-write.queries.js';
import { DELIVERIES_KEPT, type WebhookType } from './webhook.js';
import type { WebhookRow } from './webhook.records.js';

/*
 * Reads and small writes of webhooks shared by the actions and the dispatcher.
 */

/** An event's webhooks, oldest first, with each one's latest delivery (one query each). */
export async function webhooksOfEvent(db: Db, eventId: number) {
  const hooks = await db.selectFrom('webhooks').selectAll().where('event_id', '=', eventId).orderBy('id').execute();
  if (hooks.length === 0) return [];
  const latest = await db
    .selectFrom('webhook_deliveries as d')
    .selectAll('d')
    .where(
      'd.webhook_id',
      'in',
      hooks.map((h) => h.id),
    )
    .where(({ eb, selectFrom }) =>
      eb(
        'd.id',
        '=',
        selectFrom('webhook_deliveries as d2')
          .select((e) => e.fn.max('d2.id').as('m'))
          .whereRef('d2.webhook_id', '=', 'd.webhook_id'),
      ),
    )
    .execute();
  return hooks.map((h) => ({ hook: h, latest: latest.find((d) => d.webhook_id === h.id) ?? null }));
}

/** One webhook of one event, or undefined (another event's webhook is as unknown as a missing one). */
export function webhookOfEvent(db: DbOrTrx, eventId: number, webhookId: number): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhooks').selectAll().where('id', '=', webhookId).where('event_id', '=', eventId).executeTakeFirst();
}

/** The newest deliveries of a webhook, newest first. */
export function deliveriesOf(db: Db, webhookId: number, limit = DELIVERIES_KEPT) {
  return db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).orderBy('id', 'desc').limit(limit).execute();
}

export interface DeliveryEntry {
  readonly webhookId: number;
  readonly deliveryId: string;
  readonly type: WebhookType;
  readonly eventVersion: number;
  readonly ok: boolean;
  readonly httpStatus: number | null;
  readonly error: string | null;
  readonly durationMs: number;
  readonly attemptedAt: string;
}

/** Logs one attempt and deletes the endpoint's deliveries beyond the newest DELIVERIES_KEPT. */
export async function recordDelivery(db: DbOrTrx, d: DeliveryEntry): Promise<void> {
  await db
    .insertInto('webhook_deliveries')
    .values({
      webhook_id: d.webhookId,
      delivery_id: d.deliveryId,
      type: d.type,
      event_version: d.eventVersion,
      status: d.ok ? 'delivered' : 'failed',
      http_status: d.httpStatus,
      error: d.error,
      duration_ms: d.durationMs,
      attempted_at: d.attemptedAt,
    })
    .execute();
  const oldestKept = await db
    .selectFrom('webhook_deliveries')
    .select('id')
    .where('webhook_id', '=', d.webhookId)
    .orderBy('id', 'desc')
    .offset(DELIVERIES_KEPT - 1)
    .limit(1)
    .executeTakeFirst();
  if (oldestKept) await db.deleteFrom('webhook_deliveries').where('webhook_id', '=', d.webhookId).where('id', '<', oldestKept.id).execute();
}

/** The webhooks' backlog (the metrics), over every event. */
export interface WebhookBacklog {
  /** Active endpoints of published events that have not yet heard the event's current public version. */
  readonly pending: number;
  /** When the oldest change they have not heard was made (the event's public update); null when none is pending. */
  readonly oldestPendingChangeAt: string | null;
  /** Active endpoints whose last delivery failed (retrying). */
  readonly failing: number;
  /** Endpoints the dispatcher turned off after too many failures. */
  readonly disabled: number;
}

export async function webhookBacklog(db: Db): Promise<WebhookBacklog> {
  const pending = await db
    .selectFrom('webhooks as w')
    .innerJoin('events as e', 'e.id', 'w.event_id')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min(eb.fn.coalesce('e.public_updated_at', 'e.updated_at')).as('oldest')])
    .where('w.active', '=', 1)
    .where('e.published', '=', 1)
    .whereRef('e.public_version', '>', 'w.last_version_sent')
    .executeTakeFirst();
  const states = await db
    .selectFrom('webhooks')
    .select((eb) => [
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.and([eb('active', '=', 1), eb('failures', '>', 0)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('failing'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.and([eb('active', '=', 0), eb('disabled_reason', 'is not', null)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('disabled'),
    ])
    .executeTakeFirst();
  return {
    pending: Number(pending?.n ?? 0),
    oldestPendingChangeAt: (pending?.oldest as string | null | undefined) ?? null,
    failing: Number(states?.failing ?? 0),
    disabled: Number(states?.disabled ?? 0),
  };
}
