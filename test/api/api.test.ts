import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nameBasedUuid } from '../../src/lib/guid.js';
import { toEventDocument } from '../../src/modules/schedule/event-document.js';
import { importEventDocument } from '../../src/modules/schedule/import.actions.js';
import { findEventHead, loadProgramSnapshot } from '../../src/modules/schedule/snapshot.queries.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { ApiClient } from './support/api-client.js';
import { allDocs } from './support/docs.js';
import { moduleContext, TEST_OPERATOR } from '../support/module-context.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const E = '/api/v1/events/testconf-2027';

for (const database of testDatabases) {
  describe(`API v1 on ${database.name}`, () => {
    let app: RunningApp;
    let api: ApiClient;
    let base: string;
    before(async () => {
      app = await startTestApp({ database, docs: allDocs() });
      api = new ApiClient(app);
      base = app.hallway.ctx.config.baseUrl;
    });
    after(async () => {
      await app.close();
    });

    const codes = async (path: string) => {
      const r = await api.get(path);
      assert.equal(r.status, 200, `${path}: ${r.text}`);
      return (r.body.data as { code: string }[]).map((x) => x.code);
    };
    const links = (slug: string) => {
      const a = `${base}/api/v1/events/${slug}`;
      return {
        self: a,
        html: `${base}/events/${slug}`,
        days: `${a}/days`,
        rooms: `${a}/rooms`,
        tracks: `${a}/tracks`,
        sessions: `${a}/sessions`,
        speakers: `${a}/speakers`,
        sponsors: `${a}/sponsors`,
        export: `${a}/export`,
      };
    };

    test('the event list has the published events, earliest first, with absolute links', async () => {
      const r = await api.get('/api/v1/events');
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.ok(base.startsWith('http://'), base);
      assert.deepEqual(r.body, {
        data: [
          {
            slug: 'meetup-2027-03',
            kind: 'meetup',
            title: 'Test Meetup March',
            acronym: '',
            timeZone: 'Europe/Amsterdam',
            startDate: '2027-03-10',
            endDate: '2027-03-10',
            venue: { name: 'Meetup Space' },
            cancelled: false,
            community: { slug: 'test-community', name: 'Test Community' },
            links: links('meetup-2027-03'),
          },
          {
            slug: 'testconf-2027',
            kind: 'conference',
            title: 'TestConf 2027',
            acronym: 'testconf',
            timeZone: 'Europe/Amsterdam',
            startDate: '2027-04-15',
            endDate: '2027-04-16',
            venue: { name: 'Test Venue' },
            cancelled: false,
            community: { slug: 'test-community', name: 'Test Community' },
            links: links('testconf-2027'),
          },
        ],
      });
    });

    test('an event is the document’s event object with community, counts and links', async () => {
      const r = await api.get(E);
      assert.equal(r.status, 200);
      assert.deepEqual(r.body, {
        data: {
          slug: 'testconf-2027',
          kind: 'conference',
          title: 'TestConf 2027',
          acronym: 'testconf',
          timeZone: 'Europe/Amsterdam',
          startDate: '2027-04-15',
          endDate: '2027-04-16',
          dayChange: '04:00',
          venue: { name: 'Test Venue', address: 'Teststraat 1, 1011 AB Amsterdam', url: null },
          description: 'A test conference.',
          codeOfConductUrl: null,
          url: null,
          capacity: null,
          published: true,
          cancelledAt: null,
          cancellationReason: null,
          hosts: [],
          community: { slug: 'test-community', name: 'Test Community', description: '', url: null },
          counts: { days: 2, rooms: 2, tracks: 2, sessions: 5, speakers: 3, sponsors: 1 },
          links: links('testconf-2027'),
        },
      });
    });

    test('days give the span of their sessions with the event’s offset', async () => {
      assert.deepEqual((await api.get(`${E}/days`)).body, {
        data: [
          { date: '2027-04-15', start: '2027-04-15T09:00:00+02:00', end: '2027-04-15T11:00:00+02:00', sessionCount: 4 },
          { date: '2027-04-16', start: '2027-04-16T09:00:00+02:00', end: '2027-04-16T09:30:00+02:00', sessionCount: 1 },
        ],
      });
      // Before the daylight-saving change Amsterdam is at +01:00.
      assert.deepEqual((await api.get('/api/v1/events/meetup-2027-03/days')).body, {
        data: [{ date: '2027-03-10', start: '2027-03-10T18:30:00+01:00', end: '2027-03-10T21:00:00+01:00', sessionCount: 3 }],
      });
    });

    test('rooms, tracks and sponsors are listed in display order with the document’s fields', async () => {
      assert.deepEqual((await api.get(`${E}/rooms`)).body, {
        data: [
          { name: 'Main Hall', description: '', capacity: 300 },
          { name: 'Side Room', description: '', capacity: 80 },
        ],
      });
      assert.deepEqual((await api.get(`${E}/tracks`)).body, {
        data: [
          { name: 'Platform', slug: 'platform', color: '#1f77b4', description: '' },
          { name: 'Security', slug: 'security', color: '#d62728', description: '' },
        ],
      });
      assert.deepEqual((await api.get(`${E}/sponsors`)).body, {
        data: [{ name: 'Coffee Corp', level: 'gold', url: 'https://coffee.example.org', logoUrl: null, contribution: 'Coffee' }],
      });
    });

    test('sessions come in start order with document fields, end, day, url and speaker details', async () => {
      assert.deepEqual(await codes(`${E}/sessions`), ['welcome', 'keynote', 'coffee', 'ebpf', 'day2']);
      const list = (await api.get(`${E}/sessions`)).body.data as { code: string }[];
      const keynote = {
        code: 'keynote',
        guid: nameBasedUuid('testconf-2027/keynote'),
        kind: 'keynote',
        status: 'confirmed',
        title: 'The Keynote',
        subtitle: '',
        abstract: '',
        language: 'en',
        level: null,
        track: 'Platform',
        room: 'Main Hall',
        sponsoredBy: null,
        start: '2027-04-15T09:15:00+02:00',
        durationMinutes: 45,
        speakers: ['grace'],
        links: [],
        end: '2027-04-15T10:00:00+02:00',
        day: '2027-04-15',
        url: `${base}/events/testconf-2027/sessions/keynote`,
        speakerDetails: [{ code: 'grace', name: 'Grace Sample' }],
      };
      assert.deepEqual(list[1], keynote);
      assert.deepEqual((await api.get(`${E}/sessions/keynote`)).body, { data: keynote });

      const day2 = (await api.get(`${E}/sessions/day2`)).body.data;
      assert.deepEqual(day2.speakers, ['ada', 'grace']);
      assert.deepEqual(day2.speakerDetails, [
        { code: 'ada', name: 'Ada Example' },
        { code: 'grace', name: 'Grace Sample' },
      ]);
      assert.deepEqual(day2.links, [{ kind: 'slides', title: 'Slides', url: 'https://slides.example.org/day2' }]);
      assert.equal(day2.start, '2027-04-16T09:00:00+02:00');
      assert.equal(day2.durationMinutes, 30);

      const coffee = (await api.get(`${E}/sessions/coffee`)).body.data;
      assert.equal(coffee.room, null);
      assert.equal(coffee.track, null);
      assert.equal(coffee.url, `${base}/events/testconf-2027/sessions/coffee`);
      assert.deepEqual(coffee.speakers, []);
    });

    test('session and speaker fields named like the document carry the document’s values', async () => {
      const doc = (await api.get(`${E}/export`)).body;
      const sessions = (await api.get(`${E}/sessions`)).body.data as Record<string, unknown>[];
      assert.deepEqual(
        sessions.map((s) => Object.fromEntries(Object.keys(doc.sessions[0]).map((k) => [k, s[k]]))),
        doc.sessions,
      );
      const speakers = (await api.get(`${E}/speakers`)).body.data as Record<string, unknown>[];
      assert.deepEqual(
        speakers.map((s) => Object.fromEntries(Object.keys(doc.speakers[0]).map((k) => [k, s[k]]))),
        doc.speakers,
      );
    });

    test('a meetup’s times carry the winter offset', async () => {
      const r = await api.get('/api/v1/events/meetup-2027-03/sessions');
      assert.deepEqual(
        r.body.data.map((s: { code: string; start: string; end: string; url: string }) => [s.code, s.start, s.end, s.url]),
        [
          ['doors', '2027-03-10T18:30:00+01:00', '2027-03-10T19:00:00+01:00', `${base}/events/meetup-2027-03/sessions/doors`],
          ['rust-intro', '2027-03-10T19:00:00+01:00', '2027-03-10T19:40:00+01:00', `${base}/events/meetup-2027-03/sessions/rust-intro`],
          ['drinks', '2027-03-10T20:00:00+01:00', '2027-03-10T21:00:00+01:00', `${base}/events/meetup-2027-03/sessions/drinks`],
        ],
      );
      assert.equal(r.body.data[1].level, 'beginner');
    });

    test('speakers are listed in display order with their sessions; one speaker by code', async () => {
      assert.deepEqual(await codes(`${E}/speakers`), ['ada', 'grace', 'linus']);
      assert.deepEqual((await api.get(`${E}/speakers/grace`)).body, {
        data: {
          code: 'grace',
          name: 'Grace Sample',
          jobTitle: 'CTO',
          company: 'Compilers Inc',
          bio: 'Grace builds compilers.',
          avatarUrl: null,
          handles: { mastodon: '@grace@hachyderm.io' },
          sessions: ['keynote', 'day2'],
          url: `${base}/events/testconf-2027/speakers/grace`,
        },
      });
      assert.deepEqual((await api.get(`${E}/speakers/ada`)).body.data.sessions, ['welcome', 'day2']);
      assert.deepEqual((await api.get(`${E}/speakers/linus`)).body.data.handles, {});
    });

    test('filters return exactly the matching sessions and combine with AND', async () => {
      assert.deepEqual(await codes(`${E}/sessions?day=2027-04-15`), ['welcome', 'keynote', 'coffee', 'ebpf']);
      assert.deepEqual(await codes(`${E}/sessions?day=2027-04-16`), ['day2']);
      assert.deepEqual(await codes(`${E}/sessions?room=Main%20Hall`), ['welcome', 'keynote', 'day2']);
      assert.deepEqual(await codes(`${E}/sessions?room=Side+Room`), ['ebpf']);
      assert.deepEqual(await codes(`${E}/sessions?track=Platform`), ['keynote', 'day2']);
      assert.deepEqual(await codes(`${E}/sessions?track=Security`), ['ebpf']);
      // The slug, as the web pages' ?track= and /tracks give it, works the same.
      assert.deepEqual(await codes(`${E}/sessions?track=platform`), ['keynote', 'day2']);
      assert.deepEqual(await codes(`${E}/sessions?kind=break`), ['coffee']);
      assert.deepEqual(await codes(`${E}/sessions?kind=talk`), ['ebpf', 'day2']);
      assert.deepEqual(await codes(`${E}/sessions?kind=workshop`), []);
      assert.deepEqual(await codes(`${E}/sessions?day=2027-04-15&room=Main%20Hall&track=Platform`), ['keynote']);
      assert.deepEqual(await codes(`${E}/sessions?day=2027-04-16&kind=keynote`), []);
    });

    test('a bad filter value is a 422 naming the parameter', async () => {
      const problems = async (query: string) => {
        const r = await api.get(`${E}/sessions?${query}`);
        assert.equal(r.status, 422, query);
        assert.equal(r.headers.get('etag'), null, 'an error is not cached');
        assert.equal(r.body.error.code, 'VALIDATION_FAILED');
        assert.equal(r.body.error.status, 422);
        assert.match(r.body.error.message, /^The input has \d+ problems?; nothing was changed\.$/);
        return r.body.error.problems as { path: string; message: string }[];
      };
      assert.deepEqual(
        (await problems('day=tomorrow')).map((p) => p.path),
        ['querystring.day'],
      );
      assert.deepEqual(await problems('day=2027-04-20'), [
        { path: 'querystring.day', message: '"2027-04-20" is not a day of this event (2027-04-15 to 2027-04-16)' },
      ]);
      assert.deepEqual(await problems('room=Ballroom'), [{ path: 'querystring.room', message: 'unknown room "Ballroom"' }]);
      assert.deepEqual(await problems('track=Cooking'), [
        { path: 'querystring.track', message: 'unknown track "Cooking" (give its slug or name: platform, security)' },
      ]);
      assert.deepEqual(await problems('kind=seminar'), [
        { path: 'querystring.kind', message: 'must be one of keynote, talk, lightning, panel, workshop, remarks, break, meal, doors, social' },
      ]);
      assert.deepEqual(
        (await problems('room=')).map((p) => p.path),
        ['querystring.room'],
      );
      assert.deepEqual(await problems('room=Ballroom&track=Cooking'), [
        { path: 'querystring.room', message: 'unknown room "Ballroom"' },
        { path: 'querystring.track', message: 'unknown track "Cooking" (give its slug or name: platform, security)' },
      ]);
    });

    test('unknown events, sessions, speakers and paths are 404s in the error shape', async () => {
      const error = async (path: string) => {
        const r = await api.get(path);
        assert.equal(r.status, 404, path);
        assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
        return r.body;
      };
      assert.deepEqual(await error('/api/v1/events/nope-2027'), {
        error: { code: 'EVENT_NOT_FOUND', message: 'No published event "nope-2027".', status: 404, problems: [] },
      });
      assert.equal((await error('/api/v1/events/nope-2027/sessions?day=2027-04-15')).error.code, 'EVENT_NOT_FOUND');
      assert.equal((await error('/api/v1/events/nope-2027/export')).error.code, 'EVENT_NOT_FOUND');
      assert.deepEqual(await error(`${E}/sessions/nope`), {
        error: { code: 'SESSION_NOT_FOUND', message: 'No session "nope" in this event.', status: 404, problems: [] },
      });
      assert.deepEqual(await error(`${E}/speakers/nope`), {
        error: { code: 'SPEAKER_NOT_FOUND', message: 'No speaker "nope" in this event.', status: 404, problems: [] },
      });
      assert.deepEqual(await error('/api/v1/nope'), { error: { code: 'NOT_FOUND', message: 'Nothing at /api/v1/nope.', status: 404, problems: [] } });
      assert.deepEqual(await error(`${E}/sessions/keynote/extra`), {
        error: { code: 'NOT_FOUND', message: `Nothing at ${E}/sessions/keynote/extra.`, status: 404, problems: [] },
      });
      assert.deepEqual(await error('/api/v2/events'), { error: { code: 'NOT_FOUND', message: 'Nothing at /api/v2/events.', status: 404, problems: [] } });
    });

    test('an unpublished event is invisible in the list and every route', async () => {
      const list = (await api.get('/api/v1/events')).body.data as { slug: string }[];
      assert.deepEqual(
        list.map((e) => e.slug),
        ['meetup-2027-03', 'testconf-2027'],
      );
      for (const path of ['', '/days', '/rooms', '/tracks', '/sponsors', '/speakers', '/speakers/ada', '/sessions', '/sessions/hidden-talk', '/export']) {
        const r = await api.get(`/api/v1/events/unpublished-2027${path}`);
        assert.equal(r.status, 404, path);
        assert.deepEqual(r.body, { error: { code: 'EVENT_NOT_FOUND', message: 'No published event "unpublished-2027".', status: 404, problems: [] } });
      }
    });

    test('every API answer allows any origin without credentials', async () => {
      for (const path of ['/api/v1/events', `${E}/sessions`, `${E}/sessions?kind=nope`, '/api/v1/events/nope', '/api/v1/nope', '/api/openapi.json']) {
        const r = await app.get(path);
        assert.equal(r.headers.get('access-control-allow-origin'), '*', path);
        assert.equal(r.headers.get('access-control-allow-credentials'), null, path);
      }
      const first = await api.get(`${E}/rooms`);
      const notModified = await api.get(`${E}/rooms`, { headers: { 'If-None-Match': first.headers.get('etag')! } });
      assert.equal(notModified.status, 304);
      assert.equal(notModified.headers.get('access-control-allow-origin'), '*');
      assert.equal(first.headers.get('access-control-expose-headers'), 'ETag, Last-Modified');
      const preflight = await app.get(`${E}/sessions`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://schedule-app.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'if-none-match' },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
      assert.equal(preflight.headers.get('access-control-allow-methods'), 'GET, HEAD, OPTIONS');
      assert.match(preflight.headers.get('access-control-allow-headers')!, /If-None-Match/);
    });

    test('the export is the stored event’s document, and importing it changes nothing', async () => {
      const r = await api.get(`${E}/export`);
      assert.equal(r.status, 200);
      const head = await findEventHead(app.db, 'testconf-2027');
      assert.deepEqual(r.body, toEventDocument((await loadProgramSnapshot(app.db, head!.id))!));
      assert.equal(r.body.format, 'hallway-event/1');
      assert.equal(r.body.sessions[1].start, '2027-04-15T09:15:00+02:00');
      const summary = await importEventDocument(moduleContext(app.db), TEST_OPERATOR, r.body);
      assert.equal(summary.changed, false);
      assert.equal((await findEventHead(app.db, 'testconf-2027'))!.version, head!.version);
    });

    test('a repeat request is served from cache; a matching If-None-Match is a 304', async () => {
      const path = `${E}/sessions?day=2027-04-15`;
      const first = await api.get(path);
      const etag = first.headers.get('etag')!;
      assert.match(etag, /^W\/".+"$/);
      assert.equal(first.headers.get('cache-control'), 'public, no-cache');
      assert.ok(first.headers.get('last-modified'));
      const again = await api.get(path);
      assert.equal(again.headers.get('x-cache'), 'hit');
      assert.equal(again.text, first.text);
      assert.equal(again.headers.get('etag'), etag);
      const notModified = await api.get(path, { headers: { 'If-None-Match': etag } });
      assert.equal(notModified.status, 304);
      assert.equal(notModified.text, '');
      assert.notEqual((await api.get(`${E}/sessions?day=2027-04-16`)).headers.get('etag'), etag, 'each URL has its own ETag');
      const listTag = (await api.get('/api/v1/events')).headers.get('etag')!;
      assert.equal((await api.get('/api/v1/events', { headers: { 'If-None-Match': listTag } })).status, 304);
    });

    // Last: it changes the conference.
    test('after a re-import of an edited document the ETag changes and the change is visible', async () => {
      const sessionPath = `${E}/sessions/keynote`;
      const oldTag = (await api.get(sessionPath)).headers.get('etag')!;
      const oldListTag = (await api.get('/api/v1/events')).headers.get('etag')!;
      const doc = buildEventDoc();
      const keynote = doc.sessions!.find((s) => s.code === 'keynote')!;
      keynote.title = 'The Keynote, Revised';
      keynote.durationMinutes = 40;
      doc.event.title = 'TestConf 2027 (revised)';
      const summary = await importEventDocument(moduleContext(app.db), TEST_OPERATOR, doc);
      assert.equal(summary.changed, true);

      const r = await api.get(sessionPath, { headers: { 'If-None-Match': oldTag } });
      assert.equal(r.status, 200);
      assert.notEqual(r.headers.get('etag'), oldTag);
      assert.equal(r.body.data.title, 'The Keynote, Revised');
      assert.equal(r.body.data.durationMinutes, 40);
      assert.equal(r.body.data.end, '2027-04-15T09:55:00+02:00');
      assert.equal((await api.get(sessionPath, { headers: { 'If-None-Match': r.headers.get('etag')! } })).status, 304);

      const list = await api.get('/api/v1/events', { headers: { 'If-None-Match': oldListTag } });
      assert.equal(list.status, 200);
      assert.notEqual(list.headers.get('etag'), oldListTag);
      assert.equal(list.body.data[1].title, 'TestConf 2027 (revised)');
    });

    test('every answer in this suite matched its OpenAPI schema', () => {
      assert.ok(api.checked > 60, `only ${api.checked} responses were checked`);
    });
  });
}
