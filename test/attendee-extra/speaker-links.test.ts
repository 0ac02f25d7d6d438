import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { saveNote } from '../../src/modules/agenda/note.actions.js';
import { createRecapDraft, publishRecap } from '../../src/modules/agenda/recap.actions.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { createTestUser, type TestUser } from '../factories/users.js';
import { actorOf } from '../program/support.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';
import { WebClient, csrfTokenIn } from '../support/web-client.js';
import { links, mainText } from '../attendee/support.js';
import { moduleContext } from '../support/module-context.js';

const XSS_TITLE = '<script>alert(1)</script><img src=x onerror=alert(2)>Slides';

/**
 * After the event, a session's own speakers add slides and video from a private page; the
 * change bumps the event version, so the cached session page, the exports and recaps show it.
 */
for (const database of testDatabases) {
  describe(`speakers' slides and video links on ${database.name}`, () => {
    let app: RunningApp;
    let eventId: number;
    let speaker: TestUser;
    let outsider: TestUser;
    const EV = '/events/testconf-2027';
    const LINKS = `${EV}/sessions/ebpf/links`;
    const as = (u: TestUser) => WebClient.signedIn(app.url, u.sessionCookie);
    const version = async () => (await app.db.selectFrom('events').select('version').where('id', '=', eventId).executeTakeFirstOrThrow()).version;
    const storedLinks = async () =>
      app.db
        .selectFrom('session_links')
        .innerJoin('sessions', 'sessions.id', 'session_links.session_id')
        .select(['session_links.kind', 'session_links.title', 'session_links.url'])
        .where('sessions.code', '=', 'ebpf')
        .where('sessions.event_id', '=', eventId)
        .orderBy('session_links.position')
        .execute();

    before(async () => {
      app = await startTestApp({ database, docs: [buildEventDoc()] });
      eventId = (await app.db.selectFrom('events').select('id').where('slug', '=', 'testconf-2027').executeTakeFirstOrThrow()).id;
      speaker = await createTestUser(app.db, { email: 'linus@example.org', displayName: 'Linus' });
      outsider = await createTestUser(app.db, { email: 'out@example.org', displayName: 'Out' });
      await app.db.updateTable('speakers').set({ user_id: speaker.id }).where('event_id', '=', eventId).where('code', '=', 'linus').execute();
    });
    after(() => app?.close());

    test('the account page lists "Your sessions" with a link to add slides or video; the public page links there', async () => {
      const account = await (await as(speaker).get('/account')).text();
      assert.match(mainText(account), /Your sessions .* eBPF for Humans · TestConf/);
      assert.ok(links(account).some((l) => l.href === LINKS && l.text === 'Add slides or video to eBPF for Humans'));
      assert.ok(!mainText(await (await as(outsider).get('/account')).text()).includes('Your sessions'), 'someone who speaks nowhere sees no section');
      const pub = await (await app.get(`${EV}/sessions/ebpf`)).text();
      // On the cached page for everyone, hidden; agenda.js shows it to the session's own speakers (starred.json's `speaking`).
      assert.ok(links(pub).some((l) => l.href === LINKS && l.text === 'Add slides or video'));
      assert.match(pub, /class="speaker-only" data-session="ebpf" hidden>/);
    });

    test('signed-out visitors are sent to sign in; a non-speaker gets 403 and nothing changes', async () => {
      const anon = await new WebClient(app.url).get(LINKS);
      assert.equal(anon.status, 303);
      assert.equal(anon.headers.get('location'), `/sign-in?next=${encodeURIComponent(LINKS)}`);
      assert.equal(anon.headers.get('cache-control'), 'no-store');

      const c = as(outsider);
      assert.equal((await c.get(LINKS)).status, 403);
      const v = await version();
      const token = csrfTokenIn(await (await c.get('/account')).text())!;
      const add = await c.post(LINKS, { _csrf: token, kind: 'slides', title: 'Mine', url: 'https://evil.example/slides' });
      assert.equal(add.status, 403);
      const remove = await c.post(`${LINKS}/0/remove`, { _csrf: token });
      assert.equal(remove.status, 403);
      assert.deepEqual(await storedLinks(), []);
      assert.equal(await version(), v, 'a refused change leaves the version alone');
    });

    test('the speaker adds slides: the session page, schedule.json/.xml and recaps show them; a hostile title is inert', async () => {
      // Warm the caches first, so the test proves the version bump refreshes them.
      const fan = await createTestUser(app.db, { email: 'fan@example.org', displayName: 'Fan' });
      const fanActor = await actorOf(app.db, fan.id);
      const ebpfId = (await app.db.selectFrom('sessions').select('id').where('event_id', '=', eventId).where('code', '=', 'ebpf').executeTakeFirstOrThrow()).id;
      await saveNote(app.db, fanActor, eventId, ebpfId, { body: 'Great talk', qa: '' });
      const recap = await createRecapDraft(moduleContext(app.db), fanActor, eventId);
      await publishRecap(moduleContext(app.db), fanActor, recap.id, { slug: 'fan-recap' });
      for (const path of [`${EV}/sessions/ebpf`, `${EV}/schedule.json`, `${EV}/schedule.xml`, `${EV}/recaps/fan-recap`])
        assert.equal((await app.get(path)).status, 200);

      const c = as(speaker);
      const page = await c.get(LINKS);
      assert.equal(page.status, 200);
      assert.match(mainText(await page.text()), /Links on the session page No links yet\./);
      const v = await version();
      const bad = await c.submit(LINKS, LINKS, { kind: 'slides', title: 'x', url: 'javascript:alert(1)' });
      assert.equal(bad.status, 422);
      assert.equal(await version(), v);

      const added = await c.submit(LINKS, LINKS, { kind: 'slides', title: XSS_TITLE, url: 'https://slides.example.org/ebpf' });
      assert.equal(added.status, 303);
      assert.equal(added.headers.get('location'), LINKS);
      assert.equal(await version(), v + 1, 'adding a link bumps the event version');
      assert.equal((await c.submit(LINKS, LINKS, { kind: 'video', title: '', url: 'https://video.example.org/ebpf' })).status, 303);
      assert.deepEqual(await storedLinks(), [
        { kind: 'slides', title: XSS_TITLE, url: 'https://slides.example.org/ebpf' },
        { kind: 'video', title: 'Video', url: 'https://video.example.org/ebpf' },
      ]);

      const pub = await (await app.get(`${EV}/sessions/ebpf`)).text();
      assert.ok(links(pub).some((l) => l.href === 'https://slides.example.org/ebpf' && l.text === XSS_TITLE));
      assert.ok(links(pub).some((l) => l.href === 'https://video.example.org/ebpf' && l.text === 'Video'));
      for (const html of [pub, await (await c.get(LINKS)).text()]) {
        assert.ok(!html.includes('<script>alert(1)'), 'no live script');
        assert.ok(!/<img[^>]*onerror/i.test(html), 'no live handler');
      }

      const json = (await (await app.get(`${EV}/schedule.json`)).json()) as {
        schedule: { conference: { days: Array<{ rooms: Record<string, Array<{ slug: string; links: Array<{ url: string; title: string }> }>> }> } };
      };
      const talk = json.schedule.conference.days
        .flatMap((d) => Object.values(d.rooms).flat())
        .find((e) => e.links.some((l) => l.url === 'https://slides.example.org/ebpf'));
      assert.ok(talk, 'schedule.json lists the new link');
      assert.deepEqual(
        talk.links.map((l) => l.url),
        ['https://slides.example.org/ebpf', 'https://video.example.org/ebpf'],
      );
      const xml = await (await app.get(`${EV}/schedule.xml`)).text();
      assert.match(
        xml,
        /<link href="https:\/\/slides\.example\.org\/ebpf" type="slides">&lt;script&gt;alert\(1\)&lt;\/script&gt;&lt;img src=x onerror=alert\(2\)&gt;Slides<\/link>/,
      );
      const recapPage = await (await app.get(`${EV}/recaps/fan-recap`)).text();
      assert.ok(
        links(recapPage).some((l) => l.href === 'https://slides.example.org/ebpf'),
        'the recap shows the slides',
      );
      assert.ok(!recapPage.includes('<script>alert(1)') && !/<img[^>]*onerror/i.test(recapPage));

      // Removing the first link: gone from the page at once.
      assert.equal((await c.submit(LINKS, `${LINKS}/0/remove`, {})).status, 303);
      assert.deepEqual(
        (await storedLinks()).map((l) => l.kind),
        ['video'],
      );
      assert.ok(!(await (await app.get(`${EV}/sessions/ebpf`)).text()).includes('slides.example.org'));
      assert.equal((await c.submit(LINKS, `${LINKS}/5/remove`, {})).status, 404);
    });
  });
}
