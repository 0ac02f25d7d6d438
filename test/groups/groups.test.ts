import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { createCommunity } from '../../src/modules/events/community.actions.js';
import { publishEvent } from '../../src/modules/schedule/publication.actions.js';
import { createEvent, updateEvent } from '../../src/modules/events/event.actions.js';
import { joinCommunity, leaveCommunity } from '../../src/modules/events/membership.actions.js';
import { listMembers, memberCount } from '../../src/modules/events/membership.queries.js';
import { createSeries, deleteOccurrence, generateOccurrences, updateSeries } from '../../src/modules/events/series.actions.js';
import { getSeries } from '../../src/modules/events/series.queries.js';
import { cancelEvent } from '../../src/modules/registration/event-cancel.actions.js';
import { registrationContext } from '../../src/modules/registration/rsvp.queries.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import type { WebClient } from '../support/web-client.js';
import { assertShows, expectRedirect, signedInClient, visibleText } from '../backoffice/support.js';
import { actorOf, newActor, rejectsWith } from '../program/support.js';
import { moduleContext } from '../support/module-context.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

/** The second Tuesday of each month, Feb–May 2031, 18:30–21:00 in Lisbon (summer time from 2031-03-30). */
const SERIES = {
  name: 'Cloud Native Lisbon',
  slug: 'cnl',
  titlePattern: 'Cloud Native Lisbon #{n}',
  venueName: 'LX Factory',
  capacity: '80',
  timeZone: 'Europe/Lisbon',
  startTime: '18:30',
  endTime: '21:00',
  frequency: 'monthly',
  ordinal: 'second',
  weekday: 'tuesday',
  startsOn: '2031-02-01',
  endsOn: '2031-05-31',
  agenda: [
    { kind: 'doors', title: 'Doors open', offsetMinutes: 0, durationMinutes: 30 },
    { kind: 'talk', title: 'Main talk', offsetMinutes: 30, durationMinutes: 45 },
    { kind: 'social', title: 'Pizza and networking', offsetMinutes: 75, durationMinutes: 75 },
  ],
};

async function rowCounts(app: RunningApp) {
  const n = async (t: 'events' | 'sessions' | 'event_series' | 'series_occurrences' | 'community_members') =>
    Number(
      (
        await app.db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    events: await n('events'),
    sessions: await n('sessions'),
    series: await n('event_series'),
    occurrences: await n('series_occurrences'),
    members: await n('community_members'),
  };
}

for (const database of testDatabases) {
  describe(`meetup groups and series on ${database.name}`, () => {
    let app: RunningApp;
    let owner: Actor;
    let ownerWeb: WebClient;
    let attendeeWeb: WebClient;
    let attendee: Actor;
    let communityId: number;

    before(async () => {
      app = await startTestApp({ database });
      const o = await signedInClient(app.url, app.db, 'Olga Owner', { mayCreateCommunities: true });
      const community = await createCommunity(moduleContext(app.db), await actorOf(app.db, o.user.id), {
        slug: 'cloud-native-lisbon',
        name: 'Cloud Native Lisbon',
        description: 'Monthly **cloud native** talks.',
      });
      communityId = community.id;
      owner = await actorOf(app.db, o.user.id);
      ownerWeb = o.client;
      const a = await signedInClient(app.url, app.db, 'Ann Attendee');
      attendee = await actorOf(app.db, a.user.id);
      attendeeWeb = a.client;
    });
    after(() => app.close());

    test('joining and leaving are idempotent and counted', async () => {
      const bob = await newActor(app.db, 'Bob Member');
      assert.deepEqual(await joinCommunity(moduleContext(app.db), attendee, communityId), { communityId, member: true, memberCount: 1 });
      assert.deepEqual(await joinCommunity(moduleContext(app.db), attendee, communityId), { communityId, member: true, memberCount: 1 });
      assert.equal((await joinCommunity(moduleContext(app.db), bob, communityId)).memberCount, 2);
      assert.deepEqual(await leaveCommunity(moduleContext(app.db), bob, communityId), { communityId, member: false, memberCount: 1 });
      assert.deepEqual(await leaveCommunity(moduleContext(app.db), bob, communityId), { communityId, member: false, memberCount: 1 });
      await Promise.all([joinCommunity(moduleContext(app.db), bob, communityId), joinCommunity(moduleContext(app.db), bob, communityId)]);
      assert.equal(await memberCount(app.db, communityId), 2);
      await leaveCommunity(moduleContext(app.db), bob, communityId);
      await rejectsWith(joinCommunity(moduleContext(app.db), null, communityId), 'FORBIDDEN');
      await rejectsWith(joinCommunity(moduleContext(app.db), attendee, 999_999), 'NOT_FOUND');
    });

    test('join and leave without JavaScript: public page → confirm page → POST, counted on the public page', async () => {
      const carl = await signedInClient(app.url, app.db, 'Carl Newcomer');
      const page = await (await app.get('/communities/cloud-native-lisbon')).text();
      assert.match(page, /<form method="get" action="\/communities\/cloud-native-lisbon\/membership"/);
      assert.doesNotMatch(page, /_csrf/);
      assertShows(page, '1 member');
      // Signed out, the confirm page asks to sign in first.
      const anon = await app.get('/communities/cloud-native-lisbon/membership', { redirect: 'manual' });
      assert.equal(anon.status, 303);
      assert.match(anon.headers.get('location') ?? '', /^\/sign-in\?next=/);
      const confirm = await (await carl.client.get('/communities/cloud-native-lisbon/membership')).text();
      assertShows(confirm, 'You are not a member of this group yet.');
      await expectRedirect(
        await carl.client.submit('/communities/cloud-native-lisbon/membership', '/communities/cloud-native-lisbon/join', {}),
        '/communities/cloud-native-lisbon/membership',
      );
      const member = await (await carl.client.get('/communities/cloud-native-lisbon/membership')).text();
      assertShows(member, 'You are a member of Cloud Native Lisbon.');
      assertShows(member, 'Leave this group');
      assertShows(await (await app.get('/communities/cloud-native-lisbon')).text(), '2 members');
      // Without a CSRF token nothing happens.
      assert.equal((await carl.client.post('/communities/cloud-native-lisbon/leave', {})).status, 403);
      await expectRedirect(
        await carl.client.submit('/communities/cloud-native-lisbon/membership', '/communities/cloud-native-lisbon/leave', {}),
        '/communities/cloud-native-lisbon/membership',
      );
      assertShows(await (await app.get('/communities/cloud-native-lisbon')).text(), '1 member');
    });

    test('the member list is for organizers only, with e-mail addresses and community roles', async () => {
      await joinCommunity(moduleContext(app.db), owner, communityId);
      const list = await listMembers(app.db, owner, communityId);
      // Joined within the same second (join times are stored to the second), so compared by name.
      const byName = list.members.map((m) => [m.displayName, m.roles] as const).sort((a, b) => a[0].localeCompare(b[0]));
      assert.deepEqual(byName, [
        ['Ann Attendee', []],
        ['Olga Owner', ['owner']],
      ]);
      await rejectsWith(listMembers(app.db, attendee, communityId), 'FORBIDDEN');
      const page = await ownerWeb.get(`/manage/communities/${communityId}/members`);
      assert.equal(page.status, 200);
      const html = await page.text();
      assertShows(html, 'Ann Attendee');
      assert.match(html, /ann\.attendee\.\d+@example\.org/);
      const refused = await attendeeWeb.get(`/manage/communities/${communityId}/members`);
      assert.equal(refused.status, 403);
      assert.doesNotMatch(await refused.text(), /@example\.org/);
      await leaveCommunity(moduleContext(app.db), owner, communityId);
    });

    test('bad series input is refused with field errors and nothing is written', async () => {
      const before = await rowCounts(app);
      const paths = async (input: Record<string, unknown>) =>
        (await rejectsWith(createSeries(moduleContext(app.db), owner, communityId, { ...SERIES, ...input }), 'VALIDATION_FAILED')).problems.map((p) => p.path);
      assert.deepEqual(await paths({ weekday: 'funday' }), ['weekday']);
      assert.deepEqual(await paths({ endsOn: '2031-01-01' }), ['endsOn']);
      assert.deepEqual(await paths({ count: '61' }), ['count']);
      assert.deepEqual(await paths({ frequency: 'weekly', endsOn: '2033-01-01' }), ['endsOn']);
      assert.deepEqual(await paths({ endsOn: '', count: '' }), ['endsOn']);
      assert.deepEqual(await paths({ ordinal: '' }), ['ordinal']);
      assert.deepEqual(await paths({ timeZone: 'Mars/Olympus' }), ['timeZone']);
      // Through the form: the page again, each message next to its field.
      const res = await ownerWeb.submit(`/manage/communities/${communityId}/series`, `/manage/communities/${communityId}/series`, {
        ...flat(SERIES),
        weekday: 'funday',
        endsOn: '2030-01-01',
        intent: 'save',
      });
      assert.equal(res.status, 422);
      const html = await res.text();
      assert.match(html, /id="f-weekday-error"/);
      assertShows(html, 'Weekday: must be one of monday');
      assert.deepEqual(await rowCounts(app), before);
    });

    test('an attendee cannot create or generate a series (403)', async () => {
      await rejectsWith(createSeries(moduleContext(app.db), attendee, communityId, SERIES), 'FORBIDDEN');
      const page = await attendeeWeb.get(`/manage/communities/${communityId}/series`);
      assert.equal(page.status, 403);
    });

    test('generation makes draft events at the right UTC instants with their agenda, idempotently; one occurrence edited or cancelled alone stays so', async () => {
      const series = await createSeries(moduleContext(app.db), owner, communityId, SERIES);
      const first = await generateOccurrences(moduleContext(app.db), owner, series.id);
      assert.deepEqual(
        first.created.map((c) => [c.date, c.slug, c.title]),
        [
          ['2031-02-11', 'cnl-2031-02-11', 'Cloud Native Lisbon #1'],
          ['2031-03-11', 'cnl-2031-03-11', 'Cloud Native Lisbon #2'],
          ['2031-04-08', 'cnl-2031-04-08', 'Cloud Native Lisbon #3'],
          ['2031-05-13', 'cnl-2031-05-13', 'Cloud Native Lisbon #4'],
        ],
      );
      const events = await app.db.selectFrom('events').selectAll().where('slug', 'like', 'cnl-%').orderBy('start_date').execute();
      assert.deepEqual(
        events.map((e) => [e.published, e.capacity, e.venue_name, e.time_zone, e.start_date, e.end_date]),
        [
          [0, 80, 'LX Factory', 'Europe/Lisbon', '2031-02-11', '2031-02-11'],
          [0, 80, 'LX Factory', 'Europe/Lisbon', '2031-03-11', '2031-03-11'],
          [0, 80, 'LX Factory', 'Europe/Lisbon', '2031-04-08', '2031-04-08'],
          [0, 80, 'LX Factory', 'Europe/Lisbon', '2031-05-13', '2031-05-13'],
        ],
      );
      const sessionsOf = async (eventId: number) =>
        (
          await app.db.selectFrom('sessions').select(['kind', 'title', 'starts_at', 'ends_at']).where('event_id', '=', eventId).orderBy('starts_at').execute()
        ).map((s) => [s.kind, s.title, s.starts_at, s.ends_at]);
      // Winter (WET = UTC): 18:30 is 18:30Z. Summer (WEST = UTC+1): 18:30 is 17:30Z.
      assert.deepEqual(await sessionsOf(events[0]!.id), [
        ['doors', 'Doors open', '2031-02-11T18:30:00Z', '2031-02-11T19:00:00Z'],
        ['talk', 'Main talk', '2031-02-11T19:00:00Z', '2031-02-11T19:45:00Z'],
        ['social', 'Pizza and networking', '2031-02-11T19:45:00Z', '2031-02-11T21:00:00Z'],
      ]);
      assert.deepEqual(await sessionsOf(events[2]!.id), [
        ['doors', 'Doors open', '2031-04-08T17:30:00Z', '2031-04-08T18:00:00Z'],
        ['talk', 'Main talk', '2031-04-08T18:00:00Z', '2031-04-08T18:45:00Z'],
        ['social', 'Pizza and networking', '2031-04-08T18:45:00Z', '2031-04-08T20:00:00Z'],
      ]);

      const counts = await rowCounts(app);
      const again = await generateOccurrences(moduleContext(app.db), owner, series.id);
      assert.deepEqual(again.created, []);
      assert.deepEqual(again.alreadyGenerated, ['2031-02-11', '2031-03-11', '2031-04-08', '2031-05-13']);
      assert.deepEqual(await rowCounts(app), counts);

      // One occurrence edited, one cancelled, one deleted: each alone.
      await updateEvent(moduleContext(app.db), owner, events[0]!.id, { title: 'Cloud Native Lisbon #1: KubeCon recap', venueName: 'Another venue' });
      const rctx = await registrationContext(app.db, app.hallway.ctx.config, app.hallway.ctx.clock);
      await cancelEvent(app.db, rctx, owner, events[1]!.id, { reason: 'The venue is closed' });
      await rejectsWith(cancelEvent(app.db, rctx, owner, events[1]!.id, { reason: 'Again' }), 'EVENT_ALREADY_CANCELLED');
      await rejectsWith(cancelEvent(app.db, rctx, attendee, events[3]!.id, { reason: 'Not mine' }), 'FORBIDDEN');
      await deleteOccurrence(moduleContext(app.db), owner, events[2]!.id);
      // Template changed later: only dates not generated yet follow it.
      await updateSeries(moduleContext(app.db), owner, series.id, { venueName: 'New Venue', endsOn: '2031-07-31' });
      const third = await generateOccurrences(moduleContext(app.db), owner, series.id);
      assert.deepEqual(
        third.created.map((c) => c.date),
        ['2031-06-10', '2031-07-08'],
      );
      const after = await app.db
        .selectFrom('events')
        .select(['slug', 'title', 'venue_name', 'cancelled_at'])
        .where('slug', 'like', 'cnl-%')
        .orderBy('start_date')
        .execute();
      assert.deepEqual(
        after.map((e) => [e.slug, e.title, e.venue_name, e.cancelled_at !== null]),
        [
          ['cnl-2031-02-11', 'Cloud Native Lisbon #1: KubeCon recap', 'Another venue', false],
          ['cnl-2031-03-11', 'Cloud Native Lisbon #2', 'LX Factory', true],
          ['cnl-2031-05-13', 'Cloud Native Lisbon #4', 'LX Factory', false],
          ['cnl-2031-06-10', 'Cloud Native Lisbon #5', 'New Venue', false],
          ['cnl-2031-07-08', 'Cloud Native Lisbon #6', 'New Venue', false],
        ],
      );
      const view = await getSeries(app.db, owner, series.id);
      assert.deepEqual(
        view.occurrences.map((o) => [o.date, o.eventId === null, o.cancelled]),
        [
          ['2031-02-11', false, false],
          ['2031-03-11', false, true],
          ['2031-04-08', true, false],
          ['2031-05-13', false, false],
          ['2031-06-10', false, false],
          ['2031-07-08', false, false],
        ],
      );
      // A published occurrence cannot be deleted (cancel it instead).
      await publishEvent(moduleContext(app.db), owner, events[3]!.id);
      await rejectsWith(deleteOccurrence(moduleContext(app.db), owner, events[3]!.id), 'OCCURRENCE_NOT_DELETABLE');
    });

    test('back-office series pages: preview computed on the server, create, generate, occurrences linked', async () => {
      const listPath = `/manage/communities/${communityId}/series`;
      const fields = {
        ...flat({
          ...SERIES,
          slug: 'k8s-nights',
          name: 'K8s Nights',
          titlePattern: 'K8s Night – {month}',
          frequency: 'weekly',
          intervalWeeks: '4',
          weekday: 'wednesday',
          ordinal: '',
          startsOn: '2031-01-01',
          endsOn: '',
          count: '3',
        }),
      };
      const preview = await ownerWeb.submit(listPath, listPath, { ...fields, intent: 'preview' });
      assert.equal(preview.status, 200);
      const text = visibleText(await preview.text());
      assert.ok(text.includes('every 4 weeks on Wednesday'), text.slice(0, 2000));
      assert.ok(text.includes('2031-01-01 K8s Night – January 2031 18:30–21:00 2031-01-01T18:30:00Z'), text.slice(0, 3000));
      assert.ok(text.includes('2031-02-26'));
      assert.equal(await app.db.selectFrom('event_series').select('id').where('slug', '=', 'k8s-nights').executeTakeFirst(), undefined);
      const to = await expectRedirect(await ownerWeb.submit(listPath, listPath, { ...fields, intent: 'save' }), /^\/manage\/series\/\d+$/);
      const seriesPage = await (await ownerWeb.get(to)).text();
      assertShows(seriesPage, 'Dates still to generate');
      assertShows(seriesPage, '2031-01-29');
      await expectRedirect(await ownerWeb.submit(to, `${to}/generate`, {}), to);
      const done = await (await ownerWeb.get(to)).text();
      assertShows(done, '3 draft events created; 0 dates were already generated.');
      const ids = (await app.db.selectFrom('events').select('id').where('slug', 'like', 'k8s-nights-%').orderBy('start_date').execute()).map((e) => e.id);
      assert.equal(ids.length, 3);
      for (const id of ids) assert.match(done, new RegExp(`href="/manage/events/${id}"`));
      assertShows(await (await ownerWeb.get(listPath)).text(), 'K8s Nights');
    });

    test('the public community page lists upcoming and past events and changes when they change', async () => {
      const mk = async (slug: string, title: string, date: string) => {
        const e = await createEvent(moduleContext(app.db), owner, {
          communityId,
          slug,
          kind: 'meetup',
          title,
          timeZone: 'Europe/Lisbon',
          startDate: date,
          endDate: date,
        });
        await publishEvent(moduleContext(app.db), owner, e.id);
        return e;
      };
      await mk('cnl-2020', 'Lisbon 2020 meetup', '2020-03-10');
      const next = await mk('cnl-2032', 'Lisbon 2032 meetup', '2032-03-09');
      const res = await app.get('/communities/cloud-native-lisbon');
      assert.equal(res.status, 200);
      const etag = res.headers.get('etag');
      const text = visibleText(await res.text());
      assert.ok(text.includes('Monthly cloud native talks.'));
      assert.ok(text.includes('organized by Olga Owner'));
      const upcoming = text.slice(text.indexOf('Upcoming events'), text.indexOf('Past events'));
      const past = text.slice(text.indexOf('Past events'));
      assert.ok(upcoming.includes('Lisbon 2032 meetup') && !upcoming.includes('Lisbon 2020 meetup'), upcoming);
      assert.ok(past.includes('Lisbon 2020 meetup') && !past.includes('Lisbon 2032 meetup'), past);
      // Drafts (the generated occurrences) are not shown; a published one is.
      assert.ok(upcoming.includes('Cloud Native Lisbon #4') && !upcoming.includes('Cloud Native Lisbon #5'), upcoming);
      assert.equal((await app.get('/communities/cloud-native-lisbon', { headers: { 'if-none-match': etag! } })).status, 304);
      await updateEvent(moduleContext(app.db), owner, next.id, { title: 'Lisbon 2032 special' });
      const changed = await app.get('/communities/cloud-native-lisbon', { headers: { 'if-none-match': etag! } });
      assert.equal(changed.status, 200);
      assertShows(await changed.text(), 'Lisbon 2032 special');
      assert.equal((await app.get('/communities/nope')).status, 404);
    });
  });
}

/** A series input as form fields (agenda rows as agenda[i].field). */
function flat(input: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(input)) {
    if (k === 'agenda')
      (v as Array<Record<string, unknown>>).forEach((row, i) => Object.entries(row).forEach(([f, x]) => (out[`agenda[${i}].${f}`] = String(x))));
    else out[k] = String(v ?? '');
  }
  return out;
}
