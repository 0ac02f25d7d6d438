import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { startTestApp, type RunningApp } from '../support/app.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { preferredEncoding } from '../../src/http/response-cache.js';

describe('cached responses are served compressed (brotli or gzip) to clients that take it', () => {
  let app: RunningApp;
  const doc = buildEventDoc();
  before(async () => {
    app = await startTestApp({ docs: [doc] });
  });
  after(async () => {
    await app?.close();
  });

  async function compressedHit(path: string, acceptEncoding: string, expected: string): Promise<Response> {
    // The compressed copies are made off the event loop after the first answer.
    for (let i = 0; i < 50; i++) {
      const hit = await app.get(path, { headers: { 'accept-encoding': acceptEncoding } });
      if (hit.headers.get('content-encoding') === expected) return hit;
      await hit.text();
      await delay(20);
    }
    throw new Error(`${path} never came back as ${expected}`);
  }

  test('the first answer is plain, later hits are brotli or gzip as asked, with the same content; identity clients get plain text', async () => {
    const path = `/events/${doc.event.slug}/schedule.json`;
    const first = await app.get(path, { headers: { 'accept-encoding': 'gzip' } });
    const plain = await first.text();
    assert.equal(first.headers.get('content-encoding'), null);
    const gz = await compressedHit(path, 'gzip, deflate', 'gzip');
    assert.equal(gz.headers.get('vary'), 'Accept-Encoding');
    assert.equal(await gz.text(), plain, 'fetch decompresses gzip to exactly the uncompressed body');
    // What browsers send: brotli is preferred, and is smaller.
    const br = await compressedHit(path, 'gzip, deflate, br, zstd', 'br');
    const brBytes = Number(br.headers.get('content-length'));
    assert.equal(await br.text(), plain, 'fetch decompresses brotli to exactly the uncompressed body');
    assert.ok(brBytes > 0 && brBytes < Buffer.byteLength(plain) / 3, `brotli body ${brBytes} bytes for ${Buffer.byteLength(plain)}`);
    // q-values are honoured: a client that prefers gzip gets gzip.
    assert.equal((await app.get(path, { headers: { 'accept-encoding': 'br;q=0.5, gzip' } })).headers.get('content-encoding'), 'gzip');
    const identity = await app.get(path, { headers: { 'accept-encoding': 'identity' } });
    assert.equal(identity.headers.get('content-encoding'), null);
    assert.equal(await identity.text(), plain);
  });

  test('Accept-Encoding negotiation: brotli first, q-values, q=0 refusals and wildcards', () => {
    assert.equal(preferredEncoding('gzip, deflate, br'), 'br');
    assert.equal(preferredEncoding('br;q=1.0, gzip;q=0.8'), 'br');
    assert.equal(preferredEncoding('br;q=0.2, gzip;q=0.8'), 'gzip');
    assert.equal(preferredEncoding('gzip;q=0'), null);
    assert.equal(preferredEncoding('br;q=0, gzip'), 'gzip');
    assert.equal(preferredEncoding('identity'), null);
    assert.equal(preferredEncoding('deflate'), null);
    assert.equal(preferredEncoding('*'), 'br');
    assert.equal(preferredEncoding(undefined), null);
  });
});
