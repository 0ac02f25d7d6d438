import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestApp, type RunningApp } from '../support/app.js';
import { browserSkipReason, launchBrowser } from '../support/browser.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { demoConference } from '../../src/modules/demo/demo-conference.js';
import { buildEdgeDoc, buildMeetupDoc, buildRunningDoc } from './support.js';

/**
 * The public pages in a real Chromium (Debian's, never a downloaded one): navigation by links
 * with our script blocked (the site must work without JavaScript), axe-core accessibility checks,
 * CSP compliance (no violation reported), phone-width layout and screenshots to look at.
 */

const SCREENSHOT = '/tmp/hallway-schedule.png';
const SCREENSHOT_PHONE = '/tmp/hallway-schedule-phone.png';

if (browserSkipReason) test(browserSkipReason, { skip: browserSkipReason }, () => {});

describe('public pages in a browser', { skip: browserSkipReason }, () => {
  let app: RunningApp;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;
  const consoleErrors: string[] = [];

  before(async () => {
    app = await startTestApp({ docs: [buildEventDoc(), buildMeetupDoc(), buildEdgeDoc(), buildRunningDoc(), demoConference()] });
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  async function axe(path: string): Promise<void> {
    await page.goto(app.url + path);
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    if (bad.length > 0) {
      console.log(`axe violations on ${path}:`);
      for (const v of bad)
        console.log(
          `  ${v.impact} ${v.id}: ${v.help}\n    ${v.nodes
            .slice(0, 5)
            .map((n) => n.target.join(' '))
            .join('\n    ')}`,
        );
    }
    assert.deepEqual(
      bad.map((v) => `${v.id} (${v.nodes.length})`),
      [],
      `${path} has serious or critical accessibility violations`,
    );
    assert.ok(result.passes.length > 0, `axe ran its checks on ${path}`);
  }

  test('a visitor gets from the home page to a speaker by following links, without JavaScript', async () => {
    await browser.context.route('**/assets/app.js', (route) => route.abort());
    try {
      await page.goto(`${app.url}/`);
      await page.getByRole('link', { name: 'TestConf 2027' }).click();
      await page.waitForURL(`${app.url}/events/testconf-2027`);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'TestConf 2027');

      await page.getByRole('link', { name: 'See the schedule' }).click();
      await page.waitForURL(`${app.url}/events/testconf-2027/schedule`);
      assert.ok(await page.getByRole('link', { name: 'The Keynote' }).isVisible(), 'day 1 is shown first');

      await page.getByRole('navigation', { name: 'Days' }).getByRole('link', { name: 'Fri 16 Apr' }).click();
      await page.waitForURL(`${app.url}/events/testconf-2027/schedule?day=2027-04-16`);
      assert.equal(await page.getByRole('navigation', { name: 'Days' }).locator('[aria-current="page"]').textContent(), 'Fri 16 Apr');
      assert.equal(await page.getByRole('link', { name: 'The Keynote' }).count(), 0, 'day 1 is gone');

      await page.getByRole('link', { name: 'Day Two Opener' }).click();
      await page.waitForURL(`${app.url}/events/testconf-2027/sessions/day2`);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Day Two Opener');
      assert.match((await page.locator('main').textContent()) ?? '', /Fri 16 April 2027, 09:00–09:30 CEST \(Europe\/Amsterdam\)/);

      await page.getByRole('link', { name: 'Ada Example' }).click();
      await page.waitForURL(`${app.url}/events/testconf-2027/speakers/ada`);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Ada Example');
      assert.ok(await page.getByRole('link', { name: /GitHub @ada-example/ }).isVisible());
    } finally {
      await browser.context.unroute('**/assets/app.js');
    }
  });

  test('the grid draws sessions in their room columns, a break across the free rooms, and track colours from theme.css', async () => {
    await page.goto(`${app.url}/events/edgeconf-2027/schedule`);
    const box = async (selector: string) => (await page.locator(selector).first().boundingBox())!;
    const main = await box('.g-room >> nth=0');
    const side = await box('.g-room >> nth=1');
    const lab = await box('.g-room >> nth=2');
    const coffee = await box('.slot:has-text("Coffee break")');
    const workshop = await box('.slot:has-text("Long Workshop")');
    const opening = await box('.slot:has-text("Opening Talk")');
    assert.ok(coffee.x < main.x + 8 && coffee.x + coffee.width > side.x + side.width - 8, 'the break covers Main Hall and Side Room');
    assert.ok(coffee.x + coffee.width <= lab.x + 1, 'the break stops before the Lab');
    assert.ok(
      workshop.x >= lab.x - 1 && workshop.y < coffee.y && workshop.y + workshop.height > coffee.y + coffee.height,
      'the workshop runs alongside the break',
    );
    assert.ok(opening.x >= main.x - 1 && opening.x + opening.width <= main.x + main.width + 1, 'a talk stays in its column');
    assert.ok(opening.y + opening.height <= coffee.y + 1, 'the 09:00 talk ends above the 10:00 break');
    // buildEventDoc's Platform track is #1f77b4 and Security is #d62728.
    await page.goto(`${app.url}/events/testconf-2027/schedule`);
    const colour = await page.locator('.slot:has-text("The Keynote")').evaluate((el) => getComputedStyle(el).borderLeftColor);
    assert.equal(colour, 'rgb(31, 119, 180)');
    const security = await page.locator('.slot:has-text("eBPF for Humans")').evaluate((el) => getComputedStyle(el).borderLeftColor);
    assert.equal(security, 'rgb(214, 39, 40)');
  });

  test('choosing a track in the filter shows only its sessions, and the day switcher keeps it', async () => {
    await page.goto(`${app.url}/events/testconf-2027/schedule?day=2027-04-16`);
    await page.getByLabel('Track').selectOption({ label: 'Security' });
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(`${app.url}/events/testconf-2027/schedule?day=2027-04-16&track=security`);
    assert.ok(await page.getByText('Nothing in this track on this day.').isVisible());
    await page.getByRole('navigation', { name: 'Days' }).getByRole('link', { name: 'Thu 15 Apr' }).click();
    await page.waitForURL(`${app.url}/events/testconf-2027/schedule?day=2027-04-15&track=security`);
    assert.ok(await page.getByRole('link', { name: 'eBPF for Humans' }).isVisible());
    assert.equal(await page.getByRole('link', { name: 'The Keynote' }).count(), 0, 'another track is filtered out');
    await page.locator('.track-filter').getByRole('link', { name: 'All tracks' }).click();
    await page.waitForURL(`${app.url}/events/testconf-2027/schedule?day=2027-04-15`);
    assert.ok(await page.getByRole('link', { name: 'The Keynote' }).isVisible());
  });

  test('with JavaScript, what is running now is marked "Now"', async () => {
    await page.goto(`${app.url}/events/nowconf/schedule`);
    const now = page.locator('.slot.is-now');
    assert.equal(await now.count(), 1);
    assert.match((await now.textContent()) ?? '', /All-day Hackathon[\s\S]*Now/);
    await page.goto(`${app.url}/events/testconf-2027/schedule`);
    assert.equal(await page.locator('.is-now').count(), 0, 'nothing in 2027 is running now');
  });

  test('every public page passes axe (no serious or critical violations)', async () => {
    for (const path of [
      '/',
      '/events/testconf-2027',
      '/events/testconf-2027/schedule',
      '/events/testconf-2027/schedule?view=list',
      '/events/testconf-2027/schedule?track=security',
      '/events/riverconf-2027/schedule',
      '/events/riverconf-2027/schedule?day=2027-04-16&view=list',
      '/events/testmeetup-7/schedule',
      '/events/testconf-2027/sessions/day2',
      '/events/edgeconf-2027/sessions/dropped',
      '/events/testconf-2027/speakers',
      '/events/testconf-2027/speakers/grace',
      '/events/no-such-event',
    ]) {
      await axe(path);
    }
  });

  test('no page breaks the Content Security Policy', async () => {
    consoleErrors.length = 0;
    for (const path of [
      '/',
      '/events/riverconf-2027',
      '/events/riverconf-2027/schedule',
      '/events/testmeetup-7/schedule',
      '/events/testconf-2027/sessions/keynote',
    ]) {
      await page.goto(app.url + path);
    }
    assert.deepEqual(
      consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e)),
      [],
    );
  });

  test('the schedule grid screenshot (look at it)', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${app.url}/events/riverconf-2027/schedule`);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    assert.ok((await page.locator('.slot').count()) > 20);
  });

  describe('at phone width (375×800)', () => {
    before(async () => {
      await page.setViewportSize({ width: 375, height: 800 });
    });

    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth);

    test('the session page and the schedule list do not scroll sideways', async () => {
      for (const path of [
        '/events/riverconf-2027/sessions/workshop-first-operator',
        '/events/testconf-2027/sessions/day2',
        '/events/riverconf-2027/schedule?view=list',
        '/events/testmeetup-7/schedule',
        '/',
        '/events/riverconf-2027',
        '/events/riverconf-2027/speakers',
      ]) {
        await page.goto(app.url + path);
        assert.ok((await overflow()) <= 376, `${path} is ${await overflow()}px wide`);
      }
    });

    test('the grid scrolls inside its own box with the time column kept in view', async () => {
      await page.goto(`${app.url}/events/riverconf-2027/schedule`);
      assert.ok((await overflow()) <= 376, `the page itself is ${await overflow()}px wide`);
      const region = page.getByRole('region', { name: 'Thursday 15 April 2027' });
      const { scrollWidth, clientWidth } = await region.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
      assert.ok(scrollWidth > clientWidth, 'the grid scrolls horizontally');
      assert.ok(await page.getByRole('link', { name: 'list view' }).isVisible(), 'phones are offered the list view');
      const keynote = page.getByRole('link', { name: /The Platform Is a Product/ });
      assert.ok(await keynote.isVisible(), 'the first column of sessions is readable');
      const labelBefore = (await page.locator('.g-time').first().boundingBox())!;
      await region.evaluate((el) => el.scrollBy(400, 0));
      const labelAfter = (await page.locator('.g-time').first().boundingBox())!;
      assert.ok(Math.abs(labelAfter.x - labelBefore.x) < 1, 'time labels stay put while rooms scroll');
      await region.evaluate((el) => el.scrollTo(0, 0));
      await page.screenshot({ path: SCREENSHOT_PHONE });
    });
  });
});
