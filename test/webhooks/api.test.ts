import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deliverDueWebhooks } from '../../src/modules/webhooks/webhook-dispatcher.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { assertError, tokenFor, useManageApp } from '../api-manage/support.js';
import { startReceiver, verifySignature, type Receiver } from './support.js';

/**
 * The organizer API's webhooks (every answer checked against the published OpenAPI document):
 * add with the secret once, list without it, pause/resume, test ping, deliveries, rotate, delete.
 */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const M = '/api/v1/manage';

for (const database of testDatabases) {
  describe(`organizer API: webhooks on ${database.name}`, () => {
    const env = useManageApp(database, { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' }, { webhookDispatcher: false });
    let receiver: Receiver;
    let token: string;
    let eventId: number;
    before(async () => {
      receiver = await startReceiver();
      token = (await tokenFor(env.db, 'Owner', { mayCreateCommunities: true })).token;
      const community = await env.api.post(`${M}/communities`, { token, json: { slug: 'hooks', name: 'Hooks' } });
      const event = await env.api.post(`${M}/events`, {
        token,
        json: {
          communityId: community.body.data.id,
          slug: 'hooks-conf',
          kind: 'meetup',
          title: 'Hooks Conf',
          timeZone: 'UTC',
          startDate: '2027-04-15',
          endDate: '2027-04-15',
        },
      });
      eventId = event.body.data.id;
    });
    after(async () => receiver?.close());

    test('add, list, pause, resume, ping, deliveries, rotate and delete', async () => {
      const base = `${M}/events/${eventId}/webhooks`;
      assertError(await env.api.post(base, { token, json: { url: 'ftp://example.org/x' } }), 422, 'VALIDATION_FAILED');

      const created = await env.api.post(base, { token, json: { url: receiver.url, description: 'Info screens' } });
      assert.equal(created.status, 201, created.text);
      const { webhook, secret } = created.body.data;
      assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(webhook.url, receiver.url);
      assert.equal(webhook.active, true);
      assert.equal(webhook.lastDelivery, null);

      const list = await env.api.get(base, { token });
      assert.equal(list.status, 200);
      assert.deepEqual(
        list.body.data.map((w: { id: number }) => w.id),
        [webhook.id],
      );
      assert.ok(!list.text.includes(secret), 'the list never carries the secret');

      const one = `${base}/${webhook.id}`;
      assertError(await env.api.patch(one, { token, json: { active: 'no' } }), 422, 'VALIDATION_FAILED');
      assert.equal((await env.api.patch(one, { token, json: { active: false } })).body.data.active, false);
      await env.api.post(`${M}/events/${eventId}/publish`, { token });
      assert.deepEqual(await deliverDueWebhooks(env.db, env.app.hallway.ctx.config), { delivered: 0, failed: 0 }, 'paused');
      assert.equal((await env.api.patch(one, { token, json: { active: true } })).body.data.active, true);
      assert.deepEqual(await deliverDueWebhooks(env.db, env.app.hallway.ctx.config), { delivered: 1, failed: 0 }, 'publishing was a change');

      receiver.status = 200;
      const ping = await env.api.post(`${one}/test`, { token });
      assert.equal(ping.status, 200, ping.text);
      assert.deepEqual({ ...ping.body.data, durationMs: 0 }, { ok: true, httpStatus: 200, error: null, durationMs: 0 });
      const last = receiver.received.at(-1)!;
      assert.equal(last.headers['hallway-event'], 'ping');
      verifySignature(secret, last);

      const deliveries = await env.api.get(`${one}/deliveries`, { token });
      assert.equal(deliveries.status, 200);
      assert.deepEqual(
        deliveries.body.data.deliveries.map((d: { type: string; status: string }) => `${d.type} ${d.status}`),
        ['ping delivered', 'schedule.changed delivered'],
      );
      assert.equal(deliveries.body.data.webhook.lastDelivery.type, 'ping');

      const rotated = await env.api.post(`${one}/rotate-secret`, { token });
      assert.equal(rotated.status, 200);
      assert.notEqual(rotated.body.data.secret, secret);
      await env.api.post(`${one}/test`, { token });
      verifySignature(rotated.body.data.secret, receiver.received.at(-1)!);
      assert.throws(() => verifySignature(secret, receiver.received.at(-1)!), /does not match/);

      assert.equal((await env.api.delete(one, { token })).status, 204);
      assertError(await env.api.get(`${one}/deliveries`, { token }), 404, 'NOT_FOUND');
      assert.deepEqual((await env.api.get(base, { token })).body.data, []);
    });
  });
}
