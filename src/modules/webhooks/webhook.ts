import { createHmac, randomBytes } from 'node:crypto';

/*
 * Webhook rules without I/O: what is sent (payload, headers, signature), when a failed endpoint
 * is tried again, and when it is turned off.
 */

export const WEBHOOK_TYPES = ['schedule.changed', 'ping'] as const;
export type WebhookType = (typeof WEBHOOK_TYPES)[number];

/** Consecutive failed deliveries after which the dispatcher turns an endpoint off. */
export const MAX_CONSECUTIVE_FAILURES = 10;

/** Deliveries kept per endpoint for organizers to read; older ones are deleted. */
export const DELIVERIES_KEPT = 50;

/** A delivery gets this long to be answered. */
export const DELIVERY_TIMEOUT_MS = 10_000;

/** A claim older than this was left by a process that stopped mid-delivery; it may be taken over. */
export const ABANDONED_CLAIM_MS = 5 * 60_000;

/** Wait after the n-th failure in a row: 1 min, 5 min, 30 min, then hourly. */
export function retryDelayMs(failures: number): number {
  const minutes = [1, 5, 30][failures - 1] ?? 60;
  return minutes * 60_000;
}

/** A new signing secret: 32 random bytes, base64url (43 characters). */
export function newWebhookSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The hallway-signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
 * Receivers recompute it with their secret and compare in constant time (README: Webhooks).
 */
export function signatureHeader(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

export interface PayloadEvent {
  readonly slug: string;
  readonly title: string;
  readonly version: number;
  readonly updatedAt: string;
  readonly cancelledAt: string | null;
}

/** The JSON body of a delivery; links are absolute, from BASE_URL. */
export function webhookPayload(type: WebhookType, event: PayloadEvent, baseUrl: string, deliveredAt: Date): string {
  const e = encodeURIComponent(event.slug);
  return JSON.stringify({
    type,
    event: { slug: event.slug, title: event.title, version: event.version, updatedAt: event.updatedAt, cancelledAt: event.cancelledAt },
    links: {
      'schedule.xml': `${baseUrl}/events/${e}/schedule.xml`,
      'schedule.json': `${baseUrl}/events/${e}/schedule.json`,
      api: `${baseUrl}/api/v1/events/${e}`,
    },
    deliveredAt: deliveredAt.toISOString(),
  });
}

/** Headers of a delivery (besides content-length). */
export function webhookHeaders(type: WebhookType, deliveryId: string, signature: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'Hallway-Webhooks',
    'hallway-event': type,
    'hallway-delivery': deliveryId,
    'hallway-signature': signature,
  };
}

/** Short error text for the deliveries log. */
export function shortError(text: string): string {
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
