import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { actorFor } from '../../src/modules/accounts/auth-session.queries.js';
import { acceptInvitation } from '../../src/modules/accounts/invitation.actions.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { WebClient } from '../support/web-client.js';
import { createTestUser } from '../factories/users.js';
import { assertShows, counts, expectRedirect, idIn, inputValue, signedInClient, submitOk, visibleText } from './support.js';

/**
 * What happens when a back-office post goes wrong (validation, conflicts, CSRF, unknown ids), and
 * the team: inviting a co-organizer (the mail lands in the outbox), accepting, revoking; and the
 * audit log saying who changed what. On SQLite and PostgreSQL.
 */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

for (const database of testDatabases) {
  describe(`back office: forms, team and audit on ${database.name}`, () => {
    let app: RunningApp;
    let org: WebClient;
    let eventId: number;
    let roomId: number;

    before(async () => {
      app = await startTestApp({ database });
      ({ client: org } = await signedInClient(app.url, app.db, 'Olga Organizer', { mayCreateCommunities: true }));
      const to = await submitOk(org, '/manage/communities/new', { name: 'Go Amsterdam', slug: 'go-amsterdam' });
      eventId = idIn(
        await submitOk(
          org,
          '/manage/events/new',
          {
            communityId: String(idIn(to, /communityId=(\d+)/)),
            kind: 'conference',
            title: 'GoDays 2027',
            slug: 'godays-2027',
            startDate: '2027-04-15',
            endDate: '2027-04-16',
            timeZone: 'Europe/Amsterdam',
          },
          '/manage/events/new',
        ),
      );
      await submitOk(org, `/manage/events/${eventId}/rooms`, { name: 'Main Hall' });
      roomId = (await app.db.selectFrom('rooms').select('id').where('event_id', '=', eventId).executeTakeFirstOrThrow()).id;
    });
    after(async () => app?.close());

    test('an invalid event keeps what was typed, shows each message next to its field and writes nothing', async () => {
      const before = await counts(app.db);
      const res = await org.submit('/manage/events/new', '/manage/events/new', {
        communityId: '1',
        kind: 'conference',
        title: 'My <b>Conf</b>',
        slug: 'Not A Slug!',
        startDate: '2027-05-02',
        endDate: 'tomorrow',
        timeZone: 'Mars/Olympus',
        venueName: 'Typed Venue',
      });
      assert.equal(res.status, 422);
      const html = await res.text();
      assert.match(html, /class="error-summary" role="alert"/);
      assert.match(html, /<a href="#f-slug">Address \(slug\): must be lower-case letters, digits and hyphens<\/a>/);
      assert.match(html, /<p class="error" id="f-slug-error">must be lower-case letters, digits and hyphens<\/p>/);
      assert.match(html, /<p class="error" id="f-endDate-error">must be a date like 2026-05-12<\/p>/);
      assert.match(html, /id="f-timeZone-error"/);
      assert.match(
        html,
        /<input id="f-slug" name="slug" type="text" value="Not A Slug!" required aria-invalid="true" aria-describedby="f-slug-hint f-slug-error"/,
      );
      assert.equal(inputValue(html, 'title'), 'My &lt;b>Conf&lt;/b>', 'typed text is kept, escaped');
      assert.equal(inputValue(html, 'venueName'), 'Typed Venue');
      assert.ok(!html.includes('<b>Conf</b>'));
      assert.deepEqual(await counts(app.db), before, 'nothing was written');

      const dates = await org.submit('/manage/events/new', '/manage/events/new', {
        communityId: '1',
        kind: 'meetup',
        title: 'Backwards',
        slug: 'backwards',
        startDate: '2027-05-02',
        endDate: '2027-05-01',
        timeZone: 'UTC',
      });
      assert.equal(dates.status, 422);
      assert.match(await dates.text(), /id="f-endDate-error"/);
      assert.deepEqual(await counts(app.db), before);
    });

    test('an invalid session keeps the typed abstract and time fields and puts the start problem on the time', async () => {
      const page = `/manage/events/${eventId}/sessions/new`;
      const before = await counts(app.db);
      const res = await org.submit(page, page, {
        kind: 'talk',
        title: '',
        abstract: 'Typed *abstract* & more',
        day: '2027-04-15',
        time: '',
        durationMinutes: '0',
        roomId: String(roomId),
      });
      assert.equal(res.status, 422);
      const html = await res.text();
      assert.match(html, /<p class="error" id="f-title-error">is required<\/p>/);
      assert.match(html, /<p class="error" id="f-time-error">is required<\/p>/);
      assert.match(html, /<p class="error" id="f-durationMinutes-error">must be at least 1<\/p>/);
      assert.match(html, />Typed \*abstract\* &amp; more<\/textarea>/);
      assert.match(html, /<option value="2027-04-15" selected>/);
      assert.deepEqual(await counts(app.db), before);
    });

    test('a room conflict is shown at the room field and nothing is written', async () => {
      const page = `/manage/events/${eventId}/sessions/new`;
      await submitOk(org, page, { kind: 'talk', title: 'First Talk', day: '2027-04-15', time: '10:00', durationMinutes: '30', roomId: String(roomId) });
      const before = await counts(app.db);
      const res = await org.submit(page, page, {
        kind: 'talk',
        title: 'Clashing Talk',
        day: '2027-04-15',
        time: '10:15',
        durationMinutes: '30',
        roomId: String(roomId),
      });
      assert.equal(res.status, 409);
      const html = await res.text();
      assert.match(html, /id="f-roomId-error"/);
      assertShows(html, 'First Talk');
      assert.equal(inputValue(html, 'title'), 'Clashing Talk');
      assert.deepEqual(await counts(app.db), before);
    });

    test('a post without a valid CSRF token is refused with 403 and writes nothing', async () => {
      const before = await counts(app.db);
      const missing = await org.post(`/manage/events/${eventId}/rooms`, { name: 'Sneaky Room' });
      assert.equal(missing.status, 403);
      assertShows(await missing.text(), 'This form has expired or did not come from this site');
      const wrong = await org.post(`/manage/events/${eventId}/publish`, { _csrf: 'forged-token' });
      assert.equal(wrong.status, 403);
      assert.deepEqual(await counts(app.db), before);
    });

    test('unknown or malformed ids answer 404', async () => {
      for (const path of [
        `/manage/events/999999`,
        '/manage/events/abc',
        `/manage/events/${eventId}/rooms/999999`,
        `/manage/events/${eventId}/sessions/0`,
        '/manage/communities/999999',
      ]) {
        const res = await org.get(path);
        assert.equal(res.status, 404, path);
        assertShows(await res.text(), 'Page not found');
      }
      const res = await org.submit(`/manage/events/${eventId}/rooms`, `/manage/events/${eventId}/rooms/999999/delete`, {});
      assert.equal(res.status, 404);
    });

    test('an organizer invites a co-organizer: the mail is in the outbox, accepting grants access, revoking takes it away', async () => {
      const team = `/manage/events/${eventId}/team`;
      const bad = await org.submit(team, `${team}/invite`, { email: 'tm@example.org', role: 'track_manager' });
      assert.equal(bad.status, 422);
      assertShows(await bad.text(), 'name at least one track');

      const before = await counts(app.db);
      const res = await org.submit(team, `${team}/invite`, { email: 'Cohost@Example.org', role: 'organizer' });
      await expectRedirect(res, team);
      const page = await (await org.get(team)).text();
      assertShows(page, 'Invitation for cohost@example.org kept in the outbox');
      assertShows(page, 'Expires Actions cohost@example.org Organizer');
      assert.equal((await counts(app.db)).invitations, before.invitations + 1);

      const mail = await app.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', 'cohost@example.org').executeTakeFirstOrThrow();
      assert.match(mail.subject, /GoDays 2027/);
      const token = decodeURIComponent(/token=([^\s&]+)/.exec(mail.text_body)![1]!);

      const cohost = await createTestUser(app.db, { email: 'cohost@example.org', displayName: 'Carl Cohost' });
      const cohostClient = WebClient.signedIn(app.url, cohost.sessionCookie);
      assert.equal((await cohostClient.get(`/manage/events/${eventId}/edit`)).status, 403, 'before accepting');
      const row = await app.db.selectFrom('users').selectAll().where('id', '=', cohost.id).executeTakeFirstOrThrow();
      await acceptInvitation(app.db, await actorFor(app.db, row), token);
      assert.equal((await cohostClient.get(`/manage/events/${eventId}/edit`)).status, 200, 'after accepting');
      const after = await (await org.get(team)).text();
      assertShows(after, 'Carl Cohost cohost@example.org Organizer');
      assert.ok(!visibleText(after).includes('Expires Actions cohost@example.org'), 'no longer pending');

      await expectRedirect(await org.submit(team, `${team}/revoke`, { userId: String(cohost.id), role: 'organizer' }), team);
      assert.equal((await cohostClient.get(`/manage/events/${eventId}/edit`)).status, 403, 'after revoking');

      await submitOk(org, team, { email: 'later@example.org', role: 'reviewer' }, `${team}/invite`);
      const inv = await app.db.selectFrom('invitations').select('id').where('email', '=', 'later@example.org').executeTakeFirstOrThrow();
      await expectRedirect(await org.submit(team, `${team}/invitations/${inv.id}/withdraw`, {}), team);
      assertShows(await (await org.get(team)).text(), 'Invitation of later@example.org withdrawn');
      assert.equal(await app.db.selectFrom('invitations').select('id').where('id', '=', inv.id).executeTakeFirst(), undefined);
    });

    test('the audit log shows who changed what, newest first, with times in the event zone', async () => {
      await submitOk(org, `/manage/events/${eventId}/rooms/${roomId}`, { name: 'Main Hall', capacity: '250' }, undefined, `/manage/events/${eventId}/rooms`);
      const res = await org.get(`/manage/events/${eventId}/audit`);
      assert.equal(res.status, 200);
      const text = visibleText(await res.text());
      const body = (text.split('Who What')[1] ?? '').trim();
      assert.match(body, /^\S+ \d{1,2} \w+ \d{4} \d{2}:\d{2} CES?T Olga Organizer Updated room/, 'newest first: the room edit');
      for (const s of [
        'Olga Organizer Invited cohost@example.org as Organizer of GoDays 2027',
        'Carl Cohost accepted the invitation',
        'Carl Cohost is no longer Organizer',
        'Created conference "GoDays 2027"',
      ]) {
        assert.ok(body.includes(s), `audit shows ${s}: ${body}`);
      }
      assert.ok(body.indexOf('Carl Cohost is no longer') < body.indexOf('Carl Cohost accepted'), 'newest first');
    });
  });
}
