import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildEventDoc } from '../factories/event-doc.js';
import { startTestApp, type RunningApp } from '../support/app.js';

/**
 * Issue 11 item 10d: an image in Markdown loads only from this instance (BASE_URL) or a host in
 * MARKDOWN_IMAGE_HOSTS, over https; any other (a tracking pixel on a public page) becomes a link.
 */
describe('Markdown images on public pages', () => {
  let app: RunningApp;
  before(async () => {
    const doc = buildEventDoc();
    doc.event.description = [
      '![Venue map](https://hallway.test/media/map.png)',
      '![Sponsor logo](https://images.example.org/logo.png)',
      '![](https://tracker.example.net/pixel.gif?u=1)',
      '![Plain http](http://images.example.org/old.png)',
      '<img src="https://tracker.example.net/raw.gif" alt="raw">',
    ].join('\n\n');
    app = await startTestApp({ docs: [doc], env: { BASE_URL: 'https://hallway.test', MARKDOWN_IMAGE_HOSTS: 'images.example.org' } });
  });
  after(() => app?.close());

  test('own origin and allow-listed hosts show inline; every other image is a link, never loaded', async () => {
    const html = await (await app.get(`/events/${buildEventDoc().event.slug}`)).text();
    const images = [...html.matchAll(/<img [^>]*src="([^"]*)"/g)].map((m) => m[1]).filter((src) => !src!.startsWith('/'));
    assert.deepEqual(
      images.filter((src) => !/avatar/.test(src!)),
      ['https://hallway.test/media/map.png', 'https://images.example.org/logo.png'],
    );
    assert.match(
      html,
      /<a href="https:\/\/tracker\.example\.net\/pixel\.gif\?u=1" rel="nofollow noopener">https:\/\/tracker\.example\.net\/pixel\.gif\?u=1<\/a>/,
    );
    assert.match(html, /<a href="https:\/\/tracker\.example\.net\/raw\.gif" rel="nofollow noopener">raw<\/a>/);
    assert.ok(!html.includes('old.png'), 'a plain-http image is dropped, as before');
  });
});
