import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createDb } from '../../src/db/database.js';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { markEventCancelled } from '../../src/modules/events/event-state.actions.js';
import { publishEvent, unpublishEvent } from '../../src/modules/schedule/publication.actions.js';
import { importEventDocument } from '../../src/modules/schedule/import.actions.js';
import { deliverDueWebhooks } from '../../src/modules/webhooks/webhook-dispatcher.js';
import { createWebhook, sendTestDelivery, setWebhookActive, getWebhookDeliveries } from '../../src/modules/webhooks/webhook.actions.js';
import { MAX_CONSECUTIVE_FAILURES, retryDelayMs } from '../../src/modules/webhooks/webhook.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { assertShows, expectRedirect, signedInClient } from '../backoffice/support.js';
import { editProgramme, organizerOf, startReceiver, verifySignature, versionOf, type Receiver } from './support.js';
import { moduleContext, releaseDraft, TEST_OPERATOR } from '../support/module-context.js';
import { updateSession } from '../../src/modules/program/session.actions.js';
import { cancelSession } from '../../src/modules/program/session-state.actions.js';
import { systemClock } from '../../src/lib/clock.js';

/**
 * The webhook dispatcher against a real HTTP receiver on 127.0.0.1: one signed delivery per
 * change, coalescing, published events only, retries with back-off, turning off after repeated
 * failures, two processes on one database, the test ping, and the SSRF check at delivery time.
 * Driven by calling deliverDueWebhooks with chosen instants (the background loop is off).
 */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const T0 = new Date('2027-03-01T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

for (const database of testDatabases) {
  describe(`webhook dispatcher on ${database.name}`, () => {
    let app: RunningApp;
    let receiver: Receiver;
    let n = 0;
    const settings = () => app.hallway.ctx.config;

    /** A fresh published event with an organizer and one webhook to the receiver. */
    async function setUp(): Promise<{ eventId: number; actor: Actor; webhookId: number; secret: string }> {
      const slug = `hooked-${++n}`;
      await importEventDocument(moduleContext(app.db), TEST_OPERATOR, buildEventDoc({ slug }));
      const eventId = (await app.db.selectFrom('events').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
      const actor = await organizerOf(app.db, eventId);
      const created = await createWebhook(app.db, settings(), actor, eventId, { url: receiver.url, description: 'Website' });
      return { eventId, actor, webhookId: created.webhook.id, secret: created.secret };
    }
    const hook = (id: number) => app.db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const logOf = (id: number) => app.db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', id).orderBy('id').execute();

    before(async () => {
      app = await startTestApp({ database, env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', BASE_URL: 'https://hallway.example.org' }, webhookDispatcher: false });
      receiver = await startReceiver();
    });
    after(async () => {
      await receiver?.close();
      await app?.close();
    });

    test('a programme edit leads to exactly one signed schedule.changed delivery', async () => {
      receiver.received.length = 0;
      receiver.status = 204;
      const { eventId, actor, webhookId, secret } = await setUp();
      assert.deepEqual(await deliverDueWebhooks(app.db, settings(), { now: at(0) }), { delivered: 0, failed: 0 }, 'a new webhook hears of changes from now on');
      const version = await editProgramme(app.db, actor, eventId, 'Welcome, renamed');

      assert.deepEqual(await deliverDueWebhooks(app.db, settings(), { now: at(0) }), { delivered: 1, failed: 0 });
      assert.deepEqual(await deliverDueWebhooks(app.db, settings(), { now: at(60_000) }), { delivered: 0, failed: 0 }, 'nothing new: nothing sent');
      assert.equal(receiver.received.length, 1);
      const r = receiver.received[0]!;
      assert.equal(r.method, 'POST');
      assert.equal(r.path, '/hooks/hallway');
      assert.equal(r.headers['content-type'], 'application/json');
      assert.equal(r.headers['user-agent'], 'Hallway-Webhooks');
      assert.equal(r.headers['hallway-event'], 'schedule.changed');
      assert.match(String(r.headers['hallway-delivery']), /^[0-9a-f-]{36}$/);
      assert.equal(verifySignature(secret, r), Math.floor(T0.getTime() / 1000));
      assert.throws(() => verifySignature(`${secret}x`, r), /does not match/, 'another secret does not verify');
      assert.throws(
        () => verifySignature(secret, { ...r, body: r.body.replace('"version"', '"Version"') }),
        /does not match/,
        'a changed body does not verify',
      );
      const body = JSON.parse(r.body);
      const slug = `hooked-${n}`;
      assert.equal(body.type, 'schedule.changed');
      assert.equal(body.event.slug, slug);
      assert.equal(body.event.title, 'TestConf 2027');
      assert.equal(body.event.version, version);
      assert.equal(body.event.cancelledAt, null);
      assert.match(body.event.updatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.deepEqual(body.links, {
        'schedule.xml': `https://hallway.example.org/events/${slug}/schedule.xml`,
        'schedule.json': `https://hallway.example.org/events/${slug}/schedule.json`,
        api: `https://hallway.example.org/api/v1/events/${slug}`,
      });
      assert.equal(body.deliveredAt, T0.toISOString());

      const log = await logOf(webhookId);
      assert.equal(log.length, 1);
      assert.equal(log[0]!.status, 'delivered');
      assert.equal(log[0]!.http_status, 204);
      assert.equal(log[0]!.event_version, version);
      assert.equal(log[0]!.delivery_id, r.headers['hallway-delivery']);
      assert.equal((await hook(webhookId)).last_version_sent, version);
    });

    test('rapid edits coalesce into one delivery of the latest version', async () => {
      receiver.received.length = 0;
      receiver.status = 200;
      const { eventId, actor } = await setUp();
      let version = 0;
      for (let i = 1; i <= 5; i++) version = await editProgramme(app.db, actor, eventId, `Edit ${i}`);
      assert.deepEqual(await deliverDueWebhooks(app.db, settings(), { now: at(0) }), { delivered: 1, failed: 0 });
      assert.equal(receiver.received.length, 1);
      assert.equal(JSON.parse(receiver.received[0]!.body).event.version, version);
    });

    test('draft-only changes of a released programme deliver nothing; releasing them delivers once', async () => {
      receiver.received.length = 0;
      receiver.status = 200;
      const { eventId, actor, webhookId } = await setUp();
      const [first, second] = await app.db
        .selectFrom('sessions')
        .select(['id', 'duration_minutes'])
        .where('event_id', '=', eventId)
        .orderBy('id')
        .limit(2)
        .execute();
      const ctx = moduleContext(app.db);
      // Placement, duration and status are released, never public as drafted.
      await updateSession(ctx, actor, eventId, first!.id, { durationMinutes: first!.duration_minutes - 5 });
      await cancelSession(ctx, actor, eventId, second!.id);
      assert.deepEqual(await deliverDueWebhooks(app.db, settings(), { now: at(0) }), { delivered: 0, failed: 0 }, 'the public saw nothing change');
      assert.equal((await logOf(webhookId)).length, 0);

      await releaseDraft(app.db, eventId);
      assert.deepEqual(await deliverDueWebhooks(app.db, settings(), { now: at(0) }), { delivered: 1, failed: 0 });
      assert.equal(JSON.parse(receiver.received[0]!.body).event.version, await versionOf(app.db, eventId), 'the release is the latest version');

      // A title is live: public at once, so it is delivered without a release.
      await updateSession(ctx, actor, eventId, first!.id, { title: 'Renamed in public' });
      assert.deepEqual(await deliverDueWebhooks(app.db, settings(), { now: at(0) }), { delivered: 1, failed: 0 });
      assert.equal(receiver.received.length, 2);
    });

    test('an unpublished event delivers nothing; publishing it delivers its latest version', async () => {
      receiver.received.length = 0;
      receiver.status = 200;
      const { eventId, actor, webhookId } = await setUp();
      await unpublishEvent(moduleContext(app.db), actor, eventId);
      await editProgramme(app.db, actor, eventId, 'Draft edit');
      assert.deepEqual(await deliverDueWebhooks(app.db, settings(), { now: at(0) }), { delivered: 0, failed: 0 });
      assert.equal(receiver.received.length, 0);
      assert.equal((await logOf(webhookId)).length, 0);

      await publishEvent(moduleContext(app.db), actor, eventId);
      assert.deepEqual(await deliverDueWebhooks(app.db, settings(), { now: at(0) }), { delivered: 1, failed: 0 });
      assert.equal(JSON.parse(receiver.received[0]!.body).event.version, await versionOf(app.db, eventId));
    });

    test('a failing receiver is retried after 1, 5, 30 and 60 minutes, each attempt recorded, until it answers', async () => {
      receiver.received.length = 0;
      receiver.status = 500;
      const { eventId, actor, webhookId } = await setUp();
      const version = await editProgramme(app.db, actor, eventId, 'Retry me');
      let now = T0.getTime();
      for (const [attempt, waitMinutes] of [
        [1, 1],
        [2, 5],
        [3, 30],
        [4, 60],
        [5, 60],
      ] as const) {
        assert.deepEqual(await deliverDueWebhooks(app.db, settings(), { now: new Date(now) }), { delivered: 0, failed: 1 }, `attempt ${attempt}`);
        const h = await hook(webhookId);
        assert.equal(h.failures, attempt);
        assert.equal(h.active, 1);
        assert.equal(retryDelayMs(attempt), waitMinutes * 60_000);
        assert.equal(h.next_attempt_at, new Date(now + waitMinutes * 60_000).toISOString().replace('.000Z', 'Z'));
        // Not before the back-off has passed.
        assert.deepEqual(await deliverDueWebhooks(app.db, settings(), { now: new Date(now + waitMinutes * 60_000 - 1000) }), { delivered: 0, failed: 0 });
        now += waitMinutes * 60_000;
      }
      assert.equal(receiver.received.length, 5);
      const log = await logOf(webhookId);
      assert.deepEqual(
        log.map((d) => [d.status, d.http_status, d.error, d.event_version]),
        Array.from({ length: 5 }, () => ['failed', 500, 'HTTP 500', version]),
      );
      assert.equal(new Set(log.map((d) => d.delivery_id)).size, 5, 'each attempt has its own delivery id');

      receiver.status = 202;
      assert.deepEqual(await deliverDueWebhooks(app.db, settings(), { now: new Date(now) }), { delivered: 1, failed: 0 });
      const h = await hook(webhookId);
      assert.equal(h.failures, 0);
      assert.equal(h.next_attempt_at, null);
      assert.equal(h.last_version_sent, version);
    });

    test(`after ${MAX_CONSECUTIVE_FAILURES} failures in a row the webhook is turned off, with the reason shown and audited; resuming starts afresh`, async () => {
      receiver.received.length = 0;
      receiver.status = 503;
      const { eventId, actor, webhookId } = await setUp();
      await editProgramme(app.db, actor, eventId, 'Never heard');
      let now = T0.getTime();
      for (let i = 1; i <= MAX_CONSECUTIVE_FAILURES; i++) {
        assert.deepEqual(await deliverDueWebhooks(app.db, settings(), { now: new Date(now) }), { delivered: 0, failed: 1 }, `attempt ${i}`);
        now += retryDelayMs(i);
      }
      const h = await hook(webhookId);
      assert.equal(h.active, 0);
      assert.match(h.disabled_reason ?? '', /^Turned off after 10 failed deliveries in a row \(last: HTTP 503, /);
      assert.deepEqual(await deliverDueWebhooks(app.db, settings(), { now: new Date(now + 86_400_000) }), { delivered: 0, failed: 0 }, 'nothing more goes out');
      assert.equal(receiver.received.length, MAX_CONSECUTIVE_FAILURES);
      const audit = await app.db.selectFrom('audit_log').selectAll().where('event_id', '=', eventId).where('action', '=', 'webhook.disabled').execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.actor_label, 'system');
      const { webhook } = await getWebhookDeliveries(app.db, actor, eventId, webhookId);
      assert.equal(webhook.active, false);
      assert.match(webhook.disabledReason ?? '', /Turned off after 10/);
      const { client } = await signedInClient(app.url, app.db, 'Otto Organizer', {
        grants: [{ scope: 'event', scopeId: eventId, role: 'organizer', trackIds: [] }],
      });
      assertShows(await (await client.get(`/manage/events/${eventId}/webhooks`)).text(), 'Turned off after 10 failed deliveries in a row (last: HTTP 503,');
      assertShows(await (await client.get(`/manage/events/${eventId}/webhooks/${webhookId}`)).text(), 'Resume deliveries');

      receiver.status = 200;
      await setWebhookActive(app.db, actor, eventId, webhookId, true);
      const resumed = await hook(webhookId);
      assert.deepEqual([resumed.active, resumed.failures, resumed.next_attempt_at, resumed.disabled_reason], [1, 0, null, null]);
      assert.deepEqual(await deliverDueWebhooks(app.db, settings(), { now: new Date(now) }), { delivered: 1, failed: 0 }, 'the missed change goes out');
    });

    test('cancelling the event is delivered as a change with event.cancelledAt set', async () => {
      receiver.received.length = 0;
      receiver.status = 200;
      const { eventId, actor } = await setUp();
      await app.db.transaction().execute((trx) => markEventCancelled({ trx, clock: systemClock }, actor, eventId, 'The venue flooded.'));
      assert.deepEqual(await deliverDueWebhooks(app.db, settings(), { now: at(0) }), { delivered: 1, failed: 0 });
      const body = JSON.parse(receiver.received[0]!.body);
      assert.equal(body.type, 'schedule.changed');
      assert.match(body.event.cancelledAt, /^\d{4}-\d\d-\d\dT/);
      assert.equal(body.event.version, await versionOf(app.db, eventId));
    });

    test('a paused webhook gets nothing until resumed', async () => {
      receiver.received.length = 0;
      receiver.status = 200;
      const { eventId, actor, webhookId } = await setUp();
      await setWebhookActive(app.db, actor, eventId, webhookId, false);
      await editProgramme(app.db, actor, eventId, 'While paused');
      assert.deepEqual(await deliverDueWebhooks(app.db, settings(), { now: at(0) }), { delivered: 0, failed: 0 });
      await setWebhookActive(app.db, actor, eventId, webhookId, true);
      assert.deepEqual(await deliverDueWebhooks(app.db, settings(), { now: at(0) }), { delivered: 1, failed: 0 });
      assert.equal(receiver.received.length, 1);
    });

    test('two processes on one database never deliver the same version twice', async () => {
      receiver.received.length = 0;
      receiver.status = 200;
      receiver.delayMs = 100; // both dispatchers are in flight at once
      const other = createDb(app.hallway.ctx.config.database);
      try {
        const { eventId, actor } = await setUp();
        const versions: number[] = [];
        for (let round = 0; round < 5; round++) {
          versions.push(await editProgramme(app.db, actor, eventId, `Round ${round}`));
          const [a, b] = await Promise.all([deliverDueWebhooks(app.db, settings(), { now: at(0) }), deliverDueWebhooks(other, settings(), { now: at(0) })]);
          assert.equal(a.delivered + b.delivered, 1, `round ${round}: one delivery between the two (${JSON.stringify([a, b])})`);
          assert.equal(a.failed + b.failed, 0);
        }
        assert.deepEqual(
          receiver.received.map((r) => JSON.parse(r.body).event.version),
          versions,
        );
      } finally {
        receiver.delayMs = 0;
        await other.destroy();
      }
    });

    test('the test ping is signed, logged, and changes nothing else (also for a paused webhook)', async () => {
      receiver.received.length = 0;
      receiver.status = 200;
      const { eventId, actor, webhookId, secret } = await setUp();
      const before = await hook(webhookId);
      await setWebhookActive(app.db, actor, eventId, webhookId, false);
      const outcome = await sendTestDelivery(app.db, settings(), actor, eventId, webhookId);
      assert.equal(outcome.ok, true);
      assert.equal(outcome.httpStatus, 200);
      assert.equal(receiver.received.length, 1);
      const r = receiver.received[0]!;
      assert.equal(r.headers['hallway-event'], 'ping');
      verifySignature(secret, r);
      assert.equal(JSON.parse(r.body).type, 'ping');
      const afterPing = await hook(webhookId);
      assert.equal(afterPing.last_version_sent, before.last_version_sent);
      assert.equal(afterPing.failures, 0);
      const log = await logOf(webhookId);
      assert.deepEqual(
        log.map((d) => [d.type, d.status]),
        [['ping', 'delivered']],
      );

      receiver.status = 418;
      const failed = await sendTestDelivery(app.db, settings(), actor, eventId, webhookId);
      assert.deepEqual([failed.ok, failed.httpStatus, failed.error], [false, 418, 'HTTP 418']);
      assert.equal((await hook(webhookId)).failures, 0, 'a failed ping is not counted');
    });

    test("the back office's 'Send a test delivery now' posts a ping and says what the receiver answered; the log shows it", async () => {
      receiver.received.length = 0;
      receiver.status = 200;
      const { eventId, webhookId } = await setUp();
      const { client } = await signedInClient(app.url, app.db, 'Pia Pinger', {
        grants: [{ scope: 'event', scopeId: eventId, role: 'organizer', trackIds: [] }],
      });
      const one = `/manage/events/${eventId}/webhooks/${webhookId}`;
      await expectRedirect(await client.submit(one, `${one}/test`, {}), one);
      assert.equal(receiver.received.length, 1);
      assert.equal(receiver.received[0]!.headers['hallway-event'], 'ping');
      const html = await (await client.get(one)).text();
      assertShows(html, 'Test delivery answered HTTP 200 in');
      assertShows(html, 'Delivered (HTTP 200)');
      assertShows(html, String(receiver.received[0]!.headers['hallway-delivery']));
      const list = await (await client.get(`/manage/events/${eventId}/webhooks`)).text();
      assertShows(list, 'ping v');
      assertShows(list, 'delivered (HTTP 200)');

      receiver.status = 500;
      await expectRedirect(await client.submit(one, `${one}/test`, {}), one);
      assertShows(await (await client.get(one)).text(), 'Test delivery failed: HTTP 500.');
    });

    test('the delivery log keeps the last 50 attempts', async () => {
      receiver.status = 200;
      const { eventId, actor, webhookId } = await setUp();
      for (let i = 0; i < 53; i++) await sendTestDelivery(app.db, settings(), actor, eventId, webhookId);
      const log = await logOf(webhookId);
      assert.equal(log.length, 50);
      const { deliveries } = await getWebhookDeliveries(app.db, actor, eventId, webhookId);
      assert.equal(deliveries.length, 50);
      assert.ok(deliveries[0]!.id > deliveries[49]!.id, 'newest first');
    });

    test('the address is checked again at delivery: with private addresses not allowed, nothing is sent and the refusal is logged', async () => {
      receiver.received.length = 0;
      receiver.status = 200;
      const { eventId, actor, webhookId } = await setUp();
      await editProgramme(app.db, actor, eventId, 'Now refused');
      const strict = { ...settings(), webhookAllowPrivateUrls: false };
      assert.deepEqual(await deliverDueWebhooks(app.db, strict, { now: at(0) }), { delivered: 0, failed: 1 });
      assert.equal(receiver.received.length, 0, 'no connection was made');
      const log = await logOf(webhookId);
      assert.equal(log.length, 1);
      assert.equal(log[0]!.http_status, null);
      assert.equal(log[0]!.error, 'refused: 127.0.0.1 is a loopback address, not a public one');
    });

    test('a receiver that is down is a failure with the network error', async () => {
      const { eventId, actor, webhookId } = await setUp();
      const gone = await startReceiver();
      await gone.close();
      await app.db.updateTable('webhooks').set({ url: gone.url }).where('id', '=', webhookId).execute();
      await editProgramme(app.db, actor, eventId, 'Nobody home');
      assert.deepEqual(await deliverDueWebhooks(app.db, settings(), { now: at(0) }), { delivered: 0, failed: 1 });
      assert.equal((await logOf(webhookId))[0]!.error, 'ECONNREFUSED');
    });
  });
}
