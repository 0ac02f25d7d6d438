import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createDb, type Db } from '../../src/db/database.js';
import type { DomainError } from '../../src/lib/domain-error.js';
import { renderFrabJson } from '../../src/formats/frab-json.js';
import { renderFrabXml } from '../../src/formats/frab-xml.js';
import { importSchedule as importInWorker, type ScheduleImportOptions } from '../../src/modules/schedule/schedule-import.actions.js';
import { loadProgramSnapshot } from '../../src/modules/schedule/snapshot.queries.js';
import { postgresSkipReason, sqliteDatabase, testDatabases, type TestDatabase } from '../support/databases.js';
import {
  SAMPLE_NAMES,
  SAMPLE_ZONES,
  interopSkipReason,
  jsonSchemaErrors,
  normalisedProgramme,
  sample,
  xmllintSkipReason,
  xsdErrors,
  type SampleName,
} from './support.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

/**
 * What each real-world sample gives: the event, its counts and one line per repair (README of
 * the interop notes lists each sample's quirks; these are Hallway's answers to them).
 */
const EXPECTED: Record<
  SampleName,
  {
    slug: string;
    counts: [sessions: number, speakers: number, rooms: number, tracks: number];
    dayChange: string;
    dates: [string, string];
    zone: string;
    warnings: RegExp[];
  }
> = {
  'romhack-camp-2026-pretalx.schedule.xml': {
    slug: 'romhack-camp-2026',
    counts: [10, 3, 2, 10],
    dayChange: '04:00',
    dates: ['2026-10-02', '2026-10-04'],
    zone: 'Europe/Rome',
    warnings: [
      /^2 double-booked speakers kept as in the file \(first: speaker "cyber-saiyan" is also in "Community CTF by fibonhack" \(day\[1\]\/room\[@name="WORKSHOP 2"\]\/event\[1\]\)/,
    ],
  },
  'democon-pretalx.schedule.json': {
    slug: 'democon',
    counts: [36, 27, 2, 2],
    dayChange: '03:00',
    dates: ['2020-12-14', '2020-12-16'],
    zone: 'UTC',
    warnings: [
      /^events whose <date> offset is not UTC's offset at that time: 36 \(e\.g\. 2020-12-14T09:00:00\+01:00\); the instants were kept as written and are shown in UTC \(pass --time-zone/,
      /^1 double-booked speaker kept/,
    ],
  },
  'camp2019-frab.schedule.json': {
    slug: 'camp2019',
    counts: [79, 90, 2, 7],
    dayChange: '09:00',
    dates: ['2019-08-21', '2019-08-25'],
    zone: 'Europe/Berlin',
    warnings: [/^links whose URL is not http\(s\) or cannot be resolved: 1 \(e\.g\. "nymtech\.net"\); left out$/],
  },
  'debconf23.schedule.xml': {
    slug: 'debconf23',
    counts: [117, 87, 5, 12],
    dayChange: '03:00',
    dates: ['2023-09-10', '2023-09-17'],
    zone: 'Asia/Kolkata',
    warnings: [
      /^events whose <date> offset is not Asia\/Kolkata's offset at that time: 117 /,
      /^events whose GUID is not an RFC 4122 UUID: 101 \(e\.g\. 455d075f-48c0-2ec2-24b3-f5add30c383a\)/,
    ],
  },
  'fosdem-2020.schedule.xml': {
    slug: 'fosdem-2020',
    counts: [872, 841, 35, 71],
    dayChange: '09:00',
    dates: ['2020-02-01', '2020-02-02'],
    zone: 'Europe/Brussels',
    warnings: [
      /^events without a GUID: 872; stable ones were derived/,
      /^links whose URL is not http\(s\) or cannot be resolved: 2 \(e\.g\. "https:\/\/"\)/,
      /^3 double-booked speakers kept/,
    ],
  },
  '36c3-merged.schedule.xml': {
    slug: '36c3',
    counts: [1351, 923, 90, 30],
    dayChange: '09:30',
    dates: ['2019-12-27', '2019-12-30'],
    zone: 'Europe/Berlin',
    warnings: [
      /^events whose <room> differs from the room they are listed in: 87 \(e\.g\. "headnut" in "1Komona headnut"\)/,
      /^events with a duration of 00:00: 1 \(e\.g\. event 399 "Build and fly your own rockets in Kerbal Space Program"\); imported as 1 minute long$/,
      /^rooms "1Komona headnut" and "1komona headnut" differ only in case/,
      /^rooms "1Komona Boredome" and "1komona Boredome" differ only in case/,
      /^links whose URL is not http\(s\) or cannot be resolved: 9 \(e\.g\. "www\.cadus\.org"\)/,
      /^events repeating a GUID \(or id\) used earlier in the file: 3;/,
      /^events of type "outside", which Hallway does not know: 2; imported as talk$/,
      /^264 room overlaps kept as in the file/,
      /^64 double-booked speakers kept as in the file/,
    ],
  },
};

/**
 * These tests are about what the importer makes of real files, so they parse on the test's own
 * thread (the same parse and convert functions the worker runs): a worker under tsx costs ~1.5 s
 * of CPU to start, and this file imports ~40 times. The worker itself, its limits and its errors
 * are tested by import-worker.test.ts, import-safety.test.ts and the API and CLI import tests.
 */
const importInline = (db: Db, bytes: Uint8Array, options: ScheduleImportOptions = {}) => importInWorker(db, bytes, { ...options, inline: true });

async function freshDb(database: TestDatabase): Promise<{ db: Db; close: () => Promise<void> }> {
  const { config, drop } = await database.create({ migrated: true });
  const db = createDb(config);
  return {
    db,
    close: async () => {
      await db.destroy();
      await drop();
    },
  };
}

for (const database of testDatabases) {
  describe(`importing the real-world samples on ${database.name}`, { skip: interopSkipReason }, () => {
    let db: Db;
    let close: () => Promise<void>;
    before(async () => ({ db, close } = await freshDb(database)));
    after(async () => close());

    for (const name of SAMPLE_NAMES) {
      test(`${name} imports with its summary, and re-importing it changes nothing`, async () => {
        const want = EXPECTED[name];
        const summary = await importInline(db, sample(name), { timeZone: SAMPLE_ZONES[name] });
        assert.equal(summary.eventSlug, want.slug);
        assert.equal(summary.created, true);
        const [sessions, speakers, rooms, tracks] = want.counts;
        assert.deepEqual(summary.sessions, { added: sessions, changed: 0, removed: 0 });
        assert.deepEqual(summary.speakers, { added: speakers, changed: 0, removed: 0 });
        assert.deepEqual(summary.rooms, { added: rooms, changed: 0, removed: 0 });
        assert.deepEqual(summary.tracks, { added: tracks, changed: 0, removed: 0 });
        assert.equal(summary.eventsInFile, sessions);
        assert.equal(summary.warnings.length, want.warnings.length, summary.warnings.map((w) => w.message).join('\n'));
        summary.warnings.forEach((w, i) => assert.match(w.message, want.warnings[i]!));
        const snap = (await loadProgramSnapshot(db, summary.eventId))!;
        assert.deepEqual([snap.event.timeZone, snap.event.dayChange, snap.event.startDate, snap.event.endDate], [want.zone, want.dayChange, ...want.dates]);

        const again = await importInline(db, sample(name), { timeZone: SAMPLE_ZONES[name] });
        assert.equal(again.changed, false);
        assert.equal(again.version, summary.version);
      });
    }
  });
}

describe('sample details', { skip: interopSkipReason }, () => {
  let db: Db;
  let close: () => Promise<void>;
  before(async () => ({ db, close } = await freshDb(sqliteDatabase)));
  after(async () => close());

  test('FOSDEM: local times in the given zone, HTML abstracts as Markdown, types mapped, links kept', async () => {
    const s = await importInline(db, sample('fosdem-2020.schedule.xml'), { timeZone: 'Europe/Brussels' });
    const snap = (await loadProgramSnapshot(db, s.eventId))!;
    const welcome = snap.sessionByCode.get('keynotes_welcome')!;
    assert.equal(welcome.startsAt, '2020-02-01T08:30:00Z'); // 09:30 in Brussels (CET)
    assert.equal(welcome.durationMinutes, 25);
    assert.equal(welcome.kind, 'keynote');
    assert.equal(welcome.abstract, 'FOSDEM welcome and opening talk.\n\nWelcome to FOSDEM 2020!');
    assert.deepEqual(
      welcome.links.map((l) => [l.kind, l.url]),
      [
        ['recording', 'https://video.fosdem.org/2020/Janson/keynotes_welcome.webm'],
        ['recording', 'https://video.fosdem.org/2020/Janson/keynotes_welcome.mp4'],
        ['other', 'https://submission.fosdem.org/feedback/9025.php'],
      ],
    );
    assert.deepEqual(
      welcome.speakerIds.map((id) => snap.speakerById.get(id)!.code),
      ['fosdem-staff'],
    );
    assert.equal(snap.event.venue.name, 'ULB (Université Libre de Bruxelles)');
    const soldering = snap.sessionByCode.get('soldering_workshop_saturday')!;
    assert.deepEqual([soldering.kind, soldering.durationMinutes], ['workshop', 510]);
    const kinds = new Set(snap.sessions.map((x) => x.kind));
    assert.deepEqual([...kinds].sort(), ['keynote', 'lightning', 'talk', 'workshop']);
  });

  test('DebConf: UTC dates with an Asia/Kolkata zone give the right local times and days', async () => {
    const s = await importInline(db, sample('debconf23.schedule.xml'));
    const snap = (await loadProgramSnapshot(db, s.eventId))!;
    const opening = snap.sessions.find((x) => x.title === 'Opening Ceremony')!;
    assert.equal(opening.startsAt, '2023-09-10T05:00:00Z'); // 10:30 IST
    assert.equal(opening.day, '2023-09-10'); // the file labels that day 2023-09-09 (its UTC date)
    assert.equal(opening.code, '35-opening-ceremony');
    assert.match(opening.abstract, /^Welcome to DebConf23/);
  });

  test('36c3: after-midnight events stay on their day, CR references and Markdown survive, the 12:59 event is kept', async () => {
    const s = await importInline(db, sample('36c3-merged.schedule.xml'), { timeZone: 'Europe/Berlin' });
    const snap = (await loadProgramSnapshot(db, s.eventId))!;
    const ceremony = snap.sessions.find((x) => x.guid === '6a32cb72-a69d-423c-91b5-60d88eb8e6c7')!;
    assert.deepEqual([ceremony.code, ceremony.startsAt, ceremony.day, ceremony.kind], ['11223-opening_ceremony', '2019-12-27T10:00:00Z', '2019-12-27', 'talk']);
    const late = snap.sessions.filter((x) => x.startsAt >= '2019-12-27T23:00:00Z' && x.startsAt < '2019-12-28T03:00:00Z');
    assert.ok(late.length > 0);
    for (const x of late) assert.equal(x.day, '2019-12-27', x.title);
    assert.ok(snap.sessions.some((x) => x.durationMinutes === 12 * 60 + 59));
    assert.ok(!snap.sessions.some((x) => /\r/.test(x.abstract)));
  });

  test('a schedule without a time zone is refused, naming --time-zone and the offsets it carries', async () => {
    await assert.rejects(importInline(db, sample('36c3-merged.schedule.xml'), { eventSlug: 'no-zone' }), (err: DomainError) => {
      assert.equal(err.code, 'SCHEDULE_TIME_ZONE_MISSING');
      assert.match(err.message, /names no time zone \(no time_zone_name\); its times carry the offset \+01:00\. Pass --time-zone/);
      return true;
    });
    await assert.rejects(
      importInline(db, sample('fosdem-2020.schedule.xml'), { eventSlug: 'no-zone' }),
      /its times are local wall-clock times\. Pass --time-zone/,
    );
    await assert.rejects(
      importInline(db, sample('camp2019-frab.schedule.json'), { eventSlug: 'no-zone', timeZone: 'Mars/Olympus' }),
      /Unknown time zone "Mars\/Olympus" \(--time-zone\)/,
    );
  });

  test('the same file under another slug is refused: its GUIDs belong to the first event', async () => {
    await importInline(db, sample('camp2019-frab.schedule.json'));
    await assert.rejects(importInline(db, sample('camp2019-frab.schedule.json'), { eventSlug: 'camp-copy' }), (err: DomainError) => {
      assert.equal(err.code, 'EVENT_DOCUMENT_INVALID');
      assert.equal(err.problems.length, 79);
      assert.match(err.problems[0]!.path, /^schedule\.conference\.days\[0\]\.rooms\["Curie"\]\[0\]$/);
      assert.match(err.problems[0]!.message, /^GUID a0a0fcfe-b7fb-46e3-84b6-97a5406016b4 already belongs to a session of event "camp2019"$/);
      return true;
    });
    assert.equal(await db.selectFrom('events').select('id').where('slug', '=', 'camp-copy').executeTakeFirst(), undefined);
  });

  test('a newer version of a file updates in place: changed, added and removed sessions are counted', async () => {
    const original = JSON.parse(sample('camp2019-frab.schedule.json').toString('utf8'));
    const first = await importInline(db, Buffer.from(JSON.stringify(original)));
    assert.equal(first.changed, false); // camp2019 was imported by the test above
    const day = original.schedule.conference.days[1].rooms;
    day.Curie[0].title = 'A renamed talk';
    day.Curie[1].duration = '01:15';
    const removed = day.Meitner.shift();
    day.Meitner.push({
      ...removed,
      guid: 'c0ffee00-0000-4000-8000-000000000001',
      id: 99999,
      slug: 'Camp2019-99999-new',
      title: 'A new talk',
      date: '2019-08-22T23:30:00+02:00',
      start: '23:30',
    });
    const dropped = original.schedule.conference.days[2].rooms.Curie.pop();
    const s = await importInline(db, Buffer.from(JSON.stringify(original)));
    assert.equal(s.eventSlug, 'camp2019');
    assert.deepEqual(s.sessions, { added: 1, changed: 2, removed: 2 });
    assert.equal(s.version, first.version + 1);
    const snap = (await loadProgramSnapshot(db, s.eventId))!;
    assert.equal(snap.sessions.find((x) => x.guid === day.Curie[0].guid)!.title, 'A renamed talk');
    assert.equal(snap.sessions.find((x) => x.guid === day.Curie[0].guid)!.sequence, 1);
    assert.equal(
      snap.sessions.find((x) => x.guid === dropped.guid),
      undefined,
    );
    assert.equal(snap.sessions.find((x) => x.guid === 'c0ffee00-0000-4000-8000-000000000001')!.day, '2019-08-22');
  });
});

describe('round trip import → export → import', { skip: interopSkipReason }, () => {
  for (const name of SAMPLE_NAMES) {
    test(`${name} gives the same programme through frab XML and JSON, both valid against the schemas`, async () => {
      const one = await freshDb(sqliteDatabase);
      try {
        const s = await importInline(one.db, sample(name), { timeZone: SAMPLE_ZONES[name] });
        const snap = (await loadProgramSnapshot(one.db, s.eventId))!;
        for (const render of [renderFrabXml, renderFrabJson]) {
          const text = render(snap, 'https://hallway.example.org');
          if (render === renderFrabJson) assert.deepEqual(jsonSchemaErrors(JSON.parse(text)), []);
          else if (!xmllintSkipReason) assert.deepEqual(xsdErrors(text), []);
          const two = await freshDb(sqliteDatabase);
          try {
            const back = await importInline(two.db, Buffer.from(text), { eventSlug: s.eventSlug });
            const copy = (await loadProgramSnapshot(two.db, back.eventId))!;
            assert.deepEqual(normalisedProgramme(copy), normalisedProgramme(snap));
            assert.deepEqual(
              [copy.event.timeZone, copy.event.dayChange, copy.event.startDate, copy.event.endDate],
              [snap.event.timeZone, snap.event.dayChange, snap.event.startDate, snap.event.endDate],
            );
            assert.deepEqual(
              copy.tracks.map((t) => [t.name, t.color]),
              snap.tracks.map((t) => [t.name, t.color]),
            );
          } finally {
            await two.close();
          }
        }
      } finally {
        await one.close();
      }
    });
  }
});
