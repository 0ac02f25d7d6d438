import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { fixedClock } from '../../src/lib/clock.js';
import { starSession } from '../../src/modules/agenda/star.actions.js';
import { operator } from '../../src/modules/events/event-write.js';
import { saveInterestPoll } from '../../src/modules/interest/interest.actions.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { createTestUser } from '../factories/users.js';
import { actorOf } from '../program/support.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { assertAxeClean, browserSkipReason, launchBrowser } from '../support/browser.js';
import { moduleContext } from '../support/module-context.js';

/**
 * The interest poll in a real Chromium: each visitor gets the talks in an order of their own
 * (the same on every visit), an anonymous visitor without JavaScript ticks talks and saves, the
 * private link brings the picks back in another browser, a star counts too, and the organizer's
 * Interest tab shows counts and pairs without a name. axe-core checks each page.
 */

if (browserSkipReason) test(browserSkipReason, { skip: browserSkipReason }, () => {});

const SLUG = 'pollconf-2027';
const TITLES = [
  'Rust in production',
  'Fast HTML',
  'Accessible forms',
  'CSS layers',
  'Postgres tuning',
  'Observability 101',
  'Supply chain security',
  'Kubernetes operators',
  'Type-safe SQL',
  'Edge caching',
  'Design tokens',
  'Incident reviews',
];

describe('interest poll in a browser', { skip: browserSkipReason }, () => {
  const clock = fixedClock('2027-03-01T09:00:00Z');
  let app: RunningApp;
  let eventId: number;
  const browsers: { context: BrowserContext; close: () => Promise<void> }[] = [];

  /** A browser of its own; `noScripts`: none of the site's scripts load (axe still runs in the page). */
  async function visitor(options: { noScripts?: boolean; cookie?: string } = {}): Promise<Page> {
    const b = await launchBrowser();
    browsers.push(b);
    if (options.noScripts) await b.context.route('**/assets/*.js', (route) => route.abort());
    if (options.cookie) await b.context.addCookies([{ name: 'hallway_session', value: options.cookie, url: app.url, httpOnly: true, sameSite: 'Lax' }]);
    b.context.setDefaultTimeout(10_000);
    return b.context.pages()[0] ?? (await b.context.newPage());
  }

  /** The talk titles in the order the page lists them. */
  const order = (page: Page) => page.locator('.interest-talk label').allInnerTexts();

  before(async () => {
    const sessions = TITLES.map((title, i) => ({
      code: `t${i}`,
      kind: 'talk' as const,
      title,
      // One abstract with a long unbroken URL, as real ones have: the page must still fit a phone.
      abstract: i === 0 ? `Slides: https://slides.example.org/${'averylongpathsegment'.repeat(8)}` : `What ${title} is about.`,
      room: i % 2 ? 'Main Hall' : 'Side Room',
      track: i % 2 ? 'Platform' : 'Security',
      start: `2027-04-15T${String(9 + Math.floor(i / 2)).padStart(2, '0')}:00`,
      durationMinutes: 45,
      speakers: [['ada', 'grace', 'linus'][i % 3]!],
    }));
    app = await startTestApp({ clock, docs: [buildEventDoc({ slug: SLUG, sessions })], webhookDispatcher: false });
    eventId = (await app.db.selectFrom('events').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()).id;
    await saveInterestPoll(moduleContext(app.db, clock), operator('test'), eventId, { status: 'open', intro: 'Tick what you want to see.' });
  });
  after(async () => {
    for (const b of browsers) await b.close();
    await app?.close();
  });

  test('a random order per visitor, stable for each; picks saved without JavaScript; the private link brings them back; counts without names', async () => {
    const a = await visitor({ noScripts: true });
    await a.goto(`${app.url}/events/${SLUG}`);
    await a.getByRole('link', { name: 'What do you want to see?' }).click();
    await a.getByRole('heading', { name: 'What do you want to see?' }).waitFor();
    await assertAxeClean(a, 'the poll page');
    await a.setViewportSize({ width: 390, height: 800 });
    const sideways = await a.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(sideways <= 0, `the poll scrolls sideways by ${sideways}px at 390 px`);
    await a.setViewportSize({ width: 1366, height: 800 });
    const orderA = await order(a);
    assert.deepEqual([...orderA].sort(), [...TITLES].sort(), 'every talk once');
    await a.reload();
    assert.deepEqual(await order(a), orderA, 'the same order for the same visitor');

    const b = await visitor();
    await b.goto(`${app.url}/events/${SLUG}/interest`);
    const orderB = await order(b);
    assert.notDeepEqual(orderB, orderA, 'another visitor gets another order');

    // Visitor A ticks two talks and saves: a plain form post (none of the site's scripts loaded).
    await a.getByLabel('Rust in production').check();
    await a.getByLabel('Fast HTML').check();
    await a.getByRole('button', { name: 'Save my picks' }).click();
    await a.waitForURL(new RegExp(`/events/${SLUG}/interest/[A-Za-z0-9_-]{43}$`));
    await a.getByText('Saved: 2 talks picked.').waitFor();
    await assertAxeClean(a, 'the poll page with its private link');
    assert.deepEqual(await order(a), orderA, 'the order stays put after saving');
    assert.equal(await a.getByLabel('Rust in production').isChecked(), true);
    assert.equal(await a.getByLabel('CSS layers').isChecked(), false);
    const link = a.url();

    // The link in another browser brings the picks back; a change there is what A sees next.
    await b.goto(link);
    assert.equal(await b.getByLabel('Rust in production').isChecked(), true);
    assert.equal(await b.getByLabel('Fast HTML').isChecked(), true);
    await b.getByLabel('Fast HTML').uncheck();
    await b.getByLabel('CSS layers').check();
    await b.getByRole('button', { name: 'Save my picks' }).click();
    await b.getByText('Saved: 2 talks picked.').waitFor();
    await a.reload();
    assert.equal(await a.getByLabel('Fast HTML').isChecked(), false);
    assert.equal(await a.getByLabel('CSS layers').isChecked(), true);

    // A signed-in attendee picks Rust and stars CSS layers on the programme: both count.
    const grace = await createTestUser(app.db, { email: 'grace@example.org', displayName: 'Grace Voter' });
    const g = await visitor({ cookie: grace.sessionCookie });
    await g.goto(`${app.url}/events/${SLUG}/interest`);
    assert.notDeepEqual(await order(g), orderA);
    await g.getByLabel('Rust in production').check();
    await g.getByRole('button', { name: 'Save my picks' }).click();
    await g.getByText('Saved: 1 talk picked.').waitFor();
    const css = await app.db.selectFrom('sessions').select('id').where('event_id', '=', eventId).where('code', '=', 't3').executeTakeFirstOrThrow();
    await starSession(app.db, await actorOf(app.db, grace.id), eventId, css.id);

    // The organizer sees counts and the pair, never who.
    const olga = await createTestUser(app.db, {
      email: 'olga@example.org',
      displayName: 'Olga Organizer',
      grants: [{ scope: 'event', scopeId: eventId, role: 'organizer', trackIds: [] }],
    });
    const o = await visitor({ cookie: olga.sessionCookie });
    await o.goto(`${app.url}/manage/events/${eventId}`);
    await o.getByRole('navigation', { name: 'Event back office' }).getByRole('link', { name: 'Interest' }).click();
    await o.getByRole('heading', { name: 'Most wanted talks' }).waitFor();
    await assertAxeClean(o, "the organizer's Interest tab");
    const counts = await o.locator('table').first().locator('tbody tr').allInnerTexts();
    assert.deepEqual(
      counts.map((r) => r.replace(/\s+/g, ' ').trim()),
      ['Rust in production Security 2', 'CSS layers Platform 2'],
      'A and the link: Rust and CSS; Grace: Rust picked, CSS starred',
    );
    const pairs = (await o.locator('table').nth(1).locator('tbody tr').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
    assert.equal(pairs.length, 1);
    assert.match(pairs[0]!, /^(Rust in production CSS layers|CSS layers Rust in production) 2 1\.00 \d$/);
    const text = await o.locator('main').innerText();
    assert.ok(!text.includes('Grace') && !text.includes('grace@'), 'no names');
  });
});
