import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestApp, type RunningApp } from '../support/app.js';
import { assertAxeClean, browserSkipReason, launchBrowser } from '../support/browser.js';
import { createTestUser } from '../factories/users.js';

/**
 * An organizer builds a meetup from nothing in a real Chromium, through the back-office forms
 * only, with our script blocked (the back office must work without JavaScript), publishes it and
 * finds it on the public page. axe-core checks the event and session forms (also with errors
 * showing), and the pages must not scroll sideways at phone width.
 */

if (browserSkipReason) test(browserSkipReason, { skip: browserSkipReason }, () => {});

describe('back office in a browser', { skip: browserSkipReason }, () => {
  let app: RunningApp;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;

  before(async () => {
    app = await startTestApp();
    // An organizer the site administrators allowed to start communities (COMMUNITY_CREATORS=allowed, the default).
    const user = await createTestUser(app.db, { email: 'mia@example.org', displayName: 'Mia Meetup', mayCreateCommunities: true });
    browser = await launchBrowser();
    await browser.context.addCookies([{ name: 'hallway_session', value: user.sessionCookie, url: app.url, httpOnly: true, sameSite: 'Lax' }]);
    await browser.context.route('**/assets/app.js', (route) => route.abort());
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  const axe = (what: string) => assertAxeClean(page, what);

  test('an organizer builds a meetup through the forms, publishes it and sees it on the public page', async () => {
    await page.goto(`${app.url}/manage`);
    await page.getByRole('link', { name: 'New community' }).click();
    await page.getByLabel('Name').fill('Berlin.js');
    await page.getByLabel('Address (slug)').fill('berlinjs');
    await page.getByRole('button', { name: 'Create community' }).click();
    await page.waitForURL(/\/manage\/events\/new\?communityId=\d+/);
    assert.match((await page.locator('.notice').textContent()) ?? '', /Community "Berlin.js" created/);

    await axe('the new event form');
    await page.getByLabel('Kind').selectOption('meetup');
    await page.getByLabel('Title').fill('Berlin.js June');
    await page.getByLabel('Address (slug)').fill('Not a slug');
    await page.getByLabel('First day').fill('2027-06-10');
    await page.getByLabel('Last day').fill('2027-06-10');
    await page.getByLabel('Time zone').selectOption('Europe/Berlin');
    await page.getByLabel('Venue', { exact: true }).fill('c-base');
    await page.getByRole('button', { name: 'Create event' }).click();
    assert.match((await page.locator('#f-slug-error').textContent()) ?? '', /lower-case letters/);
    assert.equal(await page.getByLabel('Title').inputValue(), 'Berlin.js June', 'typed values are kept');
    await axe('the event form with errors');
    await page.getByLabel('Address (slug)').fill('berlinjs-2027-06');
    await page.getByRole('button', { name: 'Create event' }).click();
    await page.waitForURL(/\/manage\/events\/\d+$/);
    const eventUrl = page.url();

    await page.getByRole('navigation', { name: 'Event back office' }).getByRole('link', { name: 'Rooms' }).click();
    await page.getByLabel('Name').fill('Main Space');
    await page.getByRole('button', { name: 'Add room' }).click();
    assert.match((await page.locator('.notice').textContent()) ?? '', /Room "Main Space" added/);

    await page.getByRole('navigation', { name: 'Event back office' }).getByRole('link', { name: 'Speakers' }).click();
    await page.getByRole('link', { name: 'Add a speaker' }).click();
    await page.getByLabel('Name').fill('Lena Script');
    await page.getByLabel('Company').fill('Acme');
    await page.getByLabel('GitHub').fill('lena-script');
    await page.getByRole('button', { name: 'Add speaker' }).click();
    assert.match((await page.locator('.notice').textContent()) ?? '', /Speaker "Lena Script" added/);

    await page.getByRole('navigation', { name: 'Event back office' }).getByRole('link', { name: 'Sessions' }).click();
    await page.getByRole('link', { name: 'Add a session' }).click();
    await axe('the session form');
    await page.getByRole('group', { name: 'What' }).getByLabel('Title', { exact: true }).fill('Signals in Practice');
    await page.getByLabel('Start time').fill('19:30');
    await page.getByLabel('Duration (minutes)').fill('30');
    await page.getByLabel('Room').selectOption({ label: 'Main Space' });
    await page.getByLabel('Speakers', { exact: true }).selectOption({ label: 'Lena Script' });
    await page.getByRole('group', { name: 'Link 1' }).getByLabel('Address').fill('https://slides.example.org/signals');
    await page.getByRole('button', { name: 'Add session' }).click();
    assert.match((await page.locator('.notice').textContent()) ?? '', /Session "Signals in Practice" added \(Thu 10 June 2027, 19:30\)/);
    assert.match((await page.locator('table').textContent()) ?? '', /19:30–20:00[\s\S]*Signals in Practice[\s\S]*Main Space[\s\S]*Lena Script/);

    await page.goto(eventUrl);
    await page.getByRole('button', { name: 'Publish event' }).click();
    assert.match((await page.locator('.notice').textContent()) ?? '', /is published/);
    await page.getByRole('link', { name: 'the public page' }).click();
    await page.waitForURL(`${app.url}/events/berlinjs-2027-06`);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Berlin.js June');
    await page.getByRole('link', { name: 'See the agenda' }).click();
    assert.ok(await page.getByRole('link', { name: 'Signals in Practice' }).isVisible());
    assert.match((await page.locator('main').textContent()) ?? '', /19:30/);
  });

  test('at phone width the back-office pages do not scroll sideways', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    const id = (await app.db.selectFrom('events').select('id').executeTakeFirstOrThrow()).id;
    for (const path of [
      '/manage',
      `/manage/events/${id}`,
      `/manage/events/${id}/sessions`,
      `/manage/events/${id}/sessions/new`,
      `/manage/events/${id}/rooms`,
      `/manage/events/${id}/team`,
      `/manage/events/${id}/audit`,
    ]) {
      await page.goto(app.url + path);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 376, `${path} is ${width}px wide`);
    }
  });
});
