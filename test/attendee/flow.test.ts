import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { buildEventDoc } from '../factories/event-doc.js';
import { createTestUser, type TestUser } from '../factories/users.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { WebClient } from '../support/web-client.js';
import { links, mainText } from './support.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const EV = '/events/testconf-2027';

/**
 * The attendee's way through the event without JavaScript (form posts only), on both
 * databases: star from the public page's GET form, see the overlap on my agenda, take notes,
 * write a recap from them, edit, reorder and publish it, and find it on the recaps page, in
 * the Atom feed and on the session page.
 */
for (const database of testDatabases) {
  describe(`attendee flow without JavaScript on ${database.name}`, () => {
    let app: RunningApp;
    let ann: TestUser;
    let bob: TestUser;
    const as = (u: TestUser) => WebClient.signedIn(app.url, u.sessionCookie);

    before(async () => {
      const doc = buildEventDoc();
      // "clash" overlaps the keynote (09:15–10:00) in the other room.
      doc.sessions = [
        ...(doc.sessions ?? []),
        { code: 'clash', kind: 'talk', title: 'Clashing Talk', room: 'Side Room', start: '2027-04-15T09:30', durationMinutes: 30, speakers: ['linus'] },
      ];
      app = await startTestApp({ database, docs: [doc] });
      ann = await createTestUser(app.db, { email: 'ann@example.org', displayName: 'Ann Attendee' });
      bob = await createTestUser(app.db, { email: 'bob@example.org', displayName: 'Bob' });
    });
    after(() => app?.close());

    test('the public session page has a GET star form; the confirm page posts the star and comes back', async () => {
      const publicPage = await (await app.get(`${EV}/sessions/keynote`)).text();
      assert.match(
        publicPage,
        /<form id="star-form" method="get" action="\/events\/testconf-2027\/star"[^>]*><input type="hidden" name="next" value="\/events\/testconf-2027\/sessions\/keynote"><\/form>/,
      );
      assert.match(publicPage, /<button form="star-form" name="session" value="keynote"/);
      assert.ok(!publicPage.includes('name="_csrf"'), 'the cached public page carries no CSRF token');
      // What the browser asks when that button submits the form, without JavaScript.
      const fromForm = await new WebClient(app.url).get(`${EV}/star?next=${encodeURIComponent(`${EV}/sessions/keynote`)}&session=keynote`);
      assert.equal(fromForm.status, 303);
      assert.equal(fromForm.headers.get('location'), `${EV}/sessions/keynote/star?next=${encodeURIComponent(`${EV}/sessions/keynote`)}`);
      assert.equal((await new WebClient(app.url).get(`${EV}/star?session=no-such-talk`)).status, 404);
      // The schedule has one star form for all its buttons, coming back to the same day and view.
      const schedule = await (await app.get(`${EV}/schedule?day=2027-04-15&view=list`)).text();
      assert.equal(schedule.match(/<form id="star-form"/g)?.length, 1);
      assert.match(schedule, /<input type="hidden" name="next" value="\/events\/testconf-2027\/schedule\?day=2027-04-15&amp;view=list">/);
      assert.match(
        schedule,
        /<button form="star-form" name="session" value="clash" class="star-button star-compact">☆ Star<span class="vh"> Clashing Talk<\/span><\/button>/,
      );
      const anonymous = await new WebClient(app.url).get(`${EV}/sessions/keynote/star?next=${encodeURIComponent(`${EV}/sessions/keynote`)}`);
      assert.equal(anonymous.status, 303);
      assert.match(anonymous.headers.get('location')!, /^\/sign-in\?next=/);

      const c = as(ann);
      const confirm = `${EV}/sessions/keynote/star?next=${encodeURIComponent(`${EV}/sessions/keynote`)}`;
      assert.match(mainText(await (await c.get(confirm)).text()), /Add this session to your agenda\?/);
      const posted = await c.submit(confirm, `${EV}/sessions/keynote/star`, { next: `${EV}/sessions/keynote` });
      assert.equal(posted.status, 303);
      assert.equal(posted.headers.get('location'), `${EV}/sessions/keynote`);
      const starred = await (await c.get(`${EV}/my/starred.json`)).json();
      assert.deepEqual(starred.starred, ['keynote']);
      assert.equal(typeof starred.csrf, 'string');
      // An off-site `next` is not followed.
      const offsite = await c.submit(confirm, `${EV}/sessions/clash/star`, { next: 'https://evil.example/' });
      assert.equal(offsite.headers.get('location'), `${EV}/sessions/clash`);
      // Signed out: an answer (no red 401 in every visitor's console), with nothing of anyone.
      const signedOut = await new WebClient(app.url).get(`${EV}/my/starred.json`);
      assert.equal(signedOut.status, 200);
      assert.deepEqual(await signedOut.json(), { signedIn: false, starred: [], speaking: [] });
      // "Add slides or video" is on the cached page for everyone but hidden; starred.json tells
      // the script which sessions the signed-in person speaks at, so only they see it.
      const clashPage = await (await app.get(`${EV}/sessions/clash`)).text();
      assert.match(clashPage, /<a href="\/events\/testconf-2027\/sessions\/clash\/links" class="speaker-only" data-session="clash" hidden>/);
      const sam = await createTestUser(app.db, { email: 'sam@example.org', displayName: 'Sam Speaker' });
      await app.db.updateTable('speakers').set({ user_id: sam.id }).where('code', '=', 'linus').execute();
      assert.deepEqual((await (await as(sam).get(`${EV}/my/starred.json`)).json()).speaking, ['clash', 'ebpf'], 'the sessions Linus (now Sam) speaks at');
      assert.deepEqual((await (await c.get(`${EV}/my/starred.json`)).json()).speaking, [], 'Ann speaks nowhere');
    });

    test('my agenda shows the starred sessions by day with the overlap flagged and a free-slot suggestion', async () => {
      const c = as(ann);
      await c.submit(`${EV}/my-agenda`, `${EV}/sessions/day2/star`, { next: `${EV}/my-agenda` });
      await c.submit(`${EV}/my-agenda`, `${EV}/sessions/ebpf/star`, { next: `${EV}/my-agenda` });
      const html = await (await c.get(`${EV}/my-agenda`)).text();
      const text = mainText(html);
      assert.match(text, /1 overlap between starred sessions/);
      assert.match(text, /Thursday 15 April 2027 09:15 – 10:00 · Main Hall The Keynote Overlaps with Clashing Talk/);
      assert.match(text, /09:30 – 10:00 · Side Room Clashing Talk Overlaps with The Keynote/);
      assert.match(text, /Friday 16 April 2027 09:00 – 09:30 · Main Hall Day Two Opener/);
      // 10:00–10:30 between the keynote and eBPF is the coffee break: not a free slot.
      assert.doesNotMatch(text, /Free slots/);
      await c.submit(`${EV}/my-agenda`, `${EV}/sessions/ebpf/unstar`, { next: `${EV}/my-agenda` });
      assert.ok(links(html).some((l) => l.href === `${EV}/sessions/keynote/notes` && l.text === 'Take notes on The Keynote'));
      assert.equal((await as(bob).get(`${EV}/my-agenda`)).status, 200);
      assert.match(mainText(await (await as(bob).get(`${EV}/my-agenda`)).text()), /You have not starred any session yet/);
    });

    test('notes: a plain form post saves; another person gets 404 on nothing of it and sees only their own', async () => {
      const c = as(ann);
      const saved = await c.submit(`${EV}/sessions/keynote/notes`, `${EV}/sessions/keynote/notes`, {
        body: 'Keynote **thoughts**.',
        qa: 'Q: When?\nA: Now.',
        revision: '0',
      });
      assert.equal(saved.status, 303);
      const page = await (await c.get(`${EV}/sessions/keynote/notes`)).text();
      assert.ok(page.includes('Keynote **thoughts**.'));
      assert.ok(page.includes('name="revision" value="1"'));
      // A stale revision (another device saved first) is a conflict, the typed text kept.
      const stale = await c.submit(`${EV}/sessions/keynote/notes`, `${EV}/sessions/keynote/notes`, { body: 'Old tab text', qa: '', revision: '0' });
      assert.equal(stale.status, 409);
      const staleHtml = await stale.text();
      assert.match(mainText(staleHtml), /This note was changed elsewhere/);
      assert.ok(staleHtml.includes('Old tab text'));
      // Bob: an empty note form of his own, and an empty notes list.
      const bobs = await (await as(bob).get(`${EV}/sessions/keynote/notes`)).text();
      assert.ok(!bobs.includes('thoughts'));
      assert.match(mainText(await (await as(bob).get(`${EV}/my-notes`)).text()), /No notes yet/);
      assert.equal((await as(bob).submit(`${EV}/sessions/keynote/notes`, `${EV}/sessions/keynote/notes/delete`, {})).status, 404);
      assert.match(mainText(await (await c.get(`${EV}/my-notes`)).text()), /The Keynote Keynote thoughts \. Has Q&A notes\./);
    });

    let editUrl = '';
    test('a recap is written from the notes, edited, reordered and published; others get 404 on the draft', async () => {
      const c = as(ann);
      const created = await c.submit(`${EV}/recaps/new`, `${EV}/recaps/new`, { day: '' });
      assert.equal(created.status, 303);
      editUrl = created.headers.get('location')!;
      assert.match(editUrl, /^\/events\/testconf-2027\/recaps\/\d+\/edit$/);
      const edit = await (await c.get(editUrl)).text();
      assert.match(mainText(edit), /1\. The Keynote .* 2\. Clashing Talk .* 3\. Day Two Opener/);
      assert.equal((await as(bob).get(editUrl)).status, 404);
      assert.equal((await as(bob).get(editUrl.replace('/edit', '/export.md'))).status, 404);

      const fields = (order: Array<[string, string]>, extra: Record<string, string> = {}) => {
        const out: Record<string, string> = { title: 'Ann at TestConf', introduction: 'What I *learned*.', ...extra };
        order.forEach(([id, notes], i) => {
          out[`sections[${i}].sessionId`] = id;
          out[`sections[${i}].notes`] = notes;
          out[`sections[${i}].qa`] = '';
        });
        return out;
      };
      const ids = [...edit.matchAll(/name="sections\[(\d)\]\.sessionId" value="(\d+)"/g)].map((m) => m[2]!);
      assert.equal(ids.length, 3);
      // Move "Day Two Opener" (index 2) up, and drop "Clashing Talk".
      const moved = await c.submit(editUrl, editUrl, {
        ...fields([
          [ids[0]!, 'Great start.'],
          [ids[1]!, ''],
          [ids[2]!, 'Day two notes.'],
        ]),
        move: 'up:2',
        'sections[1].remove': 'on',
      });
      assert.equal(moved.status, 303);
      const after = mainText(await (await c.get(editUrl)).text());
      assert.match(after, /1\. The Keynote .* 2\. Day Two Opener/);
      assert.ok(!after.includes('Clashing Talk'));

      const id = editUrl.split('/')[4]!;
      const published = await c.submit(editUrl, `${EV}/recaps/${id}/publish`, { slug: '' });
      assert.equal(published.status, 303);
      const md = await (await c.get(`${EV}/recaps/${id}/export.md`)).text();
      assert.match(
        md,
        /^# Ann at TestConf\n\nWhat I \*learned\*\.\n\n## List of talks\n\n1\. \[The Keynote\]\(#the-keynote\)\n2\. \[Day Two Opener\]\(#day-two-opener\)/,
      );
      const htmlExport = await c.get(`${EV}/recaps/${id}/export.html`);
      assert.match(htmlExport.headers.get('content-disposition')!, /attachment; filename="ann-at-testconf\.html"/);
      assert.match(await htmlExport.text(), /<h2 id="the-keynote">The Keynote<\/h2>/);
    });

    test('the published recap is public with working anchors, in the Atom feed, and linked from its sessions', async () => {
      const page = await (await app.get(`${EV}/recaps/ann-at-testconf`)).text();
      assert.match(page, /<h1>Ann at TestConf<\/h1>/);
      for (const anchor of ['list-of-talks', 'the-keynote', 'day-two-opener']) assert.ok(page.includes(`id="${anchor}"`), `heading id ${anchor}`);
      const hrefs = links(page).map((l) => l.href);
      assert.ok(hrefs.includes('#the-keynote') && hrefs.includes('#day-two-opener'));
      assert.equal(links(page).filter((l) => l.text === '↑ Back to the list of talks' && l.href === '#list-of-talks').length, 2);
      assert.match(mainText(page), /By Ann Attendee/);

      const list = await (await app.get(`${EV}/recaps`)).text();
      assert.ok(links(list).some((l) => l.href === `${EV}/recaps/ann-at-testconf` && l.text === 'Ann at TestConf'));

      const atom = await app.get(`${EV}/recaps.atom`);
      assert.equal(atom.headers.get('content-type'), 'application/atom+xml; charset=utf-8');
      const feed = new XMLParser({
        ignoreAttributes: false,
        attributeNamePrefix: '@_',
        processEntities: true,
        isArray: (name) => name === 'entry' || name === 'link',
      }).parse(await atom.text()).feed;
      assert.equal(feed['@_xmlns'], 'http://www.w3.org/2005/Atom');
      assert.equal(feed.title['#text'], 'Recaps of TestConf 2027');
      assert.equal(feed.entry.length, 1);
      assert.equal(feed.entry[0].title['#text'], 'Ann at TestConf');
      assert.equal(feed.entry[0].author.name, 'Ann Attendee');
      assert.match(feed.entry[0].link[0]['@_href'], /^http:\/\/[^/]+\/events\/testconf-2027\/recaps\/ann-at-testconf$/);
      assert.equal(feed.entry[0].id, feed.entry[0].link[0]['@_href']);
      assert.equal(feed.entry[0].summary['#text'], 'What I learned.');
      assert.match(feed.entry[0].updated, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

      const session = await (await app.get(`${EV}/sessions/keynote`)).text();
      assert.ok(
        links(session).some((l) => l.href === `${EV}/recaps/ann-at-testconf` && l.text === 'Ann at TestConf'),
        'the cached session page lists the new recap',
      );
      const dropped = await (await app.get(`${EV}/sessions/clash`)).text();
      assert.ok(!dropped.includes('ann-at-testconf'));

      // Unpublishing takes it off again (the event version moves, so caches follow).
      const id = editUrl.split('/')[4]!;
      assert.equal((await as(ann).submit(editUrl, `${EV}/recaps/${id}/unpublish`, {})).status, 303);
      assert.equal((await app.get(`${EV}/recaps/ann-at-testconf`)).status, 404);
      assert.ok(!(await (await app.get(`${EV}/sessions/keynote`)).text()).includes('ann-at-testconf'));
      assert.equal((await as(ann).submit(editUrl, `${EV}/recaps/${id}/publish`, {})).status, 303);
    });

    test('the calendar feed URL is shown once, works without sign-in, and 404s once revoked', async () => {
      const c = as(ann);
      const created = await c.submit(`${EV}/my-agenda`, `${EV}/my-agenda/feed`, {});
      assert.equal(created.status, 200);
      const url = /id="feed-url" type="text" readonly value="([^"]+)"/.exec(await created.text())![1]!;
      const path = new URL(url).pathname;
      assert.match(path, /^\/events\/testconf-2027\/agenda\/hwcal_[^/]+\.ics$/);
      const ics = await app.get(path);
      assert.equal(ics.status, 200);
      assert.match(ics.headers.get('cache-control')!, /no-store/);
      const body = await ics.text();
      assert.match(body, /X-WR-CALNAME:TestConf 2027: my agenda/);
      assert.equal(body.match(/BEGIN:VEVENT/g)?.length, 3);
      assert.ok(!(await (await c.get(`${EV}/my-agenda`)).text()).includes(url), 'the URL is not shown again');
      assert.equal((await c.submit(`${EV}/my-agenda`, `${EV}/my-agenda/feed/revoke`, {})).status, 303);
      assert.equal((await app.get(path)).status, 404);
      assert.equal((await app.get(`${EV}/agenda/hwcal_nope.ics`)).status, 404);
    });
  });
}
