import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { checkHost } from '../../lib/public-target.js';
import type { Actor } from '../accounts/actor.js';
import { recordAudit } from '../accounts/audit.queries.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import { EventErrors } from '../events/event.errors.js';
import type { EventRow } from '../events/event.table.js';
import { auditEventChange, ensureAllowed, scopeOf, type DbOrTrx } from '../events/event-write.queries.js';
import { parseInput } from '../../lib/form-fields.js';
import { deliverWebhook } from './webhook-dispatcher.js';
import type { PostOutcome } from './webhook-post.js';
import { canManageWebhooks } from './webhook.policy.js';
import { deliveriesOf, webhookOfEvent, webhooksOfEvent } from './webhook.queries.js';
import { toDeliveryRecord, toWebhookRecord, type DeliveryRecord, type WebhookRecord, type WebhookRow } from './webhook.records.js';
import { CreateWebhookSchema } from './webhook.schemas.js';
import { WebhookErrors } from './webhook.errors.js';
import { newWebhookSecret } from './webhook.js';

/*
 * What organizers do with an event's webhooks. None of these bump the event's version: a
 * webhook is not part of the public programme (and a bump would itself trigger a delivery).
 * Each change is one transaction with its audit row.
 */

/** A webhook with the secret that signs its deliveries: returned only on create and rotate. */
export interface WebhookWithSecret {
  readonly webhook: WebhookRecord;
  readonly secret: string;
}

async function eventFor(db: DbOrTrx, actor: Actor | null, eventId: number, what: string): Promise<EventRow> {
  const event = await db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirst();
  if (!event) throw EventErrors.notFound('event', eventId);
  ensureAllowed(canManageWebhooks(actor, scopeOf(event)), what);
  return event;
}

async function hookFor(trx: DbOrTrx, actor: Actor | null, eventId: number, webhookId: number, what: string): Promise<{ event: EventRow; hook: WebhookRow }> {
  const event = await eventFor(trx, actor, eventId, what);
  const hook = await webhookOfEvent(trx, eventId, webhookId);
  if (!hook) throw WebhookErrors.notFound(webhookId);
  return { event, hook };
}

/**
 * An event's webhooks with their latest delivery, oldest first.
 * @throws FORBIDDEN (403), NOT_FOUND (404).
 */
export async function listWebhooks(db: Db, actor: Actor | null, eventId: number): Promise<WebhookRecord[]> {
  await eventFor(db, actor, eventId, "see this event's webhooks");
  return (await webhooksOfEvent(db, eventId)).map((w) => toWebhookRecord(w.hook, w.latest));
}

/**
 * One webhook and its logged deliveries (the last 50), newest first.
 * @throws FORBIDDEN (403), NOT_FOUND (404: also another event's webhook).
 */
export async function getWebhookDeliveries(
  db: Db,
  actor: Actor | null,
  eventId: number,
  webhookId: number,
): Promise<{ webhook: WebhookRecord; deliveries: DeliveryRecord[] }> {
  await eventFor(db, actor, eventId, "see this event's webhooks");
  const hook = await webhookOfEvent(db, eventId, webhookId);
  if (!hook) throw WebhookErrors.notFound(webhookId);
  const deliveries = await deliveriesOf(db, hook.id);
  return { webhook: toWebhookRecord(hook, deliveries[0] ?? null), deliveries: deliveries.map(toDeliveryRecord) };
}

/**
 * Registers an endpoint for the event's programme changes from now on (it hears of the next
 * change, not of the current version). The URL must be http(s) and, unless
 * WEBHOOK_ALLOW_PRIVATE_URLS, resolve only to public addresses (checked again at every delivery).
 * Side effects, in one transaction: webhooks row (with a new secret), audit row.
 * @throws VALIDATION_FAILED (422), WEBHOOK_URL_REFUSED (422), FORBIDDEN (403), NOT_FOUND (404).
 */
export async function createWebhook(
  db: Db,
  config: Pick<Config, 'webhookAllowPrivateUrls'>,
  actor: Actor | null,
  eventId: number,
  input: unknown,
  clock: Clock = systemClock,
): Promise<WebhookWithSecret> {
  await eventFor(db, actor, eventId, 'add webhooks to this event');
  const data = parseInput(CreateWebhookSchema, input);
  let url: URL;
  try {
    url = new URL(data.url);
  } catch {
    throw EventErrors.validationFailed([{ path: 'url', message: 'must be an http(s) URL' }]);
  }
  if (url.username || url.password)
    throw WebhookErrors.urlRefused('it carries a user name or password; put credentials in the path or use the signature instead');
  const check = await checkHost(url.hostname, { allowPrivateAddresses: config.webhookAllowPrivateUrls });
  if (!check.ok) throw WebhookErrors.urlRefused(check.reason);
  const secret = newWebhookSecret();
  return db.transaction().execute(async (trx) => {
    const event = await eventFor(trx, actor, eventId, 'add webhooks to this event');
    const now = clock.instant();
    const row = await trx
      .insertInto('webhooks')
      .values({
        event_id: event.id,
        url: url.href,
        secret,
        description: data.description,
        last_version_sent: event.public_version,
        created_by: actor?.userId ?? null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditEventChange(trx, actor, event, {
      at: clock.instant(),
      action: 'webhook.created',
      entityType: 'webhook',
      entityId: row.id,
      summary: `Added webhook ${row.url}`,
    });
    return { webhook: toWebhookRecord(row, null), secret };
  });
}

/**
 * Replaces the webhook's signing secret (the old one stops working at once).
 * Side effects, in one transaction: webhooks row, audit row.
 * @throws FORBIDDEN (403), NOT_FOUND (404).
 */
export function rotateWebhookSecret(db: Db, actor: Actor | null, eventId: number, webhookId: number, clock: Clock = systemClock): Promise<WebhookWithSecret> {
  return db.transaction().execute(async (trx) => {
    const { event, hook } = await hookFor(trx, actor, eventId, webhookId, "change this event's webhooks");
    const secret = newWebhookSecret();
    const row = await trx
      .updateTable('webhooks')
      .set({ secret, updated_at: clock.instant() })
      .where('id', '=', hook.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditEventChange(trx, actor, event, {
      at: clock.instant(),
      action: 'webhook.secret_rotated',
      entityType: 'webhook',
      entityId: hook.id,
      summary: `New secret for webhook ${hook.url}`,
    });
    return { webhook: toWebhookRecord(row, null), secret };
  });
}

/**
 * Pauses (no deliveries) or resumes a webhook. Resuming starts afresh: the failure count is
 * cleared, and the latest programme change (if any was missed) goes out on the next round.
 * Side effects, in one transaction: webhooks row, audit row.
 * @throws FORBIDDEN (403), NOT_FOUND (404).
 */
export function setWebhookActive(
  db: Db,
  actor: Actor | null,
  eventId: number,
  webhookId: number,
  active: boolean,
  clock: Clock = systemClock,
): Promise<WebhookRecord> {
  return db.transaction().execute(async (trx) => {
    const { event, hook } = await hookFor(trx, actor, eventId, webhookId, "change this event's webhooks");
    const row = await trx
      .updateTable('webhooks')
      .set(
        active
          ? { active: 1, disabled_reason: null, failures: 0, next_attempt_at: null, updated_at: clock.instant() }
          : { active: 0, disabled_reason: null, updated_at: clock.instant() },
      )
      .where('id', '=', hook.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditEventChange(trx, actor, event, {
      at: clock.instant(),
      action: active ? 'webhook.resumed' : 'webhook.paused',
      entityType: 'webhook',
      entityId: hook.id,
      summary: `${active ? 'Resumed' : 'Paused'} webhook ${hook.url}`,
    });
    return toWebhookRecord(row, null);
  });
}

/**
 * Deletes a webhook and its delivery log.
 * Side effects, in one transaction: the rows, audit row.
 * @throws FORBIDDEN (403), NOT_FOUND (404).
 */
export function deleteWebhook(db: Db, actor: Actor | null, eventId: number, webhookId: number, clock: Clock = systemClock): Promise<void> {
  return db.transaction().execute(async (trx) => {
    const { event, hook } = await hookFor(trx, actor, eventId, webhookId, "change this event's webhooks");
    await trx.deleteFrom('webhooks').where('id', '=', hook.id).execute();
    await auditEventChange(trx, actor, event, {
      at: clock.instant(),
      action: 'webhook.deleted',
      entityType: 'webhook',
      entityId: hook.id,
      summary: `Deleted webhook ${hook.url}`,
    });
  });
}

/**
 * Sends a `ping` delivery now (also to a paused endpoint, and whether or not the event is
 * published), signed like every delivery, and logs it. It changes nothing else: no failure is
 * counted and the version sent stays.
 * Side effects: the POST, a webhook_deliveries row, audit row.
 * @throws FORBIDDEN (403), NOT_FOUND (404).
 */
export async function sendTestDelivery(
  db: Db,
  config: Pick<Config, 'baseUrl' | 'webhookAllowPrivateUrls'>,
  actor: Actor | null,
  eventId: number,
  webhookId: number,
  clock: Clock = systemClock,
): Promise<PostOutcome> {
  const { event, hook } = await hookFor(db, actor, eventId, webhookId, "test this event's webhooks");
  const outcome = await deliverWebhook(
    db,
    config,
    hook,
    'ping',
    {
      slug: event.slug,
      title: event.title,
      version: event.public_version,
      updatedAt: event.public_updated_at ?? event.updated_at,
      cancelledAt: event.cancelled_at,
    },
    clock.now(),
  );
  await recordAudit(db, {
    at: clock.instant(),
    actor,
    communityId: event.community_id,
    eventId: event.id,
    action: 'webhook.tested',
    entityType: 'webhook',
    entityId: hook.id,
    summary: `Test delivery to ${hook.url}: ${outcome.ok ? `delivered (HTTP ${outcome.httpStatus})` : `failed (${outcome.error})`}`,
  });
  return outcome;
}
