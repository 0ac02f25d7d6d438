import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { startTestApp, type RunningApp } from '../support/app.js';
import { browserSkipReason, launchBrowser } from '../support/browser.js';
import { createTestUser } from '../factories/users.js';

/**
 * Issue 4's journey in a real Chromium, from nothing: a new person signs up, confirms the address
 * with the link from the mail (no SMTP configured, so it is read from the outbox, as an
 * administrator would), signs in, creates a community, a meetup and a two-day conference with
 * rooms, a speaker and sessions, publishes both, and the public pages and the API show them.
 * Then a reviewer and an attendee are refused the back office of that conference.
 */

if (browserSkipReason) test(browserSkipReason, { skip: browserSkipReason }, () => {});

describe('an organizer runs events from the browser', { skip: browserSkipReason }, () => {
  let app: RunningApp;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;

  before(async () => {
    // An open instance: anyone with a confirmed address may start a community (the default asks
    // the site administrators first; test/accounts/organizers-confirmed.test.ts covers that).
    app = await startTestApp({ env: { COMMUNITY_CREATORS: 'confirmed' } });
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  const backOffice = (name: string) => page.getByRole('navigation', { name: 'Event back office' }).getByRole('link', { name }).click();
  const notice = async () => (await page.locator('.notice').textContent()) ?? '';

  async function createEvent(e: { kind: 'meetup' | 'conference'; title: string; slug: string; first: string; last: string }): Promise<string> {
    await page.goto(`${app.url}/manage/events/new`);
    await page.getByLabel('Kind').selectOption(e.kind);
    await page.getByLabel('Title').fill(e.title);
    await page.getByLabel('Address (slug)').fill(e.slug);
    await page.getByLabel('First day').fill(e.first);
    await page.getByLabel('Last day').fill(e.last);
    await page.getByLabel('Time zone').selectOption('Europe/Lisbon');
    await page.getByLabel('Venue', { exact: true }).fill('Hub Criativo');
    await page.getByRole('button', { name: 'Create event' }).click();
    await page.waitForURL(/\/manage\/events\/\d+$/);
    return page.url();
  }

  async function addRoom(name: string): Promise<void> {
    await backOffice('Rooms');
    await page.getByLabel('Name').fill(name);
    await page.getByRole('button', { name: 'Add room' }).click();
    assert.match(await notice(), new RegExp(`Room "${name}" added`));
  }

  async function addSession(s: { title: string; day?: string; start: string; minutes: string; room: string; speaker?: string }): Promise<void> {
    await backOffice('Sessions');
    await page.getByRole('link', { name: 'Add a session' }).click();
    await page.getByRole('group', { name: 'What' }).getByLabel('Title', { exact: true }).fill(s.title);
    if (s.day) await page.getByLabel('Day', { exact: true }).selectOption(s.day);
    await page.getByLabel('Start time').fill(s.start);
    await page.getByLabel('Duration (minutes)').fill(s.minutes);
    await page.getByLabel('Room').selectOption({ label: s.room });
    if (s.speaker) await page.getByLabel('Speakers', { exact: true }).selectOption({ label: s.speaker });
    await page.getByRole('button', { name: 'Add session' }).click();
    assert.match(await notice(), new RegExp(`Session "${s.title}" added`));
  }

  test('sign up, confirm, build a meetup and a two-day conference, publish, and see them in public', async () => {
    await page.goto(`${app.url}/sign-up`);
    await page.getByLabel('Your name').fill('Olga Organizer');
    await page.getByLabel('E-mail address').fill('olga@example.org');
    await page.getByLabel('Password').fill('a long enough passphrase');
    await page.getByRole('button', { name: 'Create account' }).click();
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Check your inbox');

    const mail = await app.db.selectFrom('mail_outbox').select(['text_body']).where('to_address', '=', 'olga@example.org').executeTakeFirstOrThrow();
    const link = /https?:\/\/\S+\/verify-email\?token=\S+/.exec(mail.text_body)?.[0];
    assert.ok(link, 'the confirmation mail carries a link');
    await page.goto(app.url + new URL(link).pathname + new URL(link).search);
    await page.getByRole('button', { name: 'Confirm my address' }).click();

    await page.goto(`${app.url}/sign-in?next=%2Fmanage`);
    const form = page.getByRole('form', { name: 'Sign in with your password' });
    await form.getByLabel('E-mail address').fill('olga@example.org');
    await form.getByLabel('Password').fill('a long enough passphrase');
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${app.url}/manage`);

    await page.getByRole('link', { name: 'New community' }).click();
    await page.getByLabel('Name').fill('Lisbon Cloud Natives');
    await page.getByLabel('Address (slug)').fill('lisbon-cn');
    await page.getByRole('button', { name: 'Create community' }).click();
    assert.match(await notice(), /Community "Lisbon Cloud Natives" created/);

    // The monthly meetup: one room, two talks, and a break that is not a talk.
    const meetup = await createEvent({ kind: 'meetup', title: 'Lisbon CN #12', slug: 'lisbon-cn-12', first: '2027-03-09', last: '2027-03-09' });
    await addRoom('Auditorium');
    await backOffice('Speakers');
    await page.getByRole('link', { name: 'Add a speaker' }).click();
    await page.getByLabel('Name').fill('Rui Kernel');
    await page.getByLabel('Job title').fill('SRE');
    await page.getByLabel('Company').fill('Atlantic Ops');
    await page.getByRole('button', { name: 'Add speaker' }).click();
    await addSession({ title: 'Operators without Tears', start: '18:30', minutes: '30', room: 'Auditorium', speaker: 'Rui Kernel' });
    await addSession({ title: 'Scaling Down to Zero', start: '19:15', minutes: '25', room: 'Auditorium' });
    await page.goto(meetup);
    await page.getByRole('button', { name: 'Publish event' }).click();
    assert.match(await notice(), /is published/);

    // The conference: two days, two rooms, sessions on both days.
    const conf = await createEvent({ kind: 'conference', title: 'CloudConf Lisbon 2027', slug: 'cloudconf-lx-2027', first: '2027-05-20', last: '2027-05-21' });
    await addRoom('Main Hall');
    await addRoom('Room B');
    await addSession({ title: 'Opening Keynote', day: '2027-05-20', start: '09:30', minutes: '45', room: 'Main Hall' });
    await addSession({ title: 'Service Meshes Explained', day: '2027-05-20', start: '11:00', minutes: '30', room: 'Room B' });
    await addSession({ title: 'Day Two Deep Dive', day: '2027-05-21', start: '10:00', minutes: '40', room: 'Main Hall' });
    await page.goto(conf);
    await page.getByRole('button', { name: 'Publish event' }).click();
    assert.match(await notice(), /is published/);

    // Public pages and the API show both, with the local times typed in the back office.
    await page.goto(`${app.url}/events/lisbon-cn-12/schedule`);
    const agenda = (await page.locator('main').textContent()) ?? '';
    assert.match(agenda, /18:30[\s\S]*Operators without Tears[\s\S]*19:15[\s\S]*Scaling Down to Zero/);
    await page.goto(`${app.url}/events/cloudconf-lx-2027/schedule?day=2027-05-21`);
    assert.ok(await page.getByRole('link', { name: 'Day Two Deep Dive' }).isVisible());
    const api = (await (await app.get('/api/v1/events/cloudconf-lx-2027/sessions')).json()) as { data: Array<{ title: string; start: string }> };
    const byTitle = new Map(api.data.map((s) => [s.title, s]));
    assert.deepEqual([...byTitle.keys()].sort(), ['Day Two Deep Dive', 'Opening Keynote', 'Service Meshes Explained']);
    // 09:30 in Lisbon in May (WEST, UTC+1) is 08:30 UTC.
    assert.match(byTitle.get('Opening Keynote')!.start, /^2027-05-20T09:30:00\+01:00$|^2027-05-20T08:30:00Z$/);
    const events = (await (await app.get('/api/v1/events')).json()) as { data: Array<{ slug: string }> };
    assert.deepEqual(events.data.map((e) => e.slug).sort(), ['cloudconf-lx-2027', 'lisbon-cn-12']);
  });

  test('a reviewer and an attendee are refused the conference back office', async () => {
    const conf = await app.db.selectFrom('events').select(['id', 'community_id']).where('slug', '=', 'cloudconf-lx-2027').executeTakeFirstOrThrow();
    const reviewer = await createTestUser(app.db, {
      email: 'rita@example.org',
      grants: [{ scope: 'event', scopeId: conf.id, role: 'reviewer', trackIds: [] }],
    });
    const attendee = await createTestUser(app.db, { email: 'ana@example.org' });
    for (const user of [reviewer, attendee]) {
      await browser.context.clearCookies();
      await browser.context.addCookies([{ name: 'hallway_session', value: user.sessionCookie, url: app.url, httpOnly: true, sameSite: 'Lax' }]);
      const p = page;
      for (const path of [`/manage/events/${conf.id}`, `/manage/events/${conf.id}/sessions`, `/manage/events/${conf.id}/edit`]) {
        const res = await p.goto(app.url + path);
        assert.equal(res?.status(), 403, `${user.email} on ${path}`);
      }
      const list = await p.goto(`${app.url}/manage`);
      assert.equal(list?.status(), 200);
      assert.doesNotMatch((await p.locator('main').textContent()) ?? '', /CloudConf Lisbon 2027/, `${user.email} does not see the event in the back office`);
    }
  });
});
