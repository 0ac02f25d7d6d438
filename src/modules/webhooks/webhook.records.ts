import type { Selectable } from 'kysely';
import type { WebhookDeliveryTable, WebhookTable } from './webhook.table.js';

/*
 * What adapters see of webhooks: never the secret (it is shown once, by the action that makes it).
 */

export type WebhookRow = Selectable<WebhookTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>;

export interface DeliveryRecord {
  readonly id: number;
  readonly deliveryId: string;
  readonly type: string;
  readonly eventVersion: number;
  readonly status: 'delivered' | 'failed';
  readonly httpStatus: number | null;
  readonly error: string | null;
  readonly durationMs: number;
  readonly attemptedAt: string;
}

export interface WebhookRecord {
  readonly id: number;
  readonly url: string;
  readonly description: string;
  readonly active: boolean;
  /** Why the dispatcher turned it off; null when active or paused by an organizer. */
  readonly disabledReason: string | null;
  readonly failures: number;
  readonly nextAttemptAt: string | null;
  readonly lastVersionSent: number;
  readonly createdAt: string;
  readonly lastDelivery: DeliveryRecord | null;
}

export function toDeliveryRecord(d: WebhookDeliveryRow): DeliveryRecord {
  return {
    id: d.id,
    deliveryId: d.delivery_id,
    type: d.type,
    eventVersion: d.event_version,
    status: d.status === 'delivered' ? 'delivered' : 'failed',
    httpStatus: d.http_status,
    error: d.error,
    durationMs: d.duration_ms,
    attemptedAt: d.attempted_at,
  };
}

export function toWebhookRecord(h: WebhookRow, latest: WebhookDeliveryRow | null): WebhookRecord {
  return {
    id: h.id,
    url: h.url,
    description: h.description,
    active: h.active === 1,
    disabledReason: h.disabled_reason,
    failures: h.failures,
    nextAttemptAt: h.next_attempt_at,
    lastVersionSent: h.last_version_sent,
    createdAt: h.created_at,
    lastDelivery: latest ? toDeliveryRecord(latest) : null,
  };
}
