import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fixedClock } from '../../src/lib/clock.js';
import { starSession } from '../../src/modules/agenda/star.actions.js';
import { assertShows, expectRedirect, visibleText } from '../backoffice/support.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { createTestUser } from '../factories/users.js';
import { actorOf } from '../program/support.js';
import { ManageClient, tokenFor } from '../api-manage/support.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { csrfTokenIn, WebClient } from '../support/web-client.js';

/**
 * The interest poll through the web and the organizer API: the back office's Interest tab
 * (settings, counts, pairs; permissions), the public poll page for signed-in people and
 * anonymous visitors (private link), without JavaScript; CSRF, bad input, a closed poll, the
 * rate limit on anonymous saves.
 */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const SLUG = 'testconf-2027';
const POLL = `/events/${SLUG}/interest`;

/** The talk keys ticked on a poll page, and all listed, in page order. */
function talksOn(html: string): { listed: string[]; ticked: string[] } {
  const inputs = [...html.matchAll(/<input type="checkbox" name="talks" value="([sp]\d+)"[^>]*>/g)];
  return { listed: inputs.map((m) => m[1]!), ticked: inputs.filter((m) => / checked/.test(m[0])).map((m) => m[1]!) };
}

for (const database of testDatabases) {
  describe(`interest poll through the web on ${database.name}`, () => {
    const clock = fixedClock('2027-03-01T09:00:00Z');
    let app: RunningApp;
    let api: ManageClient;
    let org: WebClient;
    let orgToken: string;
    let eventId: number;
    const s = {} as Record<string, string>;
    const manage = () => `/manage/events/${eventId}/interest`;

    before(async () => {
      app = await startTestApp({ database, clock, docs: [buildEventDoc()], webhookDispatcher: false });
      api = new ManageClient(app);
      eventId = (await app.db.selectFrom('events').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()).id;
      for (const r of await app.db.selectFrom('sessions').select(['id', 'code']).where('event_id', '=', eventId).execute()) s[r.code] = `s${r.id}`;
      const o = await tokenFor(app.db, 'Olga Organizer', { grants: [{ scope: 'event', scopeId: eventId, role: 'organizer', trackIds: [] }] });
      org = WebClient.signedIn(app.url, o.sessionCookie);
      orgToken = o.token;
    });
    after(async () => app?.close());

    test('no poll: the page is 404 and the event page has no link; organizers start one; others may not', async () => {
      assert.equal((await new WebClient(app.url).get(POLL)).status, 404);
      assert.doesNotMatch(await (await app.get(`/events/${SLUG}`)).text(), /\/interest"/);
      const page = await org.get(manage());
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('cache-control'), 'no-store');
      const html = await page.text();
      assertShows(html, 'Poll Not set up');
      assert.match(html, new RegExp(`<a href="/manage/events/${eventId}/interest"[^>]*>Interest</a>`), 'a tab of the event');

      const bad = await org.submit(manage(), manage(), { status: 'open', scope: 'everything', intro: '', closesAt: '2027-03-28T02:30' });
      assert.equal(bad.status, 422);
      const badHtml = visibleText(await bad.text());
      assert.match(badHtml, /Talks in the poll/);
      assert.match(badHtml, /Closes at/);
      assert.equal(await app.db.selectFrom('interest_polls').selectAll().executeTakeFirst(), undefined, 'nothing written');

      await expectRedirect(
        await org.submit(manage(), manage(), { status: 'open', scope: 'accepted', intro: 'Tick <b>what</b> you like.', closesAt: '' }),
        manage(),
      );
      assertShows(await (await org.get(manage())).text(), 'The interest poll is open.');
      assert.match(await (await app.get(`/events/${SLUG}`)).text(), new RegExp(`href="${POLL}"`), 'the event page links the open poll');

      const manager = await tokenFor(app.db, 'Tom Tracks', { grants: [{ scope: 'event', scopeId: eventId, role: 'track_manager', trackIds: [] }] });
      const tm = WebClient.signedIn(app.url, manager.sessionCookie);
      assert.equal((await tm.get(manage())).status, 200, 'track managers see the aggregates');
      assert.doesNotMatch(await (await tm.get(manage())).text(), /name="scope"/, 'but no settings form');
      const csrf = csrfTokenIn(await (await tm.get(manage())).text())!;
      assert.equal((await tm.post(manage(), { _csrf: csrf, status: 'closed' })).status, 403);
      const attendee = await createTestUser(app.db, { email: 'att@example.org', displayName: 'Att Endee' });
      assert.equal((await WebClient.signedIn(app.url, attendee.sessionCookie).get(manage())).status, 403);
      assert.equal((await new WebClient(app.url).get(manage())).status, 303, 'anonymous: sign in first');
    });

    test('anonymous visitors: no-store page with CSRF, a private link after saving, picks back through it, bad input named', async () => {
      const anon = new WebClient(app.url);
      const page = await anon.get(POLL);
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('cache-control'), 'no-store');
      const html = await page.text();
      assertShows(html, 'Tick <b>what</b> you like.');
      assert.doesNotMatch(html, /<b>what<\/b>/, 'the intro is text');
      const { listed } = talksOn(html);
      assert.deepEqual([...listed].sort(), [s.keynote, s.ebpf, s.day2].filter(Boolean).sort(), 'talks only: no welcome remarks, no break');
      assert.ok(csrfTokenIn(html));

      assert.equal((await anon.post(POLL, { talks: [s.ebpf!] })).status, 403, 'no CSRF token');
      const to = await expectRedirect(await anon.submit(POLL, POLL, { talks: [s.ebpf!, s.keynote!] }), new RegExp(`^${POLL}/[A-Za-z0-9_-]{43}$`));
      const token = to.split('/').pop()!;
      const mine = await anon.get(to);
      assert.equal(mine.status, 200);
      assert.equal(mine.headers.get('referrer-policy'), 'no-referrer');
      const mineHtml = await mine.text();
      assertShows(mineHtml, 'Saved: 2 talks picked.');
      assertShows(mineHtml, `Your private link: http`);
      assert.deepEqual(talksOn(mineHtml).ticked.sort(), [s.ebpf!, s.keynote!].sort());
      const stored = await app.db.selectFrom('interest_voters').select('token_hash').where('user_id', 'is', null).execute();
      assert.ok(!stored.some((v) => v.token_hash === token), 'only a hash of the link is stored');

      // Another browser with the link gets the picks; unknown links are 404.
      const other = new WebClient(app.url);
      assert.deepEqual(talksOn(await (await other.get(to)).text()).ticked.sort(), [s.ebpf!, s.keynote!].sort());
      assert.equal((await other.get(`${POLL}/${'x'.repeat(43)}`)).status, 404);
      await expectRedirect(await other.submit(to, to, { talks: [s.day2!] }), to);
      assert.deepEqual(talksOn(await (await anon.get(to)).text()).ticked, [s.day2!]);

      // Bad input: named on the form, nothing changed.
      const unknown = await anon.submit(to, to, { talks: [s.ebpf!, 's999999'] });
      assert.equal(unknown.status, 422);
      const unknownHtml = await unknown.text();
      assertShows(unknownHtml, '"s999999" is not a talk of this poll');
      assert.deepEqual(talksOn(unknownHtml).ticked, [s.ebpf!], 'the ticks as submitted');
      const welcome = await anon.submit(to, to, { talks: [s.welcome!] });
      assert.equal(welcome.status, 422);
      const malformed = await anon.submit(to, to, { talks: ['<script>'] });
      assert.equal(malformed.status, 422);
      assert.doesNotMatch(await malformed.text(), /<script>/);
      assert.deepEqual(talksOn(await (await anon.get(to)).text()).ticked, [s.day2!], 'nothing changed');
    });

    test('signed-in people: picks with their account, stars count, order stable for them and their own', async () => {
      const ada = await createTestUser(app.db, { email: 'ada.poll@example.org', displayName: 'Ada Pollster' });
      const web = WebClient.signedIn(app.url, ada.sessionCookie);
      const first = talksOn(await (await web.get(POLL)).text());
      assert.deepEqual(talksOn(await (await web.get(POLL)).text()).listed, first.listed, 'same order on every visit');
      await expectRedirect(await web.submit(POLL, POLL, { talks: [s.keynote!] }), POLL);
      assert.deepEqual(talksOn(await (await web.get(POLL)).text()).ticked, [s.keynote!]);
      await starSession(app.db, await actorOf(app.db, ada.id), eventId, Number(s.ebpf!.slice(1)));
      assertShows(await (await web.get(POLL)).text(), 'In your agenda: your star counts already.');
      // Different people, different orders (with three talks, some of ten people must differ).
      const orders = new Set<string>();
      for (let i = 0; i < 10; i++) orders.add(talksOn(await (await new WebClient(app.url).get(POLL)).text()).listed.join());
      assert.ok(orders.size > 1, 'the order differs between visitors');
    });

    test('organizers see counts and pairs, never names; the API says the same; permissions and bad input', async () => {
      const html = await (await org.get(manage())).text();
      const text = visibleText(html);
      assert.match(text, /Most wanted talks/);
      assert.match(text, /eBPF for Humans/);
      for (const name of ['Ada Pollster', 'ada.poll@example.org']) assert.ok(!text.includes(name), `no ${name}`);

      const got = await api.get(`/api/v1/manage/events/${eventId}/interest`, { token: orgToken });
      assert.equal(got.status, 200);
      assert.equal(got.body.data.poll.status, 'open');
      assert.equal(got.body.data.voters, 2);
      const counts = Object.fromEntries(got.body.data.talks.map((t: { key: string; count: number }) => [t.key, t.count]));
      assert.deepEqual(counts, { [s.ebpf!]: 1, [s.keynote!]: 1, [s.day2!]: 1 }, 'Ada: a pick and a star; the anonymous voter: day two');
      assert.deepEqual(
        got.body.data.pairs.map((p: { both: number }) => p.both),
        [],
        'pairs need two people wanting both',
      );
      assert.ok(!got.text.includes('Ada') && !got.text.includes('userId'), 'aggregates only');

      const bad = await api.put(`/api/v1/manage/events/${eventId}/interest`, { token: orgToken, json: { status: 'half-open', closesAt: 'never' } });
      assert.equal(bad.status, 422);
      assert.deepEqual(bad.body.error.problems.map((p: { path: string }) => p.path).sort(), ['closesAt', 'status']);
      const manager = await tokenFor(app.db, 'Tina Tracks', { grants: [{ scope: 'event', scopeId: eventId, role: 'track_manager', trackIds: [] }] });
      assert.equal((await api.get(`/api/v1/manage/events/${eventId}/interest`, { token: manager.token })).status, 200);
      assert.equal((await api.put(`/api/v1/manage/events/${eventId}/interest`, { token: manager.token, json: { status: 'closed' } })).status, 403);
      const nobody = await tokenFor(app.db, 'Nobody');
      assert.equal((await api.get(`/api/v1/manage/events/${eventId}/interest`, { token: nobody.token })).status, 403);
      assert.equal((await api.get(`/api/v1/manage/events/${eventId}/interest`)).status, 401);

      const closed = await api.put(`/api/v1/manage/events/${eventId}/interest`, { token: orgToken, json: { status: 'closed', scope: 'accepted' } });
      assert.equal(closed.status, 200);
      assert.equal(closed.body.data.poll.status, 'closed');
      const anon = new WebClient(app.url);
      const page = await (await anon.get(POLL)).text();
      assertShows(page, 'The poll is closed');
      const refused = await anon.submit(POLL, POLL, { talks: [s.ebpf!] });
      assert.equal(refused.status, 409);
      assert.doesNotMatch(await (await app.get(`/events/${SLUG}`)).text(), new RegExp(`href="${POLL}"`), 'no link to a closed poll');
      await api.put(`/api/v1/manage/events/${eventId}/interest`, { token: orgToken, json: { status: 'open' } });
    });

    test('anonymous first saves are limited per client: the eleventh within an hour is 429 with Retry-After, nothing saved', async () => {
      const before = (await app.db.selectFrom('interest_voters').select('id').execute()).length;
      const anon = new WebClient(app.url);
      let limited: Response | undefined;
      for (let i = 0; i < 12 && !limited; i++) {
        const fresh = new WebClient(app.url);
        const res = await fresh.submit(POLL, POLL, { talks: [s.ebpf!] });
        if (res.status === 429) limited = res;
      }
      assert.ok(limited, 'limited');
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      assertShows(await limited.text(), 'Too many attempts');
      const after = (await app.db.selectFrom('interest_voters').select('id').execute()).length;
      assert.ok(after - before <= 10, `${after - before} new voters`);
      void anon;
    });
  });
}
