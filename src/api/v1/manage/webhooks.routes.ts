import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../http/context.js';
import { parseInput } from '../../../lib/form-fields.js';
import {
  createWebhook,
  deleteWebhook,
  getWebhookDeliveries,
  listWebhooks,
  rotateWebhookSecret,
  sendTestDelivery,
  setWebhookActive,
} from '../../../modules/webhooks/webhook.actions.js';
import { WebhookStateSchema } from '../../../modules/webhooks/webhook.schemas.js';
import { manageRoute } from './route.js';
import {
  listOf,
  one,
  TestDeliverySchema,
  WebhookBody,
  WebhookDeliveriesSchema,
  WebhookPatchBody,
  WebhookRecordSchema,
  WebhookWithSecretSchema,
} from './schemas.js';

/*
 * An event's webhooks (organizers), the same actions as the back office's Webhooks tab:
 *   GET    /events/:eventId/webhooks
 *   POST   /events/:eventId/webhooks                          201, with the secret (only here)
 *   PATCH  /events/:eventId/webhooks/:webhookId               {"active": false|true}
 *   DELETE /events/:eventId/webhooks/:webhookId
 *   GET    /events/:eventId/webhooks/:webhookId/deliveries
 *   POST   /events/:eventId/webhooks/:webhookId/test          a ping now
 *   POST   /events/:eventId/webhooks/:webhookId/rotate-secret with the new secret (only here)
 */
export async function webhookRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const both = ['eventId', 'webhookId'];
  manageRoute(app, {
    method: 'GET',
    url: '/events/:eventId/webhooks',
    params: ['eventId'],
    operationId: 'listWebhooks',
    summary: "An event's webhooks",
    description: 'Organizers. Oldest first, each with its latest delivery; never the secrets.',
    ok: { status: 200, schema: listOf(WebhookRecordSchema, 'The webhooks.') },
    errors: [400, 403, 404],
    handler: async (_request, _reply, { actor, ids }) => ({ data: await listWebhooks(ctx.db, actor, ids.eventId!) }),
  });
  manageRoute(app, {
    method: 'POST',
    url: '/events/:eventId/webhooks',
    params: ['eventId'],
    operationId: 'createWebhook',
    summary: 'Add a webhook',
    description:
      'Organizers. The URL gets a signed POST (schedule.changed) when the published programme changes from now on. WEBHOOK_URL_REFUSED (422) for a non-public address; the secret is in this answer only.',
    body: WebhookBody,
    ok: { status: 201, schema: one(WebhookWithSecretSchema, 'The new webhook and its secret.') },
    errors: [400, 403, 404, 413, 415, 422],
    handler: async (request, reply, { actor, ids }) => {
      const created = await createWebhook(ctx.db, ctx.config, actor, ids.eventId!, request.body, ctx.clock);
      reply.header('Location', `/api/v1/manage/events/${ids.eventId}/webhooks/${created.webhook.id}/deliveries`);
      return { data: created };
    },
  });
  manageRoute(app, {
    method: 'PATCH',
    url: '/events/:eventId/webhooks/:webhookId',
    params: both,
    operationId: 'updateWebhook',
    summary: 'Pause or resume a webhook',
    description: 'Organizers. Resuming clears the failure count; a change missed while paused goes out on the next round.',
    body: WebhookPatchBody,
    ok: { status: 200, schema: one(WebhookRecordSchema, 'The webhook as changed.') },
    errors: [400, 403, 404, 413, 415, 422],
    handler: async (request, _reply, { actor, ids }) => {
      const { active } = parseInput(WebhookStateSchema, request.body);
      return { data: await setWebhookActive(ctx.db, actor, ids.eventId!, ids.webhookId!, active, ctx.clock) };
    },
  });
  manageRoute(app, {
    method: 'DELETE',
    url: '/events/:eventId/webhooks/:webhookId',
    params: both,
    operationId: 'deleteWebhook',
    summary: 'Delete a webhook',
    description: 'Organizers. Its delivery log goes with it.',
    ok: { status: 204 },
    errors: [400, 403, 404],
    handler: async (_request, _reply, { actor, ids }) => deleteWebhook(ctx.db, actor, ids.eventId!, ids.webhookId!, ctx.clock),
  });
  manageRoute(app, {
    method: 'GET',
    url: '/events/:eventId/webhooks/:webhookId/deliveries',
    params: both,
    operationId: 'listWebhookDeliveries',
    summary: "A webhook's deliveries",
    description: 'Organizers. The webhook and its last 50 delivery attempts, newest first.',
    ok: { status: 200, schema: one(WebhookDeliveriesSchema, 'The webhook and its deliveries.') },
    errors: [400, 403, 404],
    handler: async (_request, _reply, { actor, ids }) => ({ data: await getWebhookDeliveries(ctx.db, actor, ids.eventId!, ids.webhookId!) }),
  });
  manageRoute(app, {
    method: 'POST',
    url: '/events/:eventId/webhooks/:webhookId/test',
    params: both,
    operationId: 'testWebhook',
    summary: 'Send a test delivery',
    description:
      'Organizers. Posts a signed ping now (also to a paused webhook) and answers with what the receiver did; logged, but never counted as a failure.',
    ok: { status: 200, schema: one(TestDeliverySchema, 'The outcome.') },
    errors: [400, 403, 404],
    handler: async (_request, _reply, { actor, ids }) => ({ data: await sendTestDelivery(ctx.db, ctx.config, actor, ids.eventId!, ids.webhookId!, ctx.clock) }),
  });
  manageRoute(app, {
    method: 'POST',
    url: '/events/:eventId/webhooks/:webhookId/rotate-secret',
    params: both,
    operationId: 'rotateWebhookSecret',
    summary: "Replace a webhook's secret",
    description: 'Organizers. The old secret stops signing at once; the new one is in this answer only.',
    ok: { status: 200, schema: one(WebhookWithSecretSchema, 'The webhook and its new secret.') },
    errors: [400, 403, 404],
    handler: async (_request, _reply, { actor, ids }) => ({ data: await rotateWebhookSecret(ctx.db, actor, ids.eventId!, ids.webhookId!, ctx.clock) }),
  });
}
