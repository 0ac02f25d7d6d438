import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestApp, type RunningApp } from '../support/app.js';
import { browserSkipReason, launchBrowser } from '../support/browser.js';
import { createTestUser } from '../factories/users.js';
import { docs, eventIdOf } from './support.js';

/**
 * The RSVP page and the check-in page in a real Chromium at phone width: an attendee registers
 * through the form, an organizer finds them by name at the door and checks them in. axe-core
 * finds no serious or critical problem on either page, and neither scrolls sideways.
 */

if (browserSkipReason) test(browserSkipReason, { skip: browserSkipReason }, () => {});

describe('registration in a browser at phone width', { skip: browserSkipReason }, () => {
  let app: RunningApp;
  let eventId: number;
  let attendee: { context: BrowserContext; close: () => Promise<void> };
  let organizer: { context: BrowserContext; close: () => Promise<void> };

  before(async () => {
    app = await startTestApp({ docs });
    eventId = await eventIdOf(app.db, 'regconf-2027');
    const ada = await createTestUser(app.db, { email: 'ada.lovelace@example.org', displayName: 'Ada Lovelace' });
    const olga = await createTestUser(app.db, { email: 'olga@example.org', displayName: 'Olga Org', grants: [{ scope: 'event', scopeId: eventId, role: 'organizer', trackIds: [] }] });
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
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    for (const v of bad) console.log(`  ${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('\n    ')}`);
    assert.deepEqual(bad.map((v) => `${v.id} (${v.nodes.length})`), [], `${what} has serious or critical accessibility violations`);
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
});
