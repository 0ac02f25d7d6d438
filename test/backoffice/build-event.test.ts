import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type RunningApp } from '../support/app.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import type { WebClient } from '../support/web-client.js';
import { assertShows, counts, expectRedirect, idIn, inputValue, signedInClient, submitOk, visibleText } from './support.js';

/**
 * The organizer's main flows through the back-office forms, as a browser without JavaScript
 * does them (GET the form, post it with its CSRF token), on SQLite and PostgreSQL: a community,
 * a meetup and a two-day conference with rooms, tracks, speakers, sessions, sponsors and hosts,
 * published (public pages and API show them) and unpublished (they 404 again).
 */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

for (const database of testDatabases) {
  describe(`back office: building events on ${database.name}`, () => {
    let app: RunningApp;
    let org: WebClient;
    let communityId: number;
    let confId: number;
    let meetupId: number;
    const rooms: Record<string, number> = {};
    const speakers: Record<string, number> = {};
    let trackId: number;

    before(async () => {
      app = await startTestApp({ database });
      ({ client: org } = await signedInClient(app.url, app.db, 'Olga Organizer', { mayCreateCommunities: true }));
    });
    after(async () => app?.close());

    test('a new organizer sees an empty back office and creates a community', async () => {
      const home = await org.get('/manage');
      assert.equal(home.status, 200);
      assert.equal(home.headers.get('cache-control'), 'no-store');
      assertShows(await home.text(), 'You do not run any community or event yet');

      const to = await submitOk(org, '/manage/communities/new', {
        name: 'Rust Lisbon',
        slug: 'rust-lisbon',
        description: 'Rustaceans in **Lisbon**',
        url: 'https://rust.example.org',
      });
      communityId = idIn(to, /communityId=(\d+)/);
      assert.equal(to, `/manage/events/new?communityId=${communityId}`);
      const form = await org.get(to);
      const html = await form.text();
      assertShows(html, 'Community "Rust Lisbon" created');
      assert.match(html, new RegExp(`<option value="${communityId}" selected>Rust Lisbon</option>`), 'the new community is preselected');
    });

    test('creates a meetup and a two-day conference as drafts', async () => {
      const meetupTo = await submitOk(
        org,
        '/manage/events/new',
        {
          communityId: String(communityId),
          kind: 'meetup',
          title: 'Rust Lisbon #12',
          slug: 'rust-lisbon-12',
          startDate: '2027-03-10',
          endDate: '2027-03-10',
          timeZone: 'Europe/Lisbon',
          venueName: 'Hub Criativo',
          venueAddress: 'Rua da Prata 1',
          capacity: '80',
          description: 'Two talks and pizza.',
          codeOfConductUrl: 'https://rust.example.org/coc',
        },
        '/manage/events/new',
      );
      meetupId = idIn(meetupTo);
      const confTo = await submitOk(
        org,
        '/manage/events/new',
        {
          communityId: String(communityId),
          kind: 'conference',
          title: 'RustConf Lisbon 2027',
          slug: 'rustconf-lisbon-2027',
          startDate: '2027-05-20',
          endDate: '2027-05-21',
          timeZone: 'Europe/Lisbon',
          venueName: 'Centro de Congressos',
        },
        '/manage/events/new',
      );
      confId = idIn(confTo);
      const overview = await (await org.get(confTo)).text();
      assertShows(overview, '"RustConf Lisbon 2027" created as a draft');
      assertShows(overview, 'Draft: only the team sees it');
      const home = await (await org.get('/manage')).text();
      assertShows(home, 'Rust Lisbon #12');
      assertShows(home, 'RustConf Lisbon 2027');
      assert.equal((await app.get('/events/rustconf-lisbon-2027')).status, 404, 'a draft is not public');
    });

    test('adds rooms in order, moves one, and edits its capacity', async () => {
      for (const name of ['Main Hall', 'Room B', 'Workshop Lab']) {
        await submitOk(org, `/manage/events/${confId}/rooms`, { name, capacity: '100' }, `/manage/events/${confId}/rooms`, `/manage/events/${confId}/rooms`);
      }
      const rows = await app.db.selectFrom('rooms').select(['id', 'name']).where('event_id', '=', confId).orderBy('position').execute();
      for (const r of rows) rooms[r.name] = r.id;
      await expectRedirect(await org.submit(`/manage/events/${confId}/rooms`, `/manage/events/${confId}/rooms/${rooms['Workshop Lab']}/up`, {}));
      const page = await (await org.get(`/manage/events/${confId}/rooms`)).text();
      assertShows(page, 'Moved "Workshop Lab" up');
      const text = visibleText(page).split('Rooms in grid order')[1]!;
      assert.ok(text.indexOf('Main Hall') < text.indexOf('Workshop Lab') && text.indexOf('Workshop Lab') < text.indexOf('Room B'), `order: ${text}`);
      await submitOk(
        org,
        `/manage/events/${confId}/rooms/${rooms['Room B']}`,
        { name: 'Room B', capacity: '40', description: '' },
        undefined,
        `/manage/events/${confId}/rooms`,
      );
      const roomB = await app.db.selectFrom('rooms').select('capacity').where('id', '=', rooms['Room B']!).executeTakeFirstOrThrow();
      assert.equal(roomB.capacity, 40);
      for (const name of ['Stage']) await submitOk(org, `/manage/events/${meetupId}/rooms`, { name }, `/manage/events/${meetupId}/rooms`);
      rooms.Stage = (await app.db.selectFrom('rooms').select('id').where('event_id', '=', meetupId).executeTakeFirstOrThrow()).id;
    });

    test('adds a track with its colour and speakers with handles', async () => {
      await submitOk(org, `/manage/events/${confId}/tracks`, { name: 'Embedded', color: '#D62728', description: '' });
      const track = await app.db.selectFrom('tracks').select(['id', 'color']).where('event_id', '=', confId).executeTakeFirstOrThrow();
      trackId = track.id;
      assert.equal(track.color, '#d62728');
      for (const [eventId, name, github] of [
        [confId, 'Ana Ferreira', 'ana-f'],
        [confId, 'Bruno Costa', ''],
        [meetupId, 'Carla Dias', 'carla'],
        [meetupId, 'Duarte Reis', ''],
      ] as const) {
        await submitOk(
          org,
          `/manage/events/${eventId}/speakers/new`,
          { name, jobTitle: 'Engineer', company: 'Acme', bio: 'Writes *Rust*.', github },
          undefined,
          `/manage/events/${eventId}/speakers`,
        );
        speakers[name] = (await app.db.selectFrom('speakers').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
      }
      const list = await (await org.get(`/manage/events/${confId}/speakers`)).text();
      assertShows(list, 'Ana Ferreira');
      assertShows(list, 'Engineer, Acme');
    });

    test('adds sessions on both days with room, track, speakers and links; the meetup gets its agenda', async () => {
      const base = `/manage/events/${confId}/sessions/new`;
      await submitOk(
        org,
        base,
        {
          kind: 'keynote',
          title: 'Opening Keynote',
          abstract: 'Why *Rust*.',
          day: '2027-05-20',
          time: '09:30',
          durationMinutes: '45',
          roomId: String(rooms['Main Hall']),
          trackId: '',
          language: 'en',
          speakerIds: [String(speakers['Ana Ferreira'])],
          'links[0].kind': 'slides',
          'links[0].title': 'Slides',
          'links[0].url': 'https://slides.example.org/keynote',
          'links[1].kind': 'video',
          'links[1].title': '',
          'links[1].url': '',
        },
        base,
        `/manage/events/${confId}/sessions`,
      );
      await submitOk(org, base, {
        kind: 'talk',
        title: 'Embedded Rust on Day Two',
        day: '2027-05-21',
        time: '11:00',
        durationMinutes: '30',
        roomId: String(rooms['Room B']),
        trackId: String(trackId),
        language: 'pt',
        speakerIds: [String(speakers['Ana Ferreira']), String(speakers['Bruno Costa'])],
      });
      const keynote = await app.db.selectFrom('sessions').selectAll().where('title', '=', 'Opening Keynote').executeTakeFirstOrThrow();
      assert.equal(keynote.starts_at, '2027-05-20T08:30:00Z', '09:30 in Lisbon summer time (UTC+1)');
      const links = await app.db.selectFrom('session_links').select(['kind', 'url']).where('session_id', '=', keynote.id).execute();
      assert.deepEqual(links, [{ kind: 'slides', url: 'https://slides.example.org/keynote' }]);

      const list = await (await org.get(`/manage/events/${confId}/sessions`)).text();
      assertShows(list, 'Opening Keynote');
      assertShows(list, '09:30–10:15');
      const day2 = await (await org.get(`/manage/events/${confId}/sessions?day=2027-05-21`)).text();
      assertShows(day2, 'Embedded Rust on Day Two');
      assert.ok(!visibleText(day2).includes('Opening Keynote'), 'the day filter narrows the list');
      const byTrack = await (await org.get(`/manage/events/${confId}/sessions?trackId=${trackId}`)).text();
      assert.ok(!visibleText(byTrack).includes('Opening Keynote') && visibleText(byTrack).includes('Embedded Rust'));

      const edit = await (await org.get(`/manage/events/${confId}/sessions/${keynote.id}`)).text();
      assert.equal(inputValue(edit, 'title'), 'Opening Keynote');
      assert.equal(inputValue(edit, 'time'), '09:30');
      assert.equal(inputValue(edit, 'links[0].url'), 'https://slides.example.org/keynote');

      const mbase = `/manage/events/${meetupId}/sessions/new`;
      for (const [kind, title, time, speaker] of [
        ['doors', 'Doors open', '18:30', ''],
        ['talk', 'Async in Practice', '19:00', 'Carla Dias'],
        ['break', 'Pizza', '19:30', ''],
        ['talk', 'Unsafe, Safely', '20:00', 'Duarte Reis'],
      ] as const) {
        await submitOk(org, mbase, {
          kind,
          title,
          day: '2027-03-10',
          time,
          durationMinutes: '30',
          roomId: String(rooms.Stage),
          speakerIds: speaker ? [String(speakers[speaker])] : [],
        });
      }
    });

    test('edits a session: moving it keeps the zone, a cancel keeps it listed, a restore brings it back', async () => {
      const s = await app.db.selectFrom('sessions').select('id').where('title', '=', 'Embedded Rust on Day Two').executeTakeFirstOrThrow();
      const page = `/manage/events/${confId}/sessions/${s.id}`;
      await submitOk(org, page, {
        kind: 'talk',
        title: 'Embedded Rust, Day Two',
        day: '2027-05-21',
        time: '14:00',
        durationMinutes: '40',
        roomId: String(rooms['Room B']),
        trackId: String(trackId),
        language: 'pt',
        speakerIds: [String(speakers['Bruno Costa'])],
      });
      const row = await app.db.selectFrom('sessions').selectAll().where('id', '=', s.id).executeTakeFirstOrThrow();
      assert.equal(row.title, 'Embedded Rust, Day Two');
      assert.equal(row.starts_at, '2027-05-21T13:00:00Z');
      assert.equal(row.duration_minutes, 40);
      const sp = await app.db.selectFrom('session_speakers').select('speaker_id').where('session_id', '=', s.id).execute();
      assert.deepEqual(
        sp.map((x) => x.speaker_id),
        [speakers['Bruno Costa']],
      );

      await expectRedirect(await org.submit(page, `${page}/cancel`, {}), `/manage/events/${confId}/sessions`);
      const cancelled = await (await org.get(`/manage/events/${confId}/sessions?status=cancelled`)).text();
      assertShows(cancelled, 'Embedded Rust, Day Two');
      assertShows(cancelled, 'cancelled');
      const again = await org.submit(page, `${page}/cancel`, {});
      assert.equal(again.status, 409, 'cancelling twice is refused');
      assertShows(await again.text(), 'Cannot cancel a session that is cancelled');
      await expectRedirect(await org.submit(page, `${page}/restore`, {}));
      assert.equal((await app.db.selectFrom('sessions').select('status').where('id', '=', s.id).executeTakeFirstOrThrow()).status, 'confirmed');
    });

    test('a room with sessions cannot be deleted: the page says which sessions are in the way', async () => {
      const before = await counts(app.db);
      const res = await org.submit(`/manage/events/${confId}/rooms`, `/manage/events/${confId}/rooms/${rooms['Main Hall']}/delete`, {});
      assert.equal(res.status, 409);
      const html = await res.text();
      assertShows(html, '"Main Hall" still has 1 confirmed session');
      assertShows(html, 'Opening Keynote');
      assert.deepEqual(await counts(app.db), before, 'nothing was written');
      await expectRedirect(
        await org.submit(`/manage/events/${confId}/rooms`, `/manage/events/${confId}/rooms/${rooms['Workshop Lab']}/delete`, {}),
        `/manage/events/${confId}/rooms`,
      );
      assert.equal(await app.db.selectFrom('rooms').select('id').where('id', '=', rooms['Workshop Lab']!).executeTakeFirst(), undefined);
    });

    test('adds a sponsor with what it provides and hosts, shown on the public page once published', async () => {
      await submitOk(org, `/manage/events/${meetupId}/sponsors`, {
        name: 'Pizza Co',
        level: 'community',
        url: 'https://pizza.example.org',
        contribution: 'the pizza',
      });
      await submitOk(org, `/manage/events/${meetupId}/hosts`, {
        'hosts[0].name': 'Hub Criativo',
        'hosts[0].role': 'venue',
        'hosts[0].url': 'https://hub.example.org',
        'hosts[1].name': 'Eva Co-Host',
        'hosts[1].role': 'co-organizer',
        'hosts[1].url': '',
        'hosts[2].name': '',
        'hosts[2].role': 'co-organizer',
        'hosts[2].url': '',
      });
      const hosts = await app.db.selectFrom('event_hosts').select(['name', 'role']).where('event_id', '=', meetupId).orderBy('position').execute();
      assert.deepEqual(hosts, [
        { name: 'Hub Criativo', role: 'venue' },
        { name: 'Eva Co-Host', role: 'co-organizer' },
      ]);
      const form = await (await org.get(`/manage/events/${meetupId}/hosts`)).text();
      assert.equal(inputValue(form, 'hosts[1].name'), 'Eva Co-Host', 'the form shows the saved rows');
    });

    test('publishing makes the public pages and the API show the events; unpublishing hides them again', async () => {
      for (const id of [confId, meetupId]) {
        await expectRedirect(await org.submit(`/manage/events/${id}`, `/manage/events/${id}/publish`, {}), `/manage/events/${id}`);
      }
      const overview = await (await org.get(`/manage/events/${confId}`)).text();
      assertShows(overview, 'is published');
      assert.match(overview, /href="\/events\/rustconf-lisbon-2027"/);

      const confPage = await app.get('/events/rustconf-lisbon-2027');
      assert.equal(confPage.status, 200);
      assertShows(await confPage.text(), 'RustConf Lisbon 2027');
      const schedule = await (await app.get('/events/rustconf-lisbon-2027/schedule')).text();
      assertShows(schedule, 'Opening Keynote');
      const api = await app.get('/api/v1/events/rustconf-lisbon-2027');
      assert.equal(api.status, 200);
      assert.equal(((await api.json()) as { data: { title: string } }).data.title, 'RustConf Lisbon 2027');
      const sessions = (await (await app.get('/api/v1/events/rustconf-lisbon-2027/sessions')).json()) as { data: Array<{ title: string }> };
      const titles = sessions.data.map((s) => s.title).sort();
      assert.deepEqual(titles, ['Embedded Rust, Day Two', 'Opening Keynote']);

      const meetup = await (await app.get('/events/rust-lisbon-12')).text();
      assertShows(meetup, 'Pizza Co');
      assertShows(meetup, 'the pizza');
      assertShows(meetup, 'Eva Co-Host');
      const agenda = await (await app.get('/events/rust-lisbon-12/schedule')).text();
      for (const t of ['Doors open', 'Async in Practice', 'Pizza', 'Unsafe, Safely']) assertShows(agenda, t);

      const twice = await org.submit(`/manage/events/${confId}`, `/manage/events/${confId}/publish`, {});
      assert.equal(twice.status, 409);
      assertShows(await twice.text(), 'Cannot publish an event that is published');

      await expectRedirect(await org.submit(`/manage/events/${confId}`, `/manage/events/${confId}/unpublish`, {}));
      assert.equal((await app.get('/events/rustconf-lisbon-2027')).status, 404);
      assert.equal((await app.get('/api/v1/events/rustconf-lisbon-2027')).status, 404);
      assert.equal((await app.get('/events/rust-lisbon-12')).status, 200, 'the other event stays public');
    });

    test('editing the event settings keeps the form filled and saves the change', async () => {
      const page = await (await org.get(`/manage/events/${meetupId}/edit`)).text();
      assert.equal(inputValue(page, 'title'), 'Rust Lisbon #12');
      assert.match(page, /<option value="Europe\/Lisbon" selected>Europe\/Lisbon<\/option>/);
      await submitOk(org, `/manage/events/${meetupId}/edit`, {
        kind: 'meetup',
        title: 'Rust Lisbon #12: Async',
        slug: 'rust-lisbon-12',
        startDate: '2027-03-10',
        endDate: '2027-03-10',
        timeZone: 'Europe/Lisbon',
        dayChange: '04:00',
        venueName: 'Hub Criativo',
        capacity: '90',
      });
      const public_ = await (await app.get('/events/rust-lisbon-12')).text();
      assertShows(public_, 'Rust Lisbon #12: Async');
      await submitOk(org, `/manage/communities/${communityId}`, { name: 'Rust Lisboa', slug: 'rust-lisbon', description: '', url: '' }, undefined, '/manage');
      assertShows(await (await org.get('/manage')).text(), 'Rust Lisboa');
    });
  });
}
