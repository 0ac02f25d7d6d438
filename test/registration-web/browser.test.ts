import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestApp, type RunningApp } from '../support/app.js';
import { assertAxeClean, browserSkipReason, launchBrowser } from '../support/browser.js';
import { actorFor } from '../../src/modules/accounts/auth-session.queries.js';
import { rsvp } from '../../src/modules/registration/rsvp.actions.js';
import { registrationContext } from '../../src/modules/registration/rsvp.queries.js';
import { TEST_PASSWORD, createTestUser } from '../factories/users.js';
import { docs, eventIdOf } from './support.js';

/**
 * The RSVP page and the check-in page in a real Chromium at phone width: an attendee registers
 * through the form, an organizer finds them by name at the door and checks them in, and a
 * check-in volunteer signs in on the same phone, is led to the door, checks someone in and can
 * open nothing else. axe-core finds no serious or critical problem on any page, and none scrolls
 * sideways.
 */

if (browserSkipReason) test(browserSkipReason, { skip: browserSkipReason }, () => {});

describe('registration in a browser at phone width', { skip: browserSkipReason }, () => {
  let app: RunningApp;
  let eventId: number;
  let attendee: { context: BrowserContext; close: () => Promise<void> };
  let organizer: { context: BrowserContext; close: () => Promise<void> };
  let volunteerId: number;

  before(async () => {
    app = await startTestApp({ docs });
    eventId = await eventIdOf(app.db, 'regconf-2027');
    const ada = await createTestUser(app.db, { email: 'ada.lovelace@example.org', displayName: 'Ada Lovelace' });
    const olga = await createTestUser(app.db, {
      email: 'olga@example.org',
      displayName: 'Olga Org',
      grants: [{ scope: 'event', scopeId: eventId, role: 'organizer', trackIds: [] }],
    });
    const grace = await createTestUser(app.db, { email: 'grace.hopper@example.org', displayName: 'Grace Hopper' });
    const graceActor = await actorFor(app.db, await app.db.selectFrom('users').selectAll().where('id', '=', grace.id).executeTakeFirstOrThrow());
    await rsvp(app.db, await registrationContext(app.db, app.hallway.ctx.config, app.hallway.ctx.clock), graceActor, eventId, { attending: true });
    volunteerId = (
      await createTestUser(app.db, {
        email: 'vic@example.org',
        displayName: 'Vic Volunteer',
        grants: [{ scope: 'event', scopeId: eventId, role: 'volunteer', trackIds: [] }],
      })
    ).id;
    attendee = await launchBrowser({ viewport: { width: 390, height: 844 } });
    organizer = await launchBrowser({ viewport: { width: 390, height: 844 } });
    await attendee.context.addCookies([{ name: 'hallway_session', value: ada.sessionCookie, url: app.url, httpOnly: true, sameSite: 'Lax' }]);
    await organizer.context.addCookies([{ name: 'hallway_session', value: olga.sessionCookie, url: app.url, httpOnly: true, sameSite: 'Lax' }]);
  });
  after(async () => {
    await attendee?.close();
    await organizer?.close();
    await app?.close();
  });

  async function check(page: Page, what: string): Promise<void> {
    await assertAxeClean(page, what);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${what} scrolls sideways by ${overflow}px at phone width`);
  }

  test('an attendee registers on the RSVP page and gets a ticket', async () => {
    const page = attendee.context.pages()[0] ?? (await attendee.context.newPage());
    await page.goto(`${app.url}/events/regconf-2027`);
    await page.getByRole('link', { name: 'Register', exact: true }).click();
    await page.waitForURL(/\/events\/regconf-2027\/rsvp$/);
    await check(page, 'the RSVP page');
    await page.getByLabel('Yes, register me').check();
    await page.getByRole('button', { name: 'Send my registration' }).click();
    await page.waitForURL(/\/events\/regconf-2027\/rsvp$/);
    assert.match((await page.locator('#rsvp-status').textContent()) ?? '', /You're going\./);
    await check(page, 'the RSVP page after registering');
    await page.getByRole('link', { name: 'Show my ticket' }).click();
    assert.equal(await page.locator('.ticket-qr svg').count(), 1);
    await check(page, 'the ticket page');
  });

  test('an organizer finds the attendee by name at the door and checks them in', async () => {
    const page = organizer.context.pages()[0] ?? (await organizer.context.newPage());
    await page.goto(`${app.url}/manage/events/${eventId}/checkin`);
    await check(page, 'the check-in page');
    await page.getByLabel('Find by name').fill('lovelace');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: 'Check in Ada Lovelace' }).click();
    assert.match((await page.locator('#checkin-result').textContent()) ?? '', /Checked in: Ada Lovelace/);
    await check(page, 'the check-in page with a result');
    await page.getByLabel('Ticket code').fill('t.1.1.forged.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    await page.getByRole('button', { name: 'Check in ticket' }).click();
    assert.match((await page.locator('#checkin-result').textContent()) ?? '', /Not a valid ticket/);
  });

  test('a check-in volunteer signs in on a phone, is led to the door, checks someone in, and cannot download the attendee list', async () => {
    // The attendee's phone, handed to a volunteer: signed out, then signed in through the form.
    await attendee.context.clearCookies();
    const page = attendee.context.pages()[0] ?? (await attendee.context.newPage());
    await page.goto(`${app.url}/sign-in`);
    const form = page.getByRole('form', { name: 'Sign in with your password' });
    await form.getByLabel('E-mail').fill('vic@example.org');
    await form.getByLabel('Password').fill(TEST_PASSWORD);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/manage$/);
    await check(page, 'the back-office home of a volunteer');
    await page.getByRole('link', { name: 'Check in at TestConf 2027' }).click();
    await page.waitForURL(new RegExp(`/manage/events/${eventId}/checkin$`));
    await check(page, 'the check-in page of a volunteer');
    assert.equal(await page.getByRole('link', { name: 'Registration' }).count(), 0, 'no link to the registration page');
    await page.getByLabel('Find by name').fill('hopper');
    await page.getByRole('button', { name: 'Search' }).click();
    assert.doesNotMatch((await page.content()) ?? '', /grace\.hopper@example\.org/, 'a volunteer sees names, not e-mail addresses');
    await page.getByRole('button', { name: 'Check in Grace Hopper' }).click();
    assert.match((await page.locator('#checkin-result').textContent()) ?? '', /Checked in: Grace Hopper/);
    const row = await app.db
      .selectFrom('rsvps')
      .innerJoin('users', 'users.id', 'rsvps.user_id')
      .select(['rsvps.checked_in_at', 'rsvps.checked_in_by'])
      .where('users.email', '=', 'grace.hopper@example.org')
      .executeTakeFirstOrThrow();
    assert.ok(row.checked_in_at);
    assert.equal(row.checked_in_by, volunteerId);
    for (const path of [`/manage/events/${eventId}/registration/attendees.csv`, `/manage/events/${eventId}/registration`, `/manage/events/${eventId}`]) {
      const res = await page.goto(`${app.url}${path}`);
      assert.equal(res?.status(), 403, path);
    }
  });
});
