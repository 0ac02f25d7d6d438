import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { importEventDocument } from '../../src/modules/schedule/import.actions.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { startTestApp, type RunningApp } from '../support/app.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { dstDoc, midnightDoc } from './support.js';
import { moduleContext, TEST_OPERATOR } from '../support/module-context.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

/** The VEVENTs of a calendar as maps of property name (without parameters) to unfolded value. */
function vevents(ics: string): Array<Record<string, string>> {
  const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n');
  const out: Array<Record<string, string>> = [];
  let cur: Record<string, string> | null = null;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') cur = {};
    else if (line === 'END:VEVENT') {
      out.push(cur!);
      cur = null;
    } else if (cur) {
      const i = line.indexOf(':');
      cur[line.slice(0, i).split(';')[0]!] = line.slice(i + 1);
    }
  }
  return out;
}

for (const database of testDatabases) {
  describe(`schedule exports over HTTP on ${database.name}`, () => {
    let app: RunningApp;
    let host: string;
    before(async () => {
      app = await startTestApp({
        database,
        docs: [buildEventDoc(), dstDoc(), midnightDoc(), buildEventDoc({ slug: 'hidden-2027', event: { published: false }, sessions: [] })],
      });
      host = new URL(app.hallway.ctx.config.baseUrl).hostname;
    });
    after(async () => {
      await app.close();
    });

    const FORMATS = [
      ['/events/testconf-2027/schedule.xml', 'application/xml; charset=utf-8'],
      ['/events/testconf-2027/schedule.json', 'application/json; charset=utf-8'],
      ['/events/testconf-2027/schedule.ics', 'text/calendar; charset=utf-8'],
      ['/events/testconf-2027/sessions/keynote.ics', 'text/calendar; charset=utf-8'],
    ] as const;

    test('each format has its content type, an ETag and Last-Modified, and answers If-None-Match with 304', async () => {
      for (const [path, type] of FORMATS) {
        const r = await app.get(path);
        assert.equal(r.status, 200, path);
        assert.equal(r.headers.get('content-type'), type);
        const etag = r.headers.get('etag')!;
        assert.match(etag, /^W\/"/);
        assert.ok(r.headers.get('last-modified'));
        assert.ok((await r.text()).length > 100);
        const again = await app.get(path, { headers: { 'if-none-match': etag } });
        assert.equal(again.status, 304, path);
        assert.equal(await again.text(), '');
        const cached = await app.get(path);
        assert.equal(cached.headers.get('x-cache'), 'hit', path);
      }
    });

    test('calendars are offered with a file name', async () => {
      assert.equal((await app.get('/events/testconf-2027/schedule.ics')).headers.get('content-disposition'), 'inline; filename="testconf-2027.ics"');
      assert.equal(
        (await app.get('/events/testconf-2027/sessions/keynote.ics')).headers.get('content-disposition'),
        'inline; filename="testconf-2027-keynote.ics"',
      );
    });

    test('unknown and unpublished events are 404, as JSON for schedule.json', async () => {
      for (const slug of ['no-such-event', 'hidden-2027']) {
        const json = await app.get(`/events/${slug}/schedule.json`);
        assert.equal(json.status, 404);
        assert.deepEqual((await json.json()).error.code, 'EVENT_NOT_FOUND');
        for (const ext of ['xml', 'ics']) {
          const r = await app.get(`/events/${slug}/schedule.${ext}`);
          assert.equal(r.status, 404);
          assert.match(await r.text(), new RegExp(`No published event (&#34;|&quot;|")${slug}`));
        }
      }
      const session = await app.get('/events/testconf-2027/sessions/nope.ics');
      assert.equal(session.status, 404);
      assert.match(await session.text(), /No session (&#34;|&quot;|")nope/);
    });

    test('DTSTART and DTEND are the right UTC instants across the daylight-saving change', async () => {
      const events = vevents(await (await app.get('/events/dstconf-2027/schedule.ics')).text());
      const times = Object.fromEntries(events.map((e) => [e.SUMMARY, [e.DTSTART, e.DTEND]]));
      assert.deepEqual(times, {
        'Saturday morning (CET)': ['20270327T090000Z', '20270327T100000Z'],
        // 01:30 CET + 60 minutes = 03:30 CEST (the clocks skip 02:00-03:00).
        'Hacking through the night': ['20270328T003000Z', '20270328T013000Z'],
        'Sunday morning (CEST)': ['20270328T080000Z', '20270328T084500Z'],
      });
    });

    test('a calendar entry has a stable UID, LOCATION with room and venue, URL, plain-text DESCRIPTION and no e-mail', async () => {
      const ics = await (await app.get('/events/nightconf-2027/schedule.ics')).text();
      assert.match(ics, /^BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-\/\/Hallway\/\/Hallway\/\/EN\r\n/);
      assert.doesNotMatch(ics, /ORGANIZER|ATTENDEE|mailto:|@example\.(org|com)\b(?!\/)/i);
      for (const line of ics.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);
      const events = vevents(ics);
      const day2 = events.find((e) => e.SUMMARY === 'Day two workshop')!;
      assert.match(day2.UID!, new RegExp(`^[0-9a-f-]{36}@${host.replace(/\./g, '\\.')}$`));
      assert.equal(day2.LOCATION, 'Main Hall\\, Test Venue\\, Teststraat 1\\, 1011 AB Amsterdam');
      assert.equal(day2.URL, `${app.hallway.ctx.config.baseUrl}/events/nightconf-2027/sessions/day2`);
      assert.equal(day2.DESCRIPTION, `Speaker: Grace Sample\\n\\nBring a laptop. See the docs (https://docs.example.org).\\n\\n${day2.URL}`);
      assert.equal(day2.STATUS, 'CONFIRMED');
      const cancelled = events.find((e) => e.SUMMARY === 'This talk was cancelled')!;
      assert.equal(cancelled.STATUS, 'CANCELLED');
      const one = vevents(await (await app.get('/events/nightconf-2027/sessions/cancelled-talk.ics')).text());
      assert.deepEqual(
        one.map((e) => [e.UID, e.STATUS]),
        [[cancelled.UID, 'CANCELLED']],
      );
      const breakItem = events.find((e) => e.SUMMARY === 'Club-Mate & snacks')!;
      assert.equal(breakItem.LOCATION, 'Test Venue\\, Teststraat 1\\, 1011 AB Amsterdam');
    });

    test('after an edit: GUIDs and UIDs stay, SEQUENCE and version increase for what changed, caches refresh', async () => {
      const get = async (path: string) => {
        const r = await app.get(path);
        return { etag: r.headers.get('etag'), text: await r.text() };
      };
      const xml1 = await get('/events/testconf-2027/schedule.xml');
      const json1 = JSON.parse((await get('/events/testconf-2027/schedule.json')).text);
      const ics1 = await get('/events/testconf-2027/schedule.ics');

      const doc = buildEventDoc();
      doc.sessions![1]!.title = 'The Keynote (extended)';
      doc.sessions![1]!.durationMinutes = 50;
      await importEventDocument(moduleContext(app.db), TEST_OPERATOR, doc);

      const xml2 = await get('/events/testconf-2027/schedule.xml');
      const json2 = JSON.parse((await get('/events/testconf-2027/schedule.json')).text);
      const ics2 = await get('/events/testconf-2027/schedule.ics');
      assert.notEqual(xml2.etag, xml1.etag);
      assert.notEqual(ics2.etag, ics1.etag);
      const guids = (xml: string) => [...xml.matchAll(/<event guid="([^"]+)" id="(\d+)">/g)].map((m) => `${m[1]} ${m[2]}`);
      assert.deepEqual(guids(xml2.text), guids(xml1.text));
      assert.equal(guids(xml1.text).length, 5);
      assert.notEqual(json2.schedule.version, json1.schedule.version);
      assert.match(xml2.text, /<title>The Keynote \(extended\)<\/title>/);

      const before = new Map(vevents(ics1.text).map((e) => [e.UID, e]));
      const after = vevents(ics2.text);
      assert.deepEqual(after.map((e) => e.UID).sort(), [...before.keys()].sort());
      for (const e of after) {
        const old = before.get(e.UID!)!;
        if (e.SUMMARY === 'The Keynote (extended)') {
          assert.equal(old.SUMMARY, 'The Keynote');
          assert.equal(Number(e.SEQUENCE), Number(old.SEQUENCE) + 1);
          assert.equal(e.DTEND, '20270415T080500Z');
        } else assert.equal(e.SEQUENCE, old.SEQUENCE, e.SUMMARY);
      }
      // The old ETag no longer matches: the client gets the new version.
      assert.equal((await app.get('/events/testconf-2027/schedule.ics', { headers: { 'if-none-match': ics1.etag! } })).status, 200);
    });
  });
}
