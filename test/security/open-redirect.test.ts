import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildEventDoc } from '../factories/event-doc.js';
import { createTestUser, TEST_PASSWORD, type TestUser } from '../factories/users.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { browserSkipReason, launchBrowser } from '../support/browser.js';
import { WebClient } from '../support/web-client.js';

/**
 * Issue 11 item 5: a `next` that a browser reads as another origin (`/<TAB>/evil.example` is
 * `//evil.example` once the tab is stripped) is never followed, and one with a newline never
 * turns the answer into a 500 after the star or the session was written.
 */

const EV = '/events/testconf-2027';
/** As they arrive after URL-decoding (`next=/%09/evil.example/x` is the first). */
const PAYLOADS = ['/\t/evil.example/x', '/\n/x', '/\\\t\\evil.example', '/.//evil.example'];

/** A Location on the app's own origin (a path, never `//host` nor a scheme). */
function assertSameOrigin(res: Response, base: string, what: string): void {
  assert.equal(res.status, 303, `${what}: ${res.status}`);
  const location = res.headers.get('location')!;
  assert.match(location, /^\/(?![/\\])/, `${what}: ${location}`);
  assert.equal(new URL(location, base).origin, base, `${what}: ${location}`);
}

describe('a `next` pointing elsewhere', () => {
  let app: RunningApp;
  let ann: TestUser;
  before(async () => {
    app = await startTestApp({ docs: [buildEventDoc()] });
    ann = await createTestUser(app.db, { email: 'ann@example.org', displayName: 'Ann' });
  });
  after(() => app?.close());

  test('star: the GET form, the confirm page and the POST answer 303 to our own origin, never a 500', async () => {
    const c = WebClient.signedIn(app.url, ann.sessionCookie);
    for (const next of PAYLOADS) {
      const q = encodeURIComponent(next);
      assertSameOrigin(await c.get(`${EV}/star?session=keynote&next=${q}`), app.url, `GET star ${JSON.stringify(next)}`);
      const confirm = await c.get(`${EV}/sessions/keynote/star?next=${q}`);
      assert.equal(confirm.status, 200);
      const back = /<a href="([^"]*)">Back<\/a>/.exec(await confirm.text())![1]!;
      assert.equal(new URL(back.replaceAll('&amp;', '&'), app.url).origin, app.url, `Back link for ${JSON.stringify(next)}: ${back}`);
      for (const action of ['star', 'unstar']) {
        const res = await c.submit(`${EV}/sessions/keynote/star`, `${EV}/sessions/keynote/${action}`, { next });
        assertSameOrigin(res, app.url, `POST ${action} ${JSON.stringify(next)}`);
      }
    }
  });

  test('sign-in answers 303 to our own origin, never a 500', async () => {
    for (const next of PAYLOADS) {
      const res = await new WebClient(app.url).submit('/sign-in', '/sign-in', { email: 'ann@example.org', password: TEST_PASSWORD, next });
      assertSameOrigin(res, app.url, `sign in ${JSON.stringify(next)}`);
    }
  });

  test('in Chromium, the Back link of the star page stays on our origin', { skip: browserSkipReason }, async () => {
    const browser = await launchBrowser({ javaScriptEnabled: false });
    try {
      // Any other origin answers here, so an escape is seen (and never reaches the network).
      await browser.context.route(
        (url) => url.origin !== app.url,
        (route) => route.fulfill({ contentType: 'text/html', body: '<title>escaped</title>' }),
      );
      await browser.context.addCookies([{ name: 'hallway_session', value: ann.sessionCookie, url: app.url }]);
      const page = await browser.context.newPage();
      for (const next of ['/%09/evil.example/x', '/%0A/evil.example/x', '/%5C%09%5Cevil.example']) {
        await page.goto(`${app.url}${EV}/sessions/keynote/star?next=${next}`);
        await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/star')), page.getByRole('link', { name: 'Back' }).click()]);
        assert.equal(new URL(page.url()).origin, app.url, `Back with next=${next} went to ${page.url()}`);
      }
    } finally {
      await browser.close();
    }
  });
});
