import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { startTestApp, type RunningApp } from '../support/app.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { acceptsGzip } from '../../src/http/response-cache.js';

describe('cached responses are served gzipped to clients that take gzip', () => {
  let app: RunningApp;
  const doc = buildEventDoc();
  before(async () => {
    app = await startTestApp({ docs: [doc] });
  });
  after(async () => {
    await app?.close();
  });

  test('the first answer is plain, later hits are gzip with the same content; identity clients always get plain text', async () => {
    const path = `/events/${doc.event.slug}/schedule.json`;
    const first = await app.get(path, { headers: { 'accept-encoding': 'gzip' } });
    const plain = await first.text();
    assert.equal(first.headers.get('content-encoding'), null);
    // The compressed copy is made off the event loop after the first answer.
    let hit: Response | undefined;
    for (let i = 0; i < 50; i++) {
      hit = await app.get(path, { headers: { 'accept-encoding': 'gzip, deflate' } });
      if (hit.headers.get('content-encoding') === 'gzip') break;
      await hit.text();
      await delay(20);
    }
    assert.equal(hit!.headers.get('content-encoding'), 'gzip');
    assert.equal(hit!.headers.get('vary'), 'Accept-Encoding');
    assert.equal(await hit!.text(), plain, 'fetch decompresses to exactly the uncompressed body');
    const identity = await app.get(path, { headers: { 'accept-encoding': 'identity' } });
    assert.equal(identity.headers.get('content-encoding'), null);
    assert.equal(await identity.text(), plain);
  });

  test('Accept-Encoding parsing honours q=0 and wildcards', () => {
    assert.equal(acceptsGzip('gzip, deflate, br'), true);
    assert.equal(acceptsGzip('br;q=1.0, gzip;q=0.8'), true);
    assert.equal(acceptsGzip('gzip;q=0'), false);
    assert.equal(acceptsGzip('identity'), false);
    assert.equal(acceptsGzip('*'), true);
    assert.equal(acceptsGzip(undefined), false);
  });
});
