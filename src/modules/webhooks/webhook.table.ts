import type { Generated } from 'kysely';

/** An endpoint an organizer registered to hear about changes of one event's public programme. */
export interface WebhookTable {
  id: Generated<number>;
  event_id: number;
  url: string;
  /** Signs deliveries; shown to organizers only when created or rotated. */
  secret: string;
  description: Generated<string>;
  /** 1 = deliveries go out; 0 = paused by an organizer or turned off after too many failures. */
  active: Generated<number>;
  /** Set when the dispatcher turned the endpoint off (why); null when an organizer paused it. */
  disabled_reason: string | null;
  /** The events.version last delivered successfully. */
  last_version_sent: Generated<number>;
  /** Failed attempts in a row. */
  failures: Generated<number>;
  /** After a failure, the earliest instant of the next attempt. */
  next_attempt_at: string | null;
  /** When a dispatcher claimed the endpoint for a delivery in progress (null = none). */
  claimed_at: string | null;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

/** One attempt to deliver to an endpoint (the last 50 are kept). */
export interface WebhookDeliveryTable {
  id: Generated<number>;
  webhook_id: number;
  /** The hallway-delivery header sent. */
  delivery_id: string;
  type: string;
  event_version: number;
  /** delivered | failed */
  status: string;
  http_status: number | null;
  error: string | null;
  duration_ms: number;
  attempted_at: string;
}
