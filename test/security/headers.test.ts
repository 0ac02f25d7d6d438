import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type RunningApp } from '../support/app.js';
import { WebClient } from '../support/web-client.js';
import { createTestUser } from '../factories/users.js';
import { buildEventDoc } from '../factories/event-doc.js';

/**
 * Security headers on every kind of answer: public pages, private pages, the API, exports,
 * errors and redirects. The CSP allows scripts and styles only from this origin (no
 * 'unsafe-inline'), no framing, nosniff and a referrer policy that does not leak paths.
 */
function checkHeaders(res: Response, what: string): void {
  const csp = res.headers.get('content-security-policy') ?? '';
  const directive = (name: string) =>
    csp
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith(`${name} `)) ?? '';
  assert.equal(directive('script-src'), "script-src 'self'", `${what}: scripts only from this origin`);
  assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'), `${what}: no unsafe-inline/eval in ${csp}`);
  assert.equal(directive('frame-ancestors'), "frame-ancestors 'none'", `${what}: no framing`);
  assert.equal(directive('object-src'), "object-src 'none'", `${what}: no plugins`);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
  assert.equal(res.headers.get('referrer-policy'), 'strict-origin-when-cross-origin', `${what}: referrer policy`);
  assert.equal(res.headers.get('x-powered-by'), null, `${what}: no server fingerprint`);
}

describe('security headers and cookies', () => {
  let app: RunningApp;
  let organizer: WebClient;
  const doc = buildEventDoc();

  before(async () => {
    app = await startTestApp({ docs: [doc] });
    const user = await createTestUser(app.db, { email: 'org@example.org', isAdmin: true });
    organizer = WebClient.signedIn(app.url, user.sessionCookie);
  });
  after(async () => {
    await app?.close();
  });

  test('public pages, exports, the API, errors and redirects all carry the headers', async () => {
    const slug = doc.event.slug;
    for (const path of [
      '/',
      `/events/${slug}`,
      `/events/${slug}/schedule`,
      `/events/${slug}/schedule.xml`,
      `/events/${slug}/schedule.ics`,
      '/api/v1/events',
      '/api/openapi.json',
      '/events/no-such-event',
      '/api/v1/events/no-such-event',
      '/sign-in',
      '/sign-up',
      '/manage',
    ]) {
      const res = await app.get(path, { redirect: 'manual' });
      await res.arrayBuffer();
      checkHeaders(res, `${path} (${res.status})`);
    }
  });

  test('private pages are never stored by caches; public pages may be revalidated', async () => {
    for (const path of ['/manage', '/account', '/admin']) {
      const res = await organizer.get(path);
      await res.arrayBuffer();
      assert.equal(res.status, 200, path);
      checkHeaders(res, path);
      assert.equal(res.headers.get('cache-control'), 'no-store', `${path} is private`);
    }
    const pub = await app.get(`/events/${doc.event.slug}`);
    assert.equal(pub.headers.get('cache-control'), 'public, no-cache');
  });

  test('the session cookie is httpOnly and SameSite=Lax, and Secure when the site is served over https', async () => {
    const plain = new WebClient(app.url);
    const res = await plain.submit('/sign-in', '/sign-in', { email: 'org@example.org', password: 'correct horse battery staple' });
    assert.equal(res.status, 303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('hallway_session='));
    assert.ok(cookie, 'signed in');
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    assert.doesNotMatch(cookie, /Secure/i, 'no Secure flag over plain http, or the browser would drop it');

    const https = await startTestApp({ env: { BASE_URL: 'https://hallway.example.org' } });
    try {
      await createTestUser(https.db, { email: 'org@example.org' });
      const client = new WebClient(https.url);
      const signedIn = await client.submit('/sign-in', '/sign-in', { email: 'org@example.org', password: 'correct horse battery staple' });
      const secure = signedIn.headers.getSetCookie().find((c) => c.startsWith('hallway_session='));
      assert.match(secure ?? '', /;\s*Secure/i, 'Secure when BASE_URL is https');
      assert.match(signedIn.headers.get('strict-transport-security') ?? '', /max-age=\d+/, 'HSTS over https');
    } finally {
      await https.close();
    }
  });
});
