import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { signOutEverywhere } from '../../src/modules/accounts/account.actions.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { createTestUser, TEST_PASSWORD, type TestUser } from '../factories/users.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { browserSkipReason, launchBrowser } from '../support/browser.js';

/**
 * A shared laptop at a conference, in Chromium: the service worker keeps my agenda for offline
 * use, and once its owner signs out, or someone else signs in, that copy is gone, while public
 * pages still open offline.
 */

if (browserSkipReason) test(browserSkipReason, { skip: browserSkipReason }, () => {});

const EV = '/events/testconf-2027';

describe('private offline pages on a shared browser', { skip: browserSkipReason }, () => {
  let app: RunningApp;
  let ann: TestUser;
  let bob: TestUser;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;

  before(async () => {
    app = await startTestApp({ docs: [buildEventDoc()] });
    ann = await createTestUser(app.db, { email: 'ann@example.org', displayName: 'Ann Attendee' });
    bob = await createTestUser(app.db, { email: 'bob@example.org', displayName: 'Bob Attendee' });
    const keynote = await app.db.selectFrom('sessions').select(['id', 'event_id']).where('code', '=', 'keynote').executeTakeFirstOrThrow();
    await app.db
      .insertInto('agenda_stars')
      .values({ user_id: ann.id, session_id: keynote.id, event_id: keynote.event_id, created_at: new Date().toISOString() })
      .execute();
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  /**
   * Opens a public page once the worker controls it. A page whose navigation began while the
   * worker was still activating stays uncontrolled (clients.claim() ran before it existed), so
   * it is loaded again once the worker is ready.
   */
  async function openControlled(path: string): Promise<void> {
    await page.goto(app.url + path);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  }

  /** Visits a public page and then my agenda online, until the worker has saved both. */
  async function keepPagesOffline(): Promise<void> {
    await openControlled(`${EV}/speakers`);
    await page.goto(`${app.url}${EV}/speakers`);
    await page.goto(`${app.url}${EV}/my-agenda`);
    await page.waitForFunction(async (ev) => {
      const urls = (await (await caches.open('hallway-pages-v1')).keys()).map((r) => new URL(r.url).pathname);
      return urls.includes(`${ev}/speakers`) && urls.includes(`${ev}/my-agenda`);
    }, EV);
  }

  /** The h1 and the signed-in name of a page opened offline. */
  async function offline(path: string): Promise<{ heading: string; text: string }> {
    await browser.context.setOffline(true);
    try {
      await page.goto(app.url + path);
      return { heading: (await page.getByRole('heading', { level: 1 }).textContent())!.trim(), text: (await page.locator('body').textContent())! };
    } finally {
      await browser.context.setOffline(false);
    }
  }

  async function signInWithForm(user: TestUser): Promise<void> {
    await page.goto(`${app.url}/sign-in?next=${encodeURIComponent(`${EV}/schedule`)}`);
    const form = page.getByRole('form', { name: 'Sign in with your password' });
    await form.getByLabel('E-mail address').fill(user.email);
    await form.getByLabel('Password').fill(TEST_PASSWORD);
    await form.getByRole('button').click();
    await page.waitForURL(`${app.url}${EV}/schedule`);
  }

  test('my agenda opens offline while its owner is signed in', async () => {
    await signInWithForm(ann);
    await keepPagesOffline();
    const agenda = await offline(`${EV}/my-agenda`);
    assert.match(agenda.heading, /^My agenda/);
    assert.match(agenda.text, /The Keynote/);
  });

  test('after signing out, my agenda is no longer served offline; public pages still are once visited', async () => {
    await page.goto(`${app.url}${EV}/my-agenda`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    // Online again on a public page: the worker is back and saves it.
    await openControlled(`${EV}/speakers`);
    await page.waitForFunction(async () => (await (await caches.open('hallway-pages-v1')).keys()).length > 0);
    const agenda = await offline(`${EV}/my-agenda`);
    assert.equal(agenda.heading, 'You are offline');
    assert.doesNotMatch(agenda.text, /Ann Attendee|The Keynote/);
    assert.match((await offline(`${EV}/speakers`)).heading, /Speakers/);
  });

  test('another person signing in never sees the previous agenda offline, even without a sign-out', async () => {
    await signInWithForm(ann);
    await keepPagesOffline();
    // Ann walks away; her session ends elsewhere (she signs out everywhere from her phone).
    await signOutEverywhere(app.db, ann.id);
    await signInWithForm(bob);
    await openControlled(`${EV}/speakers`);
    const agenda = await offline(`${EV}/my-agenda`);
    assert.equal(agenda.heading, 'You are offline');
    assert.doesNotMatch(agenda.text, /Ann Attendee|The Keynote/);
    // Bob's own agenda is kept once he has opened it.
    await keepPagesOffline();
    const own = await offline(`${EV}/my-agenda`);
    assert.match(own.text, /Bob Attendee/);
    assert.doesNotMatch(own.text, /Ann Attendee|The Keynote/);
  });
});
