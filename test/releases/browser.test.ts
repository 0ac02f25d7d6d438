import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { fixedClock } from '../../src/lib/clock.js';
import { updateSession } from '../../src/modules/program/session.actions.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { createTestUser } from '../factories/users.js';
import { actorOf } from '../program/support.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { assertAxeClean, browserSkipReason, launchBrowser } from '../support/browser.js';

/**
 * An organizer releases a moved session in a real Chromium, through the back office's Releases
 * page (its form, the "nothing changed" refusal, the held mails sent later), then reads the
 * public changelog. axe-core checks both pages, the form also with its error showing.
 */

if (browserSkipReason) test(browserSkipReason, { skip: browserSkipReason }, () => {});

describe('releases in a browser', { skip: browserSkipReason }, () => {
  let app: RunningApp;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  let eventId: number;

  before(async () => {
    const clock = fixedClock('2027-03-01T09:00:00Z');
    app = await startTestApp({ clock, docs: [buildEventDoc()], webhookDispatcher: false });
    const db = app.db;
    eventId = (await db.selectFrom('events').select('id').where('slug', '=', 'testconf-2027').executeTakeFirstOrThrow()).id;
    const user = await createTestUser(db, {
      email: 'olga@example.org',
      displayName: 'Olga Organizer',
      grants: [{ scope: 'event', scopeId: eventId, role: 'organizer', trackIds: [] }],
    });
    const ada = await createTestUser(db, { email: 'ada@example.org' });
    await db.updateTable('speakers').set({ user_id: ada.id }).where('event_id', '=', eventId).where('code', '=', 'ada').execute();
    const welcome = await db.selectFrom('sessions').select('id').where('event_id', '=', eventId).where('code', '=', 'welcome').executeTakeFirstOrThrow();
    await updateSession({ db, clock }, await actorOf(db, user.id), eventId, welcome.id, { start: '2027-04-15T08:30' });
    browser = await launchBrowser();
    await browser.context.addCookies([{ name: 'hallway_session', value: user.sessionCookie, url: app.url, httpOnly: true, sameSite: 'Lax' }]);
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  const axe = (what: string) => assertAxeClean(page, what);

  test('an organizer reviews the pending change, releases it with the mails held, then sends them', async () => {
    await page.goto(`${app.url}/manage/events/${eventId}`);
    await page.getByRole('navigation', { name: 'Event back office' }).getByRole('link', { name: 'Releases' }).click();
    await page.waitForURL(/\/releases$/);
    const change = page.getByRole('link', { name: 'Moved: "Welcome", from Main Hall, 2027-04-15 09:00 to Main Hall, 2027-04-15 08:30' });
    assert.ok(await change.isVisible(), 'the pending change links to the session');
    assert.equal(await page.getByLabel('Name').getAttribute('placeholder'), '2');
    await axe('the releases page');

    await page.getByLabel('Public comment').fill('Welcome starts earlier');
    await page.getByLabel('Hold the speaker mails').check();
    await page.getByRole('button', { name: 'Release', exact: true }).click();
    await page.waitForURL(/\/releases$/);
    assert.match((await page.locator('.notice').textContent()) ?? '', /Released version 2: 1 change, speaker mails held/);
    assert.match((await page.locator('tbody tr').first().textContent()) ?? '', /Welcome starts earlier[\s\S]*Olga Organizer[\s\S]*Held/);
    await axe('the releases page with a held release');

    await page.getByRole('button', { name: 'Release', exact: true }).click();
    assert.match((await page.locator('.error-summary').textContent()) ?? '', /Nothing changed since release "2"/);
    await axe('the release form refused');

    await page.getByRole('button', { name: 'Send the held speaker mails of version 2' }).click();
    await page.waitForURL(/\/releases$/);
    assert.match((await page.locator('.notice').textContent()) ?? '', /Sent the held speaker mails of version 2: 1 mail queued/);
  });

  test('the public changelog reads well and passes axe, and the schedule links to it', async () => {
    await page.goto(`${app.url}/events/testconf-2027/schedule`);
    await page.getByRole('link', { name: 'Changelog' }).click();
    await page.waitForURL(/\/changelog$/);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Changelog · TestConf 2027');
    const latest = page.locator('section.release').first();
    assert.equal(await latest.getByRole('heading', { level: 2 }).textContent(), 'Version 2');
    assert.match(
      (await latest.textContent()) ?? '',
      /Welcome starts earlier[\s\S]*Moved: Welcome, from Main Hall, Thu 15 Apr 09:00 to Main Hall, Thu 15 Apr 08:30/,
    );
    await latest.getByRole('link', { name: 'Welcome' }).click();
    await page.waitForURL(/\/sessions\/welcome$/);
    await page.goBack();
    await axe('the public changelog');
    assert.equal(await page.locator('link[rel="alternate"][type="application/atom+xml"]').getAttribute('href'), '/events/testconf-2027/changelog.atom');
  });

  test('at phone width neither page scrolls sideways', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    for (const path of [`/manage/events/${eventId}/releases`, '/events/testconf-2027/changelog']) {
      await page.goto(app.url + path);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 376, `${path} is ${width}px wide`);
    }
  });
});
