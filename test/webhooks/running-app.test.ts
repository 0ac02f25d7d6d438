import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWebhook } from '../../src/modules/webhooks/webhook.actions.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { editProgramme, organizerOf, startReceiver, verifySignature, type Receiver } from './support.js';

/**
 * The dispatcher as a server runs it: started by buildApp, polling on its own (fast here), and
 * stopped by close(). SQLite only: the database does not matter to the wiring.
 */

/** Polls until `done` (a generous bound only against hanging forever; nothing here is timed). */
async function waitFor(done: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail('gave up waiting after 10 s');
}

describe('webhook dispatcher in a running server', () => {
  let app: RunningApp;
  let receiver: Receiver;

  before(async () => {
    receiver = await startReceiver();
    app = await startTestApp({
      docs: [buildEventDoc({ slug: 'live-conf' })],
      env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' },
      webhookDispatcher: { intervalMs: 50 },
    });
  });
  after(async () => {
    await app?.close();
    await receiver?.close();
  });

  test('a programme edit reaches the receiver without anyone calling the dispatcher', async () => {
    const eventId = (await app.db.selectFrom('events').select('id').where('slug', '=', 'live-conf').executeTakeFirstOrThrow()).id;
    const actor = await organizerOf(app.db, eventId);
    const { secret } = await createWebhook(app.db, app.hallway.ctx.config, actor, eventId, { url: receiver.url });
    const version = await editProgramme(app.db, actor, eventId, 'Live edit');
    await waitFor(() => receiver.received.length > 0);
    assert.equal(receiver.received.length, 1);
    verifySignature(secret, receiver.received[0]!);
    assert.equal(JSON.parse(receiver.received[0]!.body).event.version, version);
    const sent = () => app.db.selectFrom('webhooks').select('last_version_sent').where('event_id', '=', eventId).executeTakeFirstOrThrow();
    await waitFor(async () => (await sent()).last_version_sent === version);
    assert.equal(receiver.received.length, 1, 'and only once');
  });
});
