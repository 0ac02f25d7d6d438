import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { buildEventDoc } from '../factories/event-doc.js';
import { createTestUser, type TestUser } from '../factories/users.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { browserSkipReason, launchBrowser } from '../support/browser.js';

/**
 * The attendee's pages in Chromium with JavaScript: starring in place, my agenda with an
 * overlap, a note saved as you type, a recap generated, edited and published, and the schedule
 * and a session page opened again offline from the service worker. axe-core finds no serious or
 * critical problem on any of them, and the CSP reports nothing.
 */

if (browserSkipReason) test(browserSkipReason, { skip: browserSkipReason }, () => {});

const EV = '/events/testconf-2027';

describe('attendee pages in a browser', { skip: browserSkipReason }, () => {
  let app: RunningApp;
  let ann: TestUser;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    const doc = buildEventDoc();
    doc.sessions = [
      ...(doc.sessions ?? []),
      { code: 'clash', kind: 'talk', title: 'Clashing Talk', room: 'Side Room', start: '2027-04-15T09:30', durationMinutes: 30, speakers: ['linus'] },
    ];
    app = await startTestApp({ docs: [doc] });
    ann = await createTestUser(app.db, { email: 'ann@example.org', displayName: 'Ann Attendee' });
    browser = await launchBrowser();
    await browser.context.addCookies([{ name: 'hallway_session', value: ann.sessionCookie, url: app.url }]);
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('console', (m) => {
      if (m.type() === 'error' && !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(m.text())) problems.push(m.text());
    });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  async function axe(): Promise<void> {
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(
      bad.map(
        (v) =>
          `${v.id}: ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(', ')}`,
      ),
      [],
      `${page.url()} has serious or critical accessibility violations`,
    );
  }

  test('a star toggles in place on the cached session page, with the CSRF token from starred.json', async () => {
    await page.goto(`${app.url}${EV}/sessions/keynote`);
    const button = page.locator('button[form="star-form"]');
    await button.and(page.locator('[aria-pressed="false"]')).waitFor();
    await button.click();
    await page.locator('button[form="star-form"][aria-pressed="true"]').waitFor();
    assert.equal((await button.textContent())?.trim(), '★ Starred');
    assert.equal(page.url(), `${app.url}${EV}/sessions/keynote`, 'no navigation');
    const stars = await app.db.selectFrom('agenda_stars').select('session_id').where('user_id', '=', ann.id).execute();
    assert.equal(stars.length, 1);
    await axe();
    // The schedule's compact buttons show the same state.
    await page.goto(`${app.url}${EV}/schedule?day=2027-04-15&view=list`);
    await page.locator('button[value="keynote"][aria-pressed="true"]').waitFor();
    await page.locator('button[value="clash"]').click();
    await page.locator('button[value="clash"][aria-pressed="true"]').waitFor();
  });

  test('without JavaScript, a schedule star button goes through the confirm page and back to the same day', async () => {
    const noJs = await launchBrowser({ javaScriptEnabled: false });
    try {
      await noJs.context.addCookies([{ name: 'hallway_session', value: ann.sessionCookie, url: app.url }]);
      const p = noJs.context.pages()[0] ?? (await noJs.context.newPage());
      await p.goto(`${app.url}${EV}/schedule?day=2027-04-16&view=list`);
      await p.getByRole('button', { name: 'Star Day Two Opener' }).click();
      await p.waitForURL(/\/sessions\/day2\/star\?next=/);
      await p.getByRole('button', { name: '★ Star this session' }).click();
      await p.waitForURL(`${app.url}${EV}/schedule?day=2027-04-16&view=list`);
      const stars = await app.db
        .selectFrom('agenda_stars')
        .innerJoin('sessions', 'sessions.id', 'agenda_stars.session_id')
        .select('sessions.code')
        .where('agenda_stars.user_id', '=', ann.id)
        .execute();
      assert.ok(
        stars.some((s) => s.code === 'day2'),
        'the star was saved',
      );
      await p.goto(`${app.url}${EV}/sessions/day2/star`);
      await p.getByRole('button', { name: 'Remove the star' }).click();
    } finally {
      await noJs.close();
    }
  });

  test('my agenda shows both starred sessions with the overlap flagged', async () => {
    await page.goto(`${app.url}${EV}/my-agenda`);
    const overlaps = page.locator('.my-agenda-item.has-overlap');
    assert.equal(await overlaps.count(), 2);
    assert.match((await overlaps.first().textContent())!.replace(/\s+/g, ' '), /The Keynote.*Overlaps with Clashing Talk/);
    await axe();
  });

  test('a note saves as you type and is there after a reload', async () => {
    await page.goto(`${app.url}${EV}/my-agenda`);
    await page.getByRole('link', { name: 'Take notes on The Keynote' }).click();
    await page.getByLabel('Notes (Markdown)').pressSequentially('Keynote: *fast* feedback loops.', { delay: 5 });
    await page.locator('.save-status[data-state="saved"]').waitFor();
    assert.equal(await page.locator('.save-status').textContent(), 'Saved');
    await page.getByLabel('Q&A').pressSequentially('Q: Slides? A: Later.', { delay: 5 });
    await page.locator('.save-status[data-state="saved"]').waitFor();
    await axe();
    await page.reload();
    assert.equal(await page.getByLabel('Notes (Markdown)').inputValue(), 'Keynote: *fast* feedback loops.');
    assert.equal(await page.getByLabel('Q&A').inputValue(), 'Q: Slides? A: Later.');
  });

  test('a recap is generated, edited, reordered and published; its table of contents jumps', async () => {
    await page.goto(`${app.url}${EV}/recaps/new`);
    await axe();
    await page.getByRole('button', { name: 'Write a draft from my notes' }).click();
    await page.waitForURL(/\/recaps\/\d+\/edit$/);
    await page.getByLabel('Title', { exact: true }).fill('Ann at TestConf');
    await page.getByRole('button', { name: 'Move down The Keynote' }).click();
    await page.waitForURL(/\/recaps\/\d+\/edit$/);
    assert.match((await page.locator('.notice').textContent()) ?? '', /Section moved and recap saved\./);
    const legends = await page.locator('fieldset.recap-section legend').allTextContents();
    assert.deepEqual(legends, ['1. Clashing Talk', '2. The Keynote']);
    await axe();
    await page.getByRole('button', { name: 'Publish on the event' }).click();
    await page.getByRole('link', { name: /\/recaps\/ann-at-testconf$/ }).click();
    await page.waitForURL(`${app.url}${EV}/recaps/ann-at-testconf`);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Ann at TestConf');
    await page.locator('.recap-body ol a', { hasText: 'The Keynote' }).click();
    await page.waitForURL(/#the-keynote$/);
    assert.equal(await page.locator('#the-keynote').textContent(), 'The Keynote');
    assert.match((await page.locator('#the-keynote + ul').textContent()) ?? '', /Grace Sample/);
    await axe();
  });

  test('the schedule and a session page open offline from the service worker, marked as such', async () => {
    await page.goto(`${app.url}${EV}/schedule`);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await page.goto(`${app.url}${EV}/schedule`);
    await page.goto(`${app.url}${EV}/sessions/ebpf`);
    await page.waitForFunction(async () => (await (await caches.open('hallway-pages-v1')).keys()).length >= 3);
    await browser.context.setOffline(true);
    try {
      await page.goto(`${app.url}${EV}/schedule`);
      await page.locator('.offline-notice').waitFor();
      // The day written as the pages write it, never a US "4/15/2027, 10:32:07 AM".
      assert.match((await page.locator('.offline-notice').textContent())!, /^Offline — last updated [A-Z][a-z]{2},? \d{1,2} [A-Z][a-z]+,? (at )?\d\d:\d\d\. /);
      assert.match((await page.getByRole('heading', { level: 1 }).textContent())!, /Schedule/);
      await page.getByRole('link', { name: 'eBPF for Humans' }).first().click();
      await page.waitForURL(`${app.url}${EV}/sessions/ebpf`);
      await page.locator('.offline-notice').waitFor();
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'eBPF for Humans');
      await axe();
    } finally {
      await browser.context.setOffline(false);
    }
    assert.deepEqual(problems, []);
  });
});
