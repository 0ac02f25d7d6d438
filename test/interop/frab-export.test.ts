import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { createDb, type Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { renderFrabJson } from '../../src/formats/frab-json.js';
import { renderFrabXml } from '../../src/formats/frab-xml.js';
import { importSchedule } from '../../src/modules/schedule/schedule-import.actions.js';
import { importEventDocument } from '../../src/modules/schedule/import.actions.js';
import { demoConference } from '../../src/modules/demo/demo-conference.js';
import { demoMeetup, pastDemoMeetup } from '../../src/modules/demo/demo-meetup.js';
import { largeEvent } from '../../src/modules/demo/large-event.js';
import type { ProgramSnapshot } from '../../src/modules/schedule/snapshot.js';
import { findEventHead, loadProgramSnapshot } from '../../src/modules/schedule/snapshot.queries.js';
import { listReleases } from '../../src/modules/schedule/release.queries.js';
import { dstDoc, interopSkipReason, jsonSchemaErrors, midnightDoc, normalisedProgramme, xmllintSkipReason, xsdErrors } from './support.js';
import { moduleContext, TEST_OPERATOR } from '../support/module-context.js';

const BASE = 'https://hallway.example.org';

/**
 * The frab exporters are pure functions of a snapshot: these tests import each kind of event
 * Hallway can hold into one SQLite database, render both formats and check them against the
 * C3VOC XSD (xmllint) and JSON schema (ajv), plus the details the schemas cannot check.
 */
describe('frab exports', { skip: interopSkipReason }, () => {
  let dir: string;
  let db: Db;
  const snaps = new Map<string, ProgramSnapshot>();
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hallway-export-'));
    db = createDb({ kind: 'sqlite', filename: join(dir, 'x.sqlite') });
    await migrateToLatest(db);
    for (const doc of [demoConference(), demoMeetup(), pastDemoMeetup(), dstDoc(), midnightDoc(), largeEvent()]) {
      const s = await importEventDocument(moduleContext(db), TEST_OPERATOR, doc);
      snaps.set(s.eventSlug, (await loadProgramSnapshot(db, s.eventId))!);
    }
  });
  after(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const EVENTS = ['riverconf-2027', 'riverside-meetup-2027-02', 'riverside-meetup-2026-10', 'dstconf-2027', 'nightconf-2027', 'largecon-2027'];

  for (const slug of EVENTS) {
    test(`schedule.xml of ${slug} is valid against schedule.xml.xsd`, { skip: xmllintSkipReason }, () => {
      assert.deepEqual(xsdErrors(renderFrabXml(snaps.get(slug)!, BASE)), []);
    });
    test(`schedule.json of ${slug} is valid against schema.json`, () => {
      assert.deepEqual(jsonSchemaErrors(JSON.parse(renderFrabJson(snaps.get(slug)!, BASE))), []);
    });
  }

  const parse = (xml: string) =>
    new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      parseTagValue: false,
      isArray: (n) => ['day', 'room', 'event', 'person', 'link', 'track'].includes(n),
    }).parse(xml);

  test('the XML starts with <version>, and every day has index, start and end in the event zone', () => {
    const xml = renderFrabXml(snaps.get('dstconf-2027')!, BASE);
    assert.match(
      xml,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<schedule>\n {2}<generator name="hallway" version="[^"]+" system="hallway.example.org"\/>\n {2}<url>https:\/\/hallway.example.org\/events\/dstconf-2027\/schedule.xml<\/url>\n {2}<version>/,
    );
    const days = parse(xml).schedule.day;
    assert.deepEqual(
      days.map((d: Record<string, string>) => [d.index, d.date, d.start, d.end]),
      [
        ['1', '2027-03-27', '2027-03-27T04:00:00+01:00', '2027-03-28T04:00:00+02:00'],
        ['2', '2027-03-28', '2027-03-28T04:00:00+02:00', '2027-03-29T04:00:00+02:00'],
      ],
    );
  });

  test('sessions across daylight saving and midnight carry their local time and offset', () => {
    const dst = parse(renderFrabXml(snaps.get('dstconf-2027')!, BASE)).schedule.day;
    const times = (days: Array<{ room: Array<{ event?: Array<Record<string, string>> }> }>) =>
      days.flatMap((d) => d.room.flatMap((r) => (r.event ?? []).map((e) => [e.slug, e.date, e.start, e.duration])));
    assert.deepEqual(times(dst), [
      ['dstconf-sat-morning', '2027-03-27T10:00:00+01:00', '10:00', '01:00'],
      // 01:30 CET is before the 04:00 day change, so it is on the first programme day.
      ['dstconf-night-shift', '2027-03-28T01:30:00+01:00', '01:30', '01:00'],
      ['dstconf-sun-morning', '2027-03-28T10:00:00+02:00', '10:00', '00:45'],
    ]);
    const night = parse(renderFrabXml(snaps.get('nightconf-2027')!, BASE)).schedule.day;
    assert.deepEqual(times(night), [
      ['nc__-late-break', '2027-06-10T23:00:00+02:00', '23:00', '00:30'],
      ['nc__-evening', '2027-06-10T22:00:00+02:00', '22:00', '01:00'],
      ['nc__-crossing', '2027-06-10T23:30:00+02:00', '23:30', '01:30'],
      ['nc__-after-midnight', '2027-06-11T01:30:00+02:00', '01:30', '00:30'],
      ['nc__-day2', '2027-06-11T10:00:00+02:00', '10:00', '02:00'],
    ]);
  });

  test('a room-less break is in the pseudo-room, cancelled sessions are left out, text is escaped', () => {
    const xml = renderFrabXml(snaps.get('nightconf-2027')!, BASE);
    const day1 = parse(xml).schedule.day[0];
    assert.deepEqual(
      day1.room.map((r: { name: string }) => r.name),
      ['All rooms', 'Main Hall', 'Side Room'],
    );
    assert.equal(day1.room[0].event[0].type, 'break');
    assert.doesNotMatch(xml, /cancelled/i);
    assert.match(xml, /<title>Night Conf &lt;2027&gt; &amp; &quot;friends&quot;<\/title>/);
    assert.match(xml, /<title>Across midnight: &lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; more<\/title>/);
    assert.match(xml, /<link href="https:\/\/slides.example.org\/a\?x=1&amp;y=%5B2%5D" type="slides">Slides \[PDF\]<\/link>/);
    const json = JSON.parse(renderFrabJson(snaps.get('nightconf-2027')!, BASE));
    const events = json.schedule.conference.days.flatMap((d: { rooms: Record<string, unknown[]> }) => Object.values(d.rooms).flat());
    assert.equal(events.length, 5);
  });

  test('every event has a positive integer id, a UUID guid, absolute URLs and persons with links to their pages', () => {
    const snap = snaps.get('riverconf-2027')!;
    const json = JSON.parse(renderFrabJson(snap, BASE));
    const events = json.schedule.conference.days.flatMap((d: { rooms: Record<string, Array<Record<string, unknown>>> }) => Object.values(d.rooms).flat());
    assert.equal(events.length, snap.sessions.filter((s) => s.status === 'confirmed').length);
    const keynote = snap.sessionByCode.get(snap.sessions.find((s) => s.kind === 'keynote')!.code)!;
    const ev = events.find((e: { guid: string }) => e.guid === keynote.guid);
    assert.equal(ev.id, keynote.id);
    assert.equal(ev.url, `${BASE}/events/riverconf-2027/sessions/${keynote.code}`);
    const speaker = snap.speakerById.get(keynote.speakerIds[0]!)!;
    assert.equal(ev.persons[0].name, speaker.name);
    assert.equal(ev.persons[0].url, `${BASE}/events/riverconf-2027/speakers/${speaker.code}`);
    for (const e of events) {
      assert.ok(Number.isInteger(e.id) && e.id > 0);
      assert.match(e.guid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.match(e.slug, /^riverconf-[a-z0-9][a-z0-9_-]*[a-z0-9]$/);
    }
    assert.deepEqual(
      json.schedule.conference.tracks.map((t: { slug: string }) => t.slug),
      snap.tracks.map((t) => t.slug),
    );
  });

  test("Hallway's own exports import into another instance as the same programme, session codes included", async () => {
    for (const [format, render] of [
      ['xml', renderFrabXml],
      ['json', renderFrabJson],
    ] as const) {
      const other = createDb({ kind: 'sqlite', filename: join(dir, `${format}.sqlite`) });
      await migrateToLatest(other);
      for (const slug of EVENTS) {
        const snap = snaps.get(slug)!;
        const summary = await importSchedule(other, Buffer.from(render(snap, BASE)), { eventSlug: slug });
        assert.deepEqual(summary.warnings, [], `${slug} (${format})`);
        const copy = (await loadProgramSnapshot(other, summary.eventId))!;
        assert.deepEqual(normalisedProgramme(copy), normalisedProgramme(snap), `${slug} (${format})`);
        const codes = (x: ProgramSnapshot) =>
          x.sessions
            .filter((s) => s.status === 'confirmed')
            .map((s) => `${s.guid} ${s.code}`)
            .sort();
        assert.deepEqual(codes(copy), codes(snap), `${slug} (${format})`);
        assert.deepEqual(
          [copy.event.timeZone, copy.event.dayChange, copy.event.startDate, copy.event.endDate],
          [snap.event.timeZone, snap.event.dayChange, snap.event.startDate, snap.event.endDate],
        );
        assert.deepEqual(
          copy.rooms.map((r) => r.name),
          snap.rooms.map((r) => r.name),
        );
        assert.deepEqual(
          copy.tracks.map((t) => [t.name, t.color]),
          snap.tracks.map((t) => [t.name, t.color]),
        );
      }
      await other.destroy();
    }
  });

  test("re-importing an event's own export into it changes nothing", async () => {
    for (const slug of ['riverconf-2027', 'riverside-meetup-2027-02', 'dstconf-2027']) {
      for (const render of [renderFrabXml, renderFrabJson]) {
        const text = render(snaps.get(slug)!, BASE);
        const summary = await importSchedule(db, Buffer.from(text), { eventSlug: slug });
        assert.equal(summary.changed, false, `${slug}: ${JSON.stringify(summary)}`);
      }
    }
  });

  test('the version changes when the programme changes', async () => {
    const before = renderFrabXml(snaps.get('dstconf-2027')!, BASE);
    const doc = dstDoc();
    doc.sessions![0]!.title = 'Saturday morning, renamed';
    doc.sessions![0]!.start = '2027-03-27T11:00';
    // The import releases what the document lists: the export names the new release.
    await importEventDocument(moduleContext(db), TEST_OPERATOR, doc);
    const head = (await findEventHead(db, 'dstconf-2027'))!;
    const after = renderFrabXml((await loadProgramSnapshot(db, head.id))!, BASE);
    const version = (xml: string) => /<version>([^<]+)<\/version>/.exec(xml)![1];
    assert.notEqual(version(after), version(before));
    const [latest] = await listReleases(db, head.id);
    assert.equal(version(after), latest!.name);
    const guids = (xml: string) => [...xml.matchAll(/guid="([^"]+)" id=/g)].map((m) => m[1]);
    assert.deepEqual(guids(after), guids(before));
  });
});
