import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { ResponseCache } from '../../src/http/response-cache.js';

// After a release every open page fetches itself again within a second (assets/live.js): requests
// for one URL and version arriving while it is being rendered wait for that render, not each their own.
test('concurrent requests for the same page and version share one render; a new version renders again', async () => {
  for (const entries of [500, 0]) {
    const cache = new ResponseCache(entries);
    let renders = 0;
    let version = 1;
    let release!: () => void;
    let gate = new Promise<void>((r) => (release = r));
    // The first render finishes only once all 20 requests are in.
    let arrived = 0;
    const app = Fastify();
    app.get('/page', (request, reply) => {
      if (++arrived === 20) release();
      return cache.send(request, reply, { scope: 'e1', version, contentType: 'text/html; charset=utf-8' }, async () => {
        renders++;
        await gate;
        return `<p>version ${version}</p>`;
      });
    });
    await app.ready();
    try {
      const answers = Array.from({ length: 20 }, () => app.inject({ method: 'GET', url: '/page' }));
      const bodies = (await Promise.all(answers)).map((r) => `${r.statusCode} ${r.body}`);
      assert.deepEqual(new Set(bodies), new Set(['200 <p>version 1</p>']));
      assert.equal(renders, 1, `one render for 20 requests (cache of ${entries})`);

      version = 2;
      gate = new Promise<void>((r) => (release = r));
      const next = app.inject({ method: 'GET', url: '/page' });
      release();
      assert.equal((await next).body, '<p>version 2</p>');
      assert.equal(renders, 2);
    } finally {
      await app.close();
    }
  }
});
