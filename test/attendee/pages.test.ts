import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildEventDoc } from '../factories/event-doc.js';
import { createTestUser, type TestUser } from '../factories/users.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { WebClient } from '../support/web-client.js';
import { buildPastDoc, mainText } from './support.js';

const XSS = '<script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a>\n\n## <svg onload=alert(4)>Heading';

describe('attendee pages: feedback rules, XSS, now and next, private pages', () => {
  let app: RunningApp;
  let ann: TestUser;
  let speaker: TestUser;
  let outsider: TestUser;
  const as = (u: TestUser) => WebClient.signedIn(app.url, u.sessionCookie);

  before(async () => {
    app = await startTestApp({ docs: [buildEventDoc(), buildPastDoc()] });
    ann = await createTestUser(app.db, { email: 'ann@example.org', displayName: 'Ann' });
    speaker = await createTestUser(app.db, { email: 'ada@example.org', displayName: 'Ada' });
    outsider = await createTestUser(app.db, { email: 'out@example.org', displayName: 'Out' });
    const event = await app.db.selectFrom('events').select('id').where('slug', '=', 'pastconf').executeTakeFirstOrThrow();
    await app.db.updateTable('speakers').set({ user_id: speaker.id }).where('event_id', '=', event.id).where('code', '=', 'ada').execute();
  });
  after(() => app?.close());

  const P = '/events/pastconf';

  test('feedback: a non-attendee and a too-early rating get form messages; an attendee rates; the speaker sees the summary', async () => {
    const notAttendee = await as(outsider).submit(`${P}/sessions/past-a/feedback`, `${P}/sessions/past-a/feedback`, { rating: '4', comment: 'Nice' });
    assert.equal(notAttendee.status, 403);
    assert.match(mainText(await notAttendee.text()), /Only attendees can give feedback on a session/);

    const c = as(ann);
    await c.submit(`${P}/sessions/future/star`, `${P}/sessions/future/star`, {});
    const early = await c.submit(`${P}/sessions/future/feedback`, `${P}/sessions/future/feedback`, { rating: '5', comment: '' });
    assert.equal(early.status, 409);
    assert.match(mainText(await early.text()), /"Future Talk" has not started yet; you can give feedback once it has\./);

    await c.submit(`${P}/sessions/past-a/star`, `${P}/sessions/past-a/star`, {});
    const bad = await c.submit(`${P}/sessions/past-a/feedback`, `${P}/sessions/past-a/feedback`, { rating: '9', comment: '' });
    assert.equal(bad.status, 422);
    const ok = await c.submit(`${P}/sessions/past-a/feedback`, `${P}/sessions/past-a/feedback`, { rating: '4', comment: 'Loved the <b>demo</b>' });
    assert.equal(ok.status, 303);
    const again = await (await c.get(`${P}/sessions/past-a/feedback`)).text();
    assert.match(again, /value="4" checked/);
    assert.ok(!mainText(again).includes('Feedback so far'), 'an attendee does not see the summary');

    const summary = mainText(await (await as(speaker).get(`${P}/sessions/past-a/feedback`)).text());
    assert.match(summary, /Feedback so far 1 rating, average 4\.00 out of 5\./);
    assert.match(summary, /4\/5 Loved the <b>demo<\/b>/);
  });

  test('XSS payloads in a note and a published recap are rendered inert', async () => {
    const c = as(ann);
    await c.submit(`${P}/sessions/past-a/notes`, `${P}/sessions/past-a/notes`, { body: XSS, qa: XSS, revision: '0' });
    for (const path of [`${P}/sessions/past-a/notes`, `${P}/my-notes`]) {
      const html = await (await c.get(path)).text();
      assert.ok(!/<script>alert/i.test(html), `${path}: no script`);
      assert.ok(!/<img[^>]*onerror/i.test(html) && !/<svg/i.test(html) && !/href="javascript:/i.test(html), `${path}: no handlers or javascript: links`);
    }
    const created = await c.submit(`${P}/recaps/new`, `${P}/recaps/new`, { day: '' });
    const edit = created.headers.get('location')!;
    const id = edit.split('/')[4]!;
    const page = await (await c.get(edit)).text();
    const ids = [...page.matchAll(/name="sections\[(\d)\]\.sessionId" value="(\d+)"/g)].map((m) => m[2]!);
    const fields: Record<string, string> = { title: `Recap <script>alert(5)</script>`, introduction: XSS };
    ids.forEach((sid, i) =>
      Object.assign(fields, { [`sections[${i}].sessionId`]: sid, [`sections[${i}].notes`]: XSS, [`sections[${i}].qa`]: '<h2 id="main">clobber</h2>' }),
    );
    assert.equal((await c.submit(edit, edit, fields)).status, 303);
    assert.equal((await c.submit(edit, `${P}/recaps/${id}/publish`, { slug: 'xss-recap' })).status, 303);
    for (const path of [`${P}/recaps/xss-recap`, `${P}/recaps`, `${P}/recaps.atom`, `${P}/sessions/past-a`]) {
      const html = await (await app.get(path)).text();
      assert.ok(!/<script>alert/i.test(html), `${path}: no script`);
      assert.ok(!/<img[^>]*onerror/i.test(html) && !/<svg/i.test(html) && !/href="javascript:/i.test(html), `${path}: inert`);
      assert.ok(!html.includes('id="main">clobber'), `${path}: an author-written id is dropped`);
    }
    const exported = await (await c.get(`${P}/recaps/${id}/export.html`)).text();
    assert.ok(!/<script>alert/i.test(exported) && !/onerror/i.test(exported));
  });

  test('now and next at a fixed moment: what runs per room with minutes left, and what comes next', async () => {
    // 09:40 CEST on 15 April 2027 = 07:40Z: the keynote (09:15–10:00) runs in Main Hall.
    const res = await app.get('/events/testconf-2027/now?at=2027-04-15T07:40:00Z');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=30');
    const text = mainText(await res.text());
    assert.match(text, /As of 09:40 on 2027-04-15, Europe\/Amsterdam \(CEST\)\./);
    assert.match(text, /Main Hall Now: The Keynote \(20 min left, until 10:00\) Next: Day Two Opener at 09:00 \(in 23 h 20 min\)/);
    assert.match(text, /Side Room Now: nothing Next: eBPF for Humans at 10:30 \(in 50 min\)/);
    assert.match(text, /Everywhere Now: nothing Next: Coffee break at 10:00 \(in 20 min\)/);
    // Weeks before the event: the day, not "in 63,000 min".
    const early = mainText(await (await app.get('/events/testconf-2027/now?at=2027-03-01T10:00:00Z')).text());
    assert.match(early, /Main Hall Now: nothing Next: Welcome on Thursday 15 April 2027 at 09:00/);
    assert.doesNotMatch(early, /\d{4,} min/);
    assert.equal((await app.get('/events/testconf-2027/now?at=yesterday-ish')).status, 400);
    const live = await app.get('/events/testconf-2027/now');
    assert.equal(live.status, 200);
  });

  test('private attendee pages send signed-out visitors to sign in and are never cached', async () => {
    const anon = new WebClient(app.url);
    for (const path of [
      '/events/testconf-2027/my-agenda',
      '/events/testconf-2027/my-notes',
      '/events/testconf-2027/recaps/new',
      '/events/testconf-2027/sessions/keynote/notes',
      '/events/testconf-2027/sessions/keynote/feedback',
    ]) {
      const res = await anon.get(path);
      assert.equal(res.status, 303, path);
      assert.equal(res.headers.get('location'), `/sign-in?next=${encodeURIComponent(path)}`);
      assert.equal(res.headers.get('cache-control'), 'no-store');
    }
    const post = await as(ann).post('/events/testconf-2027/sessions/keynote/star', {});
    assert.equal(post.status, 403, 'a POST without the CSRF token is refused');
  });

  test('the service worker is served from the root with its scope header', async () => {
    const res = await app.get('/sw.js');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('service-worker-allowed'), '/');
    assert.match(res.headers.get('content-type')!, /^text\/javascript/);
    assert.match(await res.text(), /Offline — last updated/);
  });
});
