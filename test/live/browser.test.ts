import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { fixedClock } from '../../src/lib/clock.js';
import { updateSession } from '../../src/modules/program/session.actions.js';
import { organizerOf } from '../webhooks/support.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { browserSkipReason, launchBrowser } from '../support/browser.js';
import { moduleContext } from '../support/module-context.js';
import { releaseProgramme } from '../support/releases.js';

/*
 * Live public pages in Chromium: a visitor has the schedule (or a session) open when a new version
 * of the programme is released; the page announces it in its status line and shows the new
 * programme without reloading (same document, same scroll position), and stays accessible.
 */

if (browserSkipReason) test(browserSkipReason, { skip: browserSkipReason }, () => {});

const SLUG = 'testconf-2027';
/** The schedule with the "Programme updated" line, to look at. */
const SCREENSHOT = '/tmp/hallway-live-update.png';
const clock = fixedClock('2027-03-01T10:00:00Z');

describe('live public pages in a browser', { skip: browserSkipReason }, () => {
  let app: RunningApp;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  let eventId = 0;
  const doc = buildEventDoc({ slug: SLUG });
  const errors: string[] = [];

  before(async () => {
    app = await startTestApp({ docs: [doc], clock, webhookDispatcher: false });
    eventId = (await app.db.selectFrom('events').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()).id;
    browser = await launchBrowser({ viewport: { width: 1280, height: 420 } });
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('pageerror', (e) => errors.push(e.message));
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  /** Renames a session (titles are live: the public sees it once its page is fetched again). */
  async function rename(code: string, title: string): Promise<void> {
    const session = await app.db.selectFrom('sessions').select('id').where('event_id', '=', eventId).where('code', '=', code).executeTakeFirstOrThrow();
    await updateSession(moduleContext(app.db, clock), await organizerOf(app.db, eventId), eventId, session.id, { title });
  }

  test('the schedule shows "Programme updated" and the new programme without a reload, where the reader was', async () => {
    await page.goto(`${app.url}/events/${SLUG}/schedule?day=2027-04-15`);
    const status = page.locator('#live-status');
    await page.locator('#live-status[data-live-state="open"]').waitFor({ state: 'attached' });
    assert.equal(await status.textContent(), '', 'nothing to say yet');
    await page.evaluate(() => {
      (window as unknown as { sameDocument: boolean }).sameDocument = true;
      window.scrollTo({ top: 120, behavior: 'instant' });
    });
    await page.waitForFunction(() => window.scrollY > 0);
    const scrolled = await page.evaluate(() => window.scrollY);
    const where = () => page.getByRole('link', { name: 'eBPF for Humans' }).evaluate((a) => Math.round(a.getBoundingClientRect().top));
    const before = await where();

    await rename('keynote', 'The Keynote, Revised');
    // The change is on the other day: the day shown keeps its layout.
    await releaseProgramme(app.db, eventId, { name: 'Fix', move: ['day2'] });

    await page.locator('#live-status[data-live-state="updated"]').waitFor();
    assert.equal(await page.getByRole('status').getByTestId('live-status-text').textContent(), 'Programme updated: 1 change.');
    assert.equal(await page.getByRole('link', { name: 'The Keynote, Revised' }).count(), 1, 'the new programme is shown');
    assert.equal(await page.getByRole('link', { name: 'The Keynote', exact: true }).count(), 0, 'the old title is gone');
    assert.equal(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument), true, 'the page was not reloaded');
    assert.equal(await page.evaluate(() => window.scrollY), scrolled, 'the reader stays where they were');
    assert.equal(await where(), before, 'and the programme does not move under their eyes');
    assert.equal(await status.getAttribute('data-live-release'), '2', 'the imported programme was release 1');
    await page.screenshot({ path: SCREENSHOT });

    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(
      bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      [],
    );
    await page.getByRole('button', { name: 'Dismiss' }).click();
    assert.equal(await status.textContent(), '', 'dismissed');
    assert.deepEqual(errors, []);
  });

  test('a session page opened before a release learns of it too, even if the release came before it connected', async () => {
    // The page is rendered, then the release happens before the page's script connects: the page
    // names the release it shows, so the stream tells it at once. (A fresh browser: once the
    // offline service worker controls the pages, it fetches their scripts, out of page.route's reach.)
    const fresh = await launchBrowser();
    try {
      const p = fresh.context.pages()[0] ?? (await fresh.context.newPage());
      p.on('pageerror', (e) => errors.push(e.message));
      await p.route('**/assets/live.js', async (route) => {
        await rename('ebpf', 'eBPF for Everyone');
        await releaseProgramme(app.db, eventId, { changes: 2 });
        await route.continue();
      });
      await p.goto(`${app.url}/events/${SLUG}/sessions/ebpf`);
      await p.locator('#live-status[data-live-state="updated"]').waitFor();
      assert.equal(await p.getByTestId('live-status-text').textContent(), 'Programme updated: 2 changes.');
      assert.equal(await p.getByRole('heading', { level: 1 }).textContent(), 'eBPF for Everyone');
    } finally {
      await fresh.close();
    }
    assert.deepEqual(errors, []);
  });
});
