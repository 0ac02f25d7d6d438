import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { DateTime } from 'luxon';
import { createRoom } from '../../src/modules/program/room.actions.js';
import { createTrack } from '../../src/modules/program/track.actions.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { assertAxeClean, browserSkipReason, launchBrowser } from '../support/browser.js';
import { createTestUser } from '../factories/users.js';
import { actorOf, organizerWithEvent } from '../program/support.js';
import { createAuthSession } from '../../src/modules/accounts/auth-session.queries.js';
import { moduleContext } from '../support/module-context.js';

/**
 * The call for proposals in a real Chromium with our script blocked (every CFP page works
 * without JavaScript): the organizer sets up the call, a speaker proposes a session through the
 * public page, the organizer accepts it and puts it on the programme. axe-core checks each form
 * (also with errors showing), and the pages must not scroll sideways at phone width.
 */

if (browserSkipReason) test(browserSkipReason, { skip: browserSkipReason }, () => {});

describe('call for proposals in a browser', { skip: browserSkipReason }, () => {
  let app: RunningApp;
  let organizer: { context: BrowserContext; close: () => Promise<void> };
  let speaker: { context: BrowserContext; close: () => Promise<void> };
  let org: Page;
  let ada: Page;
  let eventId: number;

  async function open(cookie: string) {
    const b = await launchBrowser();
    await b.context.addCookies([{ name: 'hallway_session', value: cookie, url: app.url, httpOnly: true, sameSite: 'Lax' }]);
    await b.context.route('**/assets/app.js', (route) => route.abort());
    return b;
  }

  before(async () => {
    app = await startTestApp();
    const made = await organizerWithEvent(app.db, 'cfpbrowser');
    eventId = made.event.id;
    const actor = await actorOf(app.db, made.actor.userId);
    await createRoom(moduleContext(app.db), actor, eventId, { name: 'Main Hall' });
    await createTrack(moduleContext(app.db), actor, eventId, { name: 'Web' });
    organizer = await open(await createAuthSession(app.db, made.actor.userId, 'test'));
    const ada_ = await createTestUser(app.db, { email: 'ada@example.org', displayName: 'Ada Lovelace' });
    speaker = await open(ada_.sessionCookie);
    org = organizer.context.pages()[0] ?? (await organizer.context.newPage());
    ada = speaker.context.pages()[0] ?? (await speaker.context.newPage());
  });
  after(async () => {
    await organizer?.close();
    await speaker?.close();
    await app?.close();
  });

  test('set up the call, propose, review, accept and schedule, all through the forms', async () => {
    const local = (d: DateTime) => d.setZone('Europe/Amsterdam').toFormat("yyyy-MM-dd'T'HH:mm");
    await org.goto(`${app.url}/manage/events/${eventId}`);
    await org.getByRole('navigation', { name: 'Event back office' }).getByRole('link', { name: 'Call for proposals' }).click();
    await assertAxeClean(org, 'the call settings form');
    await org.getByLabel('Opens').fill(local(DateTime.now().minus({ days: 1 })));
    await org.getByLabel('Closes').fill(local(DateTime.now().minus({ days: 2 })));
    await org.getByLabel('The call', { exact: true }).fill('Tell us what you learned.\n\nAll levels welcome.');
    await org.getByLabel('Workshop', { exact: true }).check();
    await org.getByRole('button', { name: 'Save the call' }).click();
    assert.match((await org.locator('#f-closesAt-error').textContent()) ?? '', /after the opening/);
    await assertAxeClean(org, 'the call settings form with errors');
    await org.getByLabel('Closes').fill(local(DateTime.now().plus({ days: 20 })));
    await org.getByRole('button', { name: 'Save the call' }).click();
    assert.match((await org.locator('.notice').textContent()) ?? '', /call for proposals is saved/);

    await ada.goto(`${app.url}/events/cfpbrowser/cfp`);
    await assertAxeClean(ada, 'the public call');
    assert.match((await ada.locator('main').textContent()) ?? '', /Workshop: 90 minutes/);
    await ada.getByRole('link', { name: 'Submit a proposal' }).click();
    await ada.getByLabel('Title').fill('Forms that always work');
    await ada.getByLabel('Format').selectOption('workshop');
    await ada.getByLabel('Abstract').fill('Hands-on forms without JavaScript.');
    await ada.getByLabel('Co-speakers').fill('grace at example dot org');
    await ada.getByRole('button', { name: 'Submit the proposal' }).click();
    assert.match((await ada.locator('#f-coSpeakers-error').textContent()) ?? '', /is not an e-mail address/);
    assert.equal(await ada.getByLabel('Abstract').inputValue(), 'Hands-on forms without JavaScript.', 'typed values are kept');
    await assertAxeClean(ada, 'the proposal form with errors');
    await ada.getByLabel('Co-speakers').fill('grace@example.org');
    await ada.getByRole('button', { name: 'Submit the proposal' }).click();
    await ada.waitForURL(/\/account\/proposals\/\d+$/);
    assert.match((await ada.locator('.notice').textContent()) ?? '', /is submitted/);
    await assertAxeClean(ada, "the speaker's proposal page");

    await org.goto(`${app.url}/manage/events/${eventId}/proposals`);
    await assertAxeClean(org, 'the proposals list');
    await org.getByRole('link', { name: 'Forms that always work' }).click();
    await org.getByLabel('Score').selectOption('4');
    await org.getByLabel('Comment').fill('Practical.');
    await org.getByRole('button', { name: 'Save my review' }).click();
    assert.match((await org.locator('.notice').textContent()) ?? '', /Your review \(4\) is saved/);
    await org.getByRole('button', { name: 'Accept' }).click();
    assert.match((await org.locator('.notice').textContent()) ?? '', /accepted/);
    await assertAxeClean(org, 'an accepted proposal with the programme form');
    await org.getByLabel('Room').selectOption({ label: 'Main Hall' });
    await org.getByLabel('Start time').fill('14:00');
    await org.getByRole('button', { name: 'Add to the programme' }).click();
    assert.match((await org.locator('.notice').textContent()) ?? '', /is on the programme/);
    await org.getByRole('link', { name: 'its session' }).click();
    assert.equal(await org.locator('#f-title').inputValue(), 'Forms that always work');
    assert.equal(await org.getByLabel('Duration (minutes)').inputValue(), '90');
  });

  test('at phone width the CFP pages do not scroll sideways', async () => {
    await org.setViewportSize({ width: 375, height: 800 });
    const id = (await app.db.selectFrom('proposals').select('id').executeTakeFirstOrThrow()).id;
    for (const path of [
      `/manage/events/${eventId}/cfp`,
      `/manage/events/${eventId}/proposals`,
      `/manage/events/${eventId}/proposals/${id}`,
      '/events/cfpbrowser/cfp',
      '/events/cfpbrowser/cfp/submit',
      '/account/proposals',
    ]) {
      await org.goto(app.url + path);
      const width = await org.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 376, `${path} is ${width}px wide`);
    }
  });
});
