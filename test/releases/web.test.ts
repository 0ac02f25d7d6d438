import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { fixedClock } from '../../src/lib/clock.js';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { updateSession } from '../../src/modules/program/session.actions.js';
import { cancelSession } from '../../src/modules/program/session-state.actions.js';
import { assertShows, counts, expectRedirect, visibleText } from '../backoffice/support.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { createTestUser } from '../factories/users.js';
import { actorOf } from '../program/support.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { WebClient } from '../support/web-client.js';

/**
 * Releases through the web: the back office's Releases page with its forms (release, the
 * refusals, held mails sent later), then what the public sees: the changelog page and its Atom
 * feed, cached per event version. The app's clock is fixed, so every date shown is known.
 */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const XMLLINT = '/usr/bin/xmllint';
const SLUG = 'testconf-2027';
const HOSTILE = '<script>alert(1)</script> & "Co" &amp;';

interface AtomEntry {
  id: string;
  title: { '#text': string; type: string };
  updated: string;
  published: string;
  link: { rel: string; type: string; href: string };
  summary?: { '#text': string; type: string };
  content: { '#text': string; type: string };
}
interface AtomFeed {
  xmlns: string;
  id: string;
  title: { '#text': string };
  updated: string;
  author: { name: string };
  link: Array<{ rel: string; href: string; type: string }>;
  entry?: AtomEntry[];
}

/** The change lines of the public changelog, as read (inline tags removed, entities decoded). */
function changeLines(html: string): string[] {
  return [...html.matchAll(/<ul class="release-changes">([\s\S]*?)<\/ul>/g)].flatMap((ul) =>
    [...ul[1]!.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((li) => visibleText(li[1]!.replace(/<[^>]+>/g, ''))),
  );
}

function parseAtom(xml: string): AtomFeed {
  assert.equal(XMLValidator.validate(xml), true, 'well-formed XML');
  if (existsSync(XMLLINT)) {
    const lint = spawnSync(XMLLINT, ['--noout', '--nonet', '-'], { input: xml, encoding: 'utf8' });
    assert.equal(lint.status, 0, `xmllint: ${lint.stderr}`);
  }
  const parsed = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    processEntities: true,
    htmlEntities: false,
    isArray: (n) => n === 'entry' || n === 'link',
  }).parse(xml) as { feed: AtomFeed & { entry?: Array<AtomEntry & { link: AtomEntry['link'][] }> } };
  const feed = parsed.feed;
  return { ...feed, entry: feed.entry?.map((e) => ({ ...e, link: (e.link as unknown as AtomEntry['link'][])[0]! })) };
}

for (const database of testDatabases) {
  describe(`releases through the web on ${database.name}`, () => {
    const clock = fixedClock('2027-03-01T09:00:00Z');
    let app: RunningApp;
    let org: WebClient;
    let actor: Actor;
    let eventId: number;
    let adaEmail: string;
    const session = {} as Record<string, number>;
    const page = () => `/manage/events/${eventId}/releases`;
    const outbox = async () => (await app.db.selectFrom('mail_outbox').select(['to_address', 'subject', 'text_body']).orderBy('id').execute()).slice();
    const releases = async () =>
      (
        await app.db.selectFrom('schedule_releases').select(['name', 'notifications']).where('event_id', '=', eventId).orderBy('number', 'desc').execute()
      ).slice();

    before(async () => {
      app = await startTestApp({ database, clock, docs: [buildEventDoc()], webhookDispatcher: false });
      const db = app.db;
      eventId = (await db.selectFrom('events').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()).id;
      for (const s of await db.selectFrom('sessions').select(['id', 'code']).where('event_id', '=', eventId).execute()) session[s.code] = s.id;
      const user = await createTestUser(db, {
        email: 'olga@example.org',
        displayName: 'Olga Organizer',
        grants: [{ scope: 'event', scopeId: eventId, role: 'organizer', trackIds: [] }],
      });
      org = WebClient.signedIn(app.url, user.sessionCookie);
      actor = await actorOf(db, user.id);
      // Ada has an account (so an address); Grace and Linus were added by hand and have none.
      const ada = await createTestUser(db, { email: 'ada@example.org', displayName: 'Ada Account' });
      adaEmail = ada.email;
      await db.updateTable('speakers').set({ user_id: ada.id }).where('event_id', '=', eventId).where('code', '=', 'ada').execute();
      // Titles are live: the changelog shows today's title, as text.
      await updateSession({ db, clock }, actor, eventId, session.ebpf!, { title: `eBPF ${HOSTILE}` });
    });
    after(async () => app?.close());

    test('the imported programme is release 1: the page says nothing is pending, and releasing it again is refused with the reason, writing nothing', async () => {
      const html = await (await org.get(page())).text();
      assertShows(html, 'Changes since version 1');
      assertShows(html, 'Nothing changed since version 1: there is nothing to release.');
      assertShows(html, 'Version Released By Changes Speaker mails');
      // Release 1 was made by the fixture import (on the system clock): its date is today's.
      assert.match(visibleText(html), /1 Imported from a schedule document\. \S+ \d+ \S+ \d{4}, \d\d:\d\d \S+ test fixtures 5 None needed/);
      assert.match(html, /<input id="f-name" name="name" type="text" value="" placeholder="2"/);
      const overview = await (await org.get(`/manage/events/${eventId}`)).text();
      assert.match(overview, new RegExp(`<a href="/manage/events/${eventId}/releases"[^>]*>Releases</a>`), 'a tab of the event');
      assert.match(visibleText(overview), /The public sees version 1 ?, released \d{4}-\d\d-\d\d \d\d:\d\d ?\. Everything in the draft is released\./);

      const before = await counts(app.db);
      const mails = (await outbox()).length;
      const refused = await org.submit(page(), page(), { name: '', comment: 'Again' });
      assert.equal(refused.status, 409);
      const again = await refused.text();
      assertShows(again, 'Nothing changed since release "1": move, add or cancel a session first. Nothing was released.');
      assert.match(again, /<textarea id="f-comment" name="comment"[^>]*>Again<\/textarea>/, 'the typed comment is kept');
      assert.deepEqual(await counts(app.db), before, 'nothing written');
      assert.equal((await outbox()).length, mails);
      assert.equal((await releases()).length, 1);
    });

    test('pending changes are listed with links to the sessions and the speakers to mail; releasing queues the mails and says so', async () => {
      const db = app.db;
      const rooms = Object.fromEntries(
        (await db.selectFrom('rooms').select(['id', 'name']).where('event_id', '=', eventId).execute()).map((r) => [r.name, r.id]),
      );
      await updateSession({ db, clock }, actor, eventId, session.keynote!, { start: '2027-04-15T11:00', roomId: rooms['Side Room']! });
      await cancelSession({ db, clock }, actor, eventId, session.welcome!);
      const html = await (await org.get(page())).text();
      assertShows(html, 'Changes since version 1');
      assertShows(html, '2 changes will be public once you release the draft:');
      assert.match(
        html,
        new RegExp(
          `<a href="/manage/events/${eventId}/sessions/${session.keynote}">Moved: &#34;The Keynote&#34;, from Main Hall, 2027-04-15 09:15 to Side Room, 2027-04-15 11:00</a>`,
        ),
      );
      assert.match(
        html,
        new RegExp(`<a href="/manage/events/${eventId}/sessions/${session.welcome}">Cancelled: &#34;Welcome&#34; \\(was Main Hall, 2027-04-15 09:00\\)</a>`),
      );
      assertShows(html, `Ada Example <${adaEmail}>: 1 change`);
      assertShows(html, 'Tell them yourself: Grace Sample: 1 change');
      const overview = async () => visibleText(await (await org.get(`/manage/events/${eventId}`)).text());
      assert.match(
        await overview(),
        /The public sees version 1 ?, released [^.]+\. 2 changes in the draft not released yet \(rooms, times, cancellations and speakers stay in the draft until released\)\. Review and release/,
      );

      const mailsBefore = (await outbox()).length;
      const versionBefore = (await db.selectFrom('events').select('version').where('id', '=', eventId).executeTakeFirstOrThrow()).version;
      const to = await expectRedirect(await org.submit(page(), page(), { name: '', comment: `Keynote moved; ${HOSTILE}` }), page());
      const after = await (await org.get(to)).text();
      assertShows(after, 'Released version 2: 2 changes, 1 speaker mail queued.');
      assertShows(after, 'Nothing changed since version 2');
      assert.match(await overview(), /The public sees version 2 ?, released 2027-03-01 10:00 ?\. Everything in the draft is released\./);
      assertShows(after, `2 Keynote moved; ${HOSTILE} Mon 1 March 2027, 10:00 CET Olga Organizer 2 Sent`);
      assert.ok(!after.includes('<script>alert(1)'), 'the comment is text');
      const mails = (await outbox()).slice(mailsBefore);
      assert.deepEqual(
        mails.map((m) => m.to_address),
        [adaEmail],
      );
      assert.match(mails[0]!.text_body, /Cancelled: "Welcome"/);
      const version = (await db.selectFrom('events').select('version').where('id', '=', eventId).executeTakeFirstOrThrow()).version;
      assert.ok(version > versionBefore, 'the release bumps the version (caches and webhooks follow it)');
    });

    test('a name already used and a comment too long are refused next to their fields, writing nothing', async () => {
      const db = app.db;
      await updateSession({ db, clock }, actor, eventId, session.day2!, { start: '2027-04-16T11:00' });
      const before = await counts(app.db);
      const taken = await org.submit(page(), page(), { name: '1', comment: 'Clash' });
      assert.equal(taken.status, 409);
      const html = await taken.text();
      assertShows(html, 'This event already has a release called "1"; choose another name.');
      assert.match(html, /<p class="error" id="f-name-error">[^<]*already used by another release/);
      const long = await org.submit(page(), page(), { comment: 'x'.repeat(2_001) });
      assert.equal(long.status, 422);
      assert.match(await long.text(), /id="f-comment-error"/);
      assert.deepEqual(await counts(app.db), before);
      assert.equal((await releases()).length, 2);
    });

    test('held mails are not queued; the past releases list offers to send them, once', async () => {
      const name = 'Friday fix/2 ?#';
      const mailsBefore = (await outbox()).length;
      const to = await expectRedirect(await org.submit(page(), page(), { name, comment: 'Day two opener later', holdSpeakerMails: 'on' }), page());
      assertShows(await (await org.get(to)).text(), `Released version ${name}: 1 change, speaker mails held (send them from the list below).`);
      assert.equal((await outbox()).length, mailsBefore, 'nothing queued while held');
      assert.deepEqual((await releases())[0], { name, notifications: 'held' });
      const html = await (await org.get(page())).text();
      const action = `/manage/events/${eventId}/releases/${encodeURIComponent(name)}/send-mails`;
      assert.ok(html.includes(`action="${action.replace(/&/g, '&amp;')}"`), 'the held release has a send button');
      assert.match(
        html,
        /<button type="submit" class="secondary" aria-label="Send the held speaker mails of version Friday fix\/2 \?#">Send the held speaker mails<\/button>/,
      );

      const sent = await expectRedirect(await org.submit(page(), action, {}), page());
      assertShows(await (await org.get(sent)).text(), `Sent the held speaker mails of version ${name}: 1 mail queued.`);
      const mails = (await outbox()).slice(mailsBefore);
      assert.deepEqual(
        mails.map((m) => m.to_address),
        [adaEmail],
      );
      assert.match(mails[0]!.text_body, /Moved: "Day Two Opener", from Main Hall, 2027-04-16 09:00 to Main Hall, 2027-04-16 11:00/);
      assert.deepEqual((await releases())[0], { name, notifications: 'sent' });

      const twice = await org.submit(page(), action, {});
      assert.equal(twice.status, 409);
      assertShows(await twice.text(), `The speaker mails of release "${name}" were not held (they were sent).`);
      assert.equal((await outbox()).length, mailsBefore + 1, 'sent once');
      assert.equal((await org.submit(page(), `/manage/events/${eventId}/releases/nope/send-mails`, {})).status, 404);
    });

    test('the public changelog lists every release newest first, in the event’s zone, titles as text linking to the public sessions', async () => {
      const res = await app.get(`/events/${SLUG}/changelog`);
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.match(
        html,
        /<link rel="alternate" type="application\/atom\+xml" title="Programme changes of TestConf 2027" href="\/events\/testconf-2027\/changelog.atom"/,
      );
      const text = visibleText(html);
      const order = ['Version Friday fix/2 ?#', 'Version 2', 'Version 1'].map((h) => text.indexOf(h));
      assert.ok(order.every((i) => i >= 0) && order[0]! < order[1]! && order[1]! < order[2]!, `newest first: ${order}`);
      assertShows(html, 'Version Friday fix/2 ?# Released Mon 1 March 2027, 10:00 CET · 1 change · the version shown now Day two opener later');
      assertShows(html, `Version 2 Released Mon 1 March 2027, 10:00 CET · 2 changes Keynote moved; ${HOSTILE}`);
      const lines = changeLines(html);
      assert.deepEqual(lines.slice(0, 3), [
        'Moved: Day Two Opener, from Main Hall, Fri 16 Apr 09:00 to Main Hall, Fri 16 Apr 11:00',
        'Cancelled: Welcome (was Main Hall, Thu 15 Apr 09:00)',
        'Moved: The Keynote, from Main Hall, Thu 15 Apr 09:15 to Side Room, Thu 15 Apr 11:00',
      ]);
      assert.ok(lines.includes(`New: eBPF ${HOSTILE}, Side Room, Thu 15 Apr 10:30`), 'today’s title, as text');
      assert.ok(lines.includes('New: Coffee break, Thu 15 Apr 10:00'), 'no room: the time only');
      assert.equal(lines.length, 3 + 5);
      assert.ok(!html.includes('<script>alert(1)'), 'titles and comments are text');
      assert.match(html, /<a href="\/events\/testconf-2027\/sessions\/keynote">The Keynote<\/a>/);
      assert.match(html, /<a href="\/events\/testconf-2027\/sessions\/welcome">Welcome<\/a>/, 'a cancelled session is still public');
      assert.ok(!html.includes('Olga'), 'who released is not public');

      const schedule = await (await app.get(`/events/${SLUG}/schedule`)).text();
      assert.match(schedule, /<a href="\/events\/testconf-2027\/changelog">Changelog<\/a>/);
      assertShows(schedule, 'Changelog (version Friday fix/2 ?#)');
      assert.match(
        schedule,
        /<link rel="alternate" type="application\/atom\+xml" title="Programme changes of TestConf 2027" href="\/events\/testconf-2027\/changelog.atom"/,
      );
    });

    test('the changelog is cached per public version: 304 for the same version and after draft-only changes, a new ETag after a release', async () => {
      const first = await app.get(`/events/${SLUG}/changelog`);
      const tag = first.headers.get('etag')!;
      assert.ok(tag, 'an ETag');
      assert.equal((await app.get(`/events/${SLUG}/changelog`, { headers: { 'If-None-Match': tag } })).status, 304);
      const atom = await app.get(`/events/${SLUG}/changelog.atom`);
      const atomTag = atom.headers.get('etag')!;
      assert.equal((await app.get(`/events/${SLUG}/changelog.atom`, { headers: { 'If-None-Match': atomTag } })).status, 304);
      const oldIds = parseAtom(await atom.text()).entry!.map((e) => e.id);

      await cancelSession({ db: app.db, clock }, actor, eventId, session.ebpf!);
      // The draft is not public: the changelog, its ETag included, is unchanged until the release.
      const draft = await app.get(`/events/${SLUG}/changelog`, { headers: { 'If-None-Match': tag } });
      assert.equal(draft.status, 304, 'a draft-only change keeps the public version, so the copy a reader has is still right');
      const schedule = await app.get(`/events/${SLUG}/changelog`);
      assert.equal(schedule.headers.get('etag'), tag);
      assert.ok(!changeLines(await schedule.text()).some((l) => l.startsWith('Cancelled: eBPF')), 'the draft change is not public');
      clock.advance(3_600_000);
      await expectRedirect(await org.submit(page(), page(), { name: 'Late', holdSpeakerMails: 'on' }), page());
      const fresh = await app.get(`/events/${SLUG}/changelog`, { headers: { 'If-None-Match': tag } });
      assert.equal(fresh.status, 200);
      const freshHtml = await fresh.text();
      assertShows(freshHtml, 'Version Late Released Mon 1 March 2027, 11:00 CET · 1 change · the version shown now');
      assert.equal(changeLines(freshHtml)[0], `Cancelled: eBPF ${HOSTILE} (was Side Room, Thu 15 Apr 10:30)`);
      const feed = parseAtom(await (await app.get(`/events/${SLUG}/changelog.atom`, { headers: { 'If-None-Match': atomTag } })).text());
      assert.equal(feed.entry!.length, 4);
      assert.deepEqual(
        feed.entry!.slice(1).map((e) => e.id),
        oldIds,
        'entry ids are stable',
      );
    });

    test('the Atom feed is Atom 1.0: one entry per release, newest first; user text stays text, never markup or an entity', async () => {
      const res = await app.get(`/events/${SLUG}/changelog.atom`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /^application\/atom\+xml; charset=utf-8/);
      const xml = await res.text();
      assert.ok(!xml.includes('<script'), 'no markup from user text');
      const feed = parseAtom(xml);
      const base = feed.link.find((l) => l.rel === 'self')!.href.replace(`/events/${SLUG}/changelog.atom`, '');
      assert.match(base, /^https?:\/\/[^/]+$/);
      assert.equal(feed.xmlns, 'http://www.w3.org/2005/Atom');
      assert.match(feed.id, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(feed.title['#text'], 'Programme changes of TestConf 2027');
      assert.equal(feed.author.name, 'Test Community');
      assert.equal(feed.updated, '2027-03-01T10:00:00Z', 'the latest release');
      assert.deepEqual(
        feed.link.map((l) => [l.rel, l.type, l.href]),
        [
          ['self', 'application/atom+xml', `${base}/events/${SLUG}/changelog.atom`],
          ['alternate', 'text/html', `${base}/events/${SLUG}/changelog`],
        ],
      );
      const entries = feed.entry!;
      assert.deepEqual(
        entries.map((e) => [e.title['#text'], e.link.href]),
        [
          ['Version Late', `${base}/events/${SLUG}/changelog#release-4`],
          ['Version Friday fix/2 ?#', `${base}/events/${SLUG}/changelog#release-3`],
          ['Version 2', `${base}/events/${SLUG}/changelog#release-2`],
          ['Version 1', `${base}/events/${SLUG}/changelog#release-1`],
        ],
      );
      assert.deepEqual(
        entries.slice(0, 3).map((e) => e.updated),
        ['2027-03-01T10:00:00Z', '2027-03-01T09:00:00Z', '2027-03-01T09:00:00Z'],
      );
      assert.equal(new Set(entries.map((e) => e.id)).size, entries.length, 'ids are unique');
      for (const e of entries) {
        assert.match(e.id, /^urn:uuid:/);
        assert.equal(e.published, e.updated);
        assert.equal(e.content.type, 'html');
      }
      const v2 = entries.find((e) => e.title['#text'] === 'Version 2')!;
      assert.equal(v2.summary?.['#text'], `Keynote moved; ${HOSTILE}`, 'the summary is the comment, exactly as typed');
      // The content is HTML (decoded from the XML once); the comment and titles in it are escaped HTML text.
      const html = v2.content['#text'];
      assert.ok(html.startsWith('<p>Keynote moved; &lt;script>alert(1)&lt;/script> &amp; &#34;Co&#34; &amp;amp;</p><ul>'), html);
      assert.ok(
        html.includes(
          `<li><strong>Moved</strong>: <a href="${base}/events/${SLUG}/sessions/keynote">The Keynote</a>, from Main Hall, Thu 15 Apr 09:15 to Side Room, Thu 15 Apr 11:00</li>`,
        ),
        html,
      );
      const v1 = entries.find((e) => e.title['#text'] === 'Version 1')!;
      assert.ok(
        v1.content['#text'].includes(`: <a href="${base}/events/${SLUG}/sessions/ebpf">eBPF &lt;script>alert(1)&lt;/script> &amp; &#34;Co&#34; &amp;amp;</a>`),
        v1.content['#text'],
      );
    });
  });
}
