import { randomUUID } from 'node:crypto';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { recordAudit } from '../accounts/audit.queries.js';
import type { MailLogger } from '../mail/mail.js';
import { storedInstant, systemClock, type Clock } from '../../lib/clock.js';
import { postWebhook, type PostOutcome } from './webhook-post.js';
import { recordDelivery } from './webhook.queries.js';
import type { WebhookRow } from './webhook.records.js';
import {
  ABANDONED_CLAIM_MS,
  DELIVERY_TIMEOUT_MS,
  MAX_CONSECUTIVE_FAILURES,
  retryDelayMs,
  shortError,
  signatureHeader,
  webhookHeaders,
  webhookPayload,
  type PayloadEvent,
  type WebhookType,
} from './webhook.js';

/*
 * The webhook dispatcher. Nothing in the write path knows about webhooks: every change to an
 * event or its public programme bumps events.public_version (draft-only edits of a released
 * programme do not: nothing public changed), and the dispatcher looks every few seconds for
 * active endpoints of published events whose public version is ahead of what the endpoint last heard,
 * then posts ONE schedule.changed with the latest version (ten quick edits become one or two
 * deliveries). Like the mail sender, it claims each endpoint with a conditional UPDATE, so two
 * processes on one database never deliver the same thing; failures wait 1, 5, 30, then 60
 * minutes, and after MAX_CONSECUTIVE_FAILURES in a row the endpoint is turned off with a reason.
 */

type Settings = Pick<Config, 'baseUrl' | 'webhookAllowPrivateUrls'>;

export interface DispatchResult {
  readonly delivered: number;
  readonly failed: number;
}

/** Endpoints with something to deliver at `now`, with their event's current state. */
function dueWebhooks(db: Db, now: Date, limit: number) {
  return db
    .selectFrom('webhooks as w')
    .innerJoin('events as e', 'e.id', 'w.event_id')
    .selectAll('w')
    .select([
      'e.slug as eventSlug',
      'e.title as eventTitle',
      'e.public_version as eventVersion',
      'e.updated_at as eventUpdatedAt',
      'e.public_updated_at as eventPublicUpdatedAt',
      'e.cancelled_at as eventCancelledAt',
      'e.community_id as communityId',
    ])
    .where('w.active', '=', 1)
    .where('e.published', '=', 1)
    .whereRef('e.public_version', '>', 'w.last_version_sent')
    .where((eb) => eb.or([eb('w.next_attempt_at', 'is', null), eb('w.next_attempt_at', '<=', storedInstant(now))]))
    .where((eb) => eb.or([eb('w.claimed_at', 'is', null), eb('w.claimed_at', '<=', storedInstant(new Date(now.getTime() - ABANDONED_CLAIM_MS)))]))
    .orderBy('w.id')
    .limit(limit)
    .execute();
}

/**
 * Claims an endpoint for this process: succeeds only if nobody claimed or delivered to it since
 * it was read (same claim, same version sent, same failure count).
 */
async function claim(db: Db, hook: WebhookRow, now: Date): Promise<boolean> {
  let q = db
    .updateTable('webhooks')
    .set({ claimed_at: storedInstant(now) })
    .where('id', '=', hook.id)
    .where('active', '=', 1)
    .where('last_version_sent', '=', hook.last_version_sent)
    .where('failures', '=', hook.failures);
  q = hook.claimed_at === null ? q.where('claimed_at', 'is', null) : q.where('claimed_at', '=', hook.claimed_at);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Posts one signed delivery of `type` to the endpoint and logs it in webhook_deliveries.
 * Leaves the endpoint's state (version sent, failures) to the caller. Never throws for a failed
 * delivery.
 */
export async function deliverWebhook(
  db: Db,
  settings: Settings,
  hook: Pick<WebhookRow, 'id' | 'url' | 'secret'>,
  type: WebhookType,
  event: PayloadEvent,
  now: Date,
): Promise<PostOutcome> {
  const deliveryId = randomUUID();
  const body = webhookPayload(type, event, settings.baseUrl, now);
  const headers = webhookHeaders(type, deliveryId, signatureHeader(hook.secret, body, now));
  const outcome = await postWebhook(hook.url, body, headers, { allowPrivateAddresses: settings.webhookAllowPrivateUrls, timeoutMs: DELIVERY_TIMEOUT_MS });
  await recordDelivery(db, {
    webhookId: hook.id,
    deliveryId,
    type,
    eventVersion: event.version,
    ok: outcome.ok,
    httpStatus: outcome.httpStatus,
    error: outcome.error === null ? null : shortError(outcome.error),
    durationMs: outcome.durationMs,
    attemptedAt: storedInstant(now),
  });
  return outcome;
}

/**
 * Delivers schedule.changed to every due endpoint (up to `limit`), each with its event's
 * current version. Side effects: the claim, a webhook_deliveries row per attempt, then either
 * last_version_sent (success; failures reset) or failures + 1 and next_attempt_at (failure;
 * the MAX_CONSECUTIVE_FAILURES-th also turns the endpoint off, with an audit row). A delivery
 * deleted while in flight is simply not updated. Never throws for a failed delivery.
 */
export async function deliverDueWebhooks(db: Db, settings: Settings, options: { clock?: Clock; now?: Date; limit?: number } = {}): Promise<DispatchResult> {
  const now = options.now ?? (options.clock ?? systemClock).now();
  let delivered = 0;
  let failed = 0;
  for (const row of await dueWebhooks(db, now, options.limit ?? 50)) {
    if (!(await claim(db, row, now))) continue;
    try {
      if (await dispatchOne(db, settings, row, now)) delivered++;
      else failed++;
    } catch (err) {
      // Deleted while the POST was in flight: its log row has nowhere to go, and nothing is owed.
      if (!(await db.selectFrom('webhooks').select('id').where('id', '=', row.id).executeTakeFirst())) continue;
      throw err;
    }
  }
  return { delivered, failed };
}

type DueRow = Awaited<ReturnType<typeof dueWebhooks>>[number];

/** Delivers to one claimed endpoint and records the outcome on it; true when delivered. */
async function dispatchOne(db: Db, settings: Settings, row: DueRow, now: Date): Promise<boolean> {
  const event: PayloadEvent = {
    slug: row.eventSlug,
    title: row.eventTitle,
    version: row.eventVersion,
    updatedAt: row.eventPublicUpdatedAt ?? row.eventUpdatedAt,
    cancelledAt: row.eventCancelledAt,
  };
  const outcome = await deliverWebhook(db, settings, row, 'schedule.changed', event, now);
  if (outcome.ok) {
    await db
      .updateTable('webhooks')
      .set({ last_version_sent: event.version, failures: 0, next_attempt_at: null, claimed_at: null, disabled_reason: null })
      .where('id', '=', row.id)
      .execute();
    return true;
  }
  const failures = row.failures + 1;
  const off = failures >= MAX_CONSECUTIVE_FAILURES;
  const reason = `Turned off after ${failures} failed deliveries in a row (last: ${shortError(outcome.error ?? 'failed')}, ${storedInstant(now)}).`;
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('webhooks')
      .set({
        failures,
        next_attempt_at: storedInstant(new Date(now.getTime() + retryDelayMs(failures))),
        claimed_at: null,
        ...(off ? { active: 0, disabled_reason: reason, updated_at: storedInstant(now) } : {}),
      })
      .where('id', '=', row.id)
      .execute();
    if (off) {
      await recordAudit(trx, {
        at: storedInstant(now),
        actor: null,
        communityId: row.communityId,
        eventId: row.event_id,
        action: 'webhook.disabled',
        entityType: 'webhook',
        entityId: row.id,
        summary: `Webhook ${row.url}: ${reason}`,
      });
    }
  });
  return false;
}

export interface WebhookDispatcherOptions {
  /** How often to look for changes to deliver (default 5 s). */
  readonly intervalMs?: number;
  /** The app's clock (default the system clock). */
  readonly clock?: Clock;
  /** Told what each round delivered and what failed (the metrics' counters). */
  readonly onRound?: (result: DispatchResult) => void;
}

/**
 * Starts the webhook dispatcher for this process and returns `stop` (waits for a round in
 * progress). Several processes may run one on the same database.
 */
export function startWebhookDispatcher(db: Db, config: Config, logger: MailLogger, options: WebhookDispatcherOptions = {}): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = (): void => {
    if (stopped || running) return;
    running = (async () => {
      try {
        const r = await deliverDueWebhooks(db, config, { clock: options.clock });
        options.onRound?.(r);
        if (r.delivered) logger.info(`webhooks delivered: ${r.delivered}`);
        if (r.failed) logger.warn(`webhooks failed: ${r.failed} (will be retried; see the event's webhooks page)`);
      } catch (err) {
        logger.error(`webhook dispatcher: ${err instanceof Error ? err.message : String(err)}`);
      }
    })().finally(() => (running = null));
  };
  const timer = setInterval(tick, options.intervalMs ?? 5000);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
