import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, type Db } from '../../src/db/database.js';
import type { DomainError } from '../../src/lib/domain-error.js';
import { importSchedule as importInWorker, type ScheduleImportOptions } from '../../src/modules/schedule/schedule-import.actions.js';
import { readScheduleSource } from '../../src/modules/schedule/schedule-source.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

/** A small, valid frab schedule; `event` replaces the one event's inner XML. */
function tinyXml(options: { title?: string; event?: string; declaration?: string } = {}): string {
  const event =
    options.event ??
    `<date>2027-05-01T10:00:00+02:00</date><start>10:00</start><duration>00:30</duration><room>Hall</room>
     <title>${options.title ?? 'A talk'}</title><type>lecture</type><persons><person id="1">Zoë Example</person></persons>`;
  return `${options.declaration ?? '<?xml version="1.0" encoding="UTF-8"?>'}
<schedule><version>1</version>
  <conference><title>Tiny Conf</title><acronym>tiny</acronym><time_zone_name>Europe/Amsterdam</time_zone_name></conference>
  <day index="1" date="2027-05-01"><room name="Hall"><event id="1" guid="5a0c1d9e-1c7a-4c1b-9a6e-2f0d4b1e7c01">${event}</event></room></day>
</schedule>`;
}

const expectError = (code: string, message: RegExp) => (err: DomainError) => {
  assert.equal(err.code, code, err.message);
  assert.match(err.message, message);
  return true;
};

for (const database of testDatabases) {
  describe(`bad schedule input on ${database.name}: a clear error and nothing written`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    let fingerprint: string;
    before(async () => {
      const created = await database.create({ migrated: true });
      drop = created.drop;
      db = createDb(created.config);
      await importSchedule(db, Buffer.from(tinyXml()));
      fingerprint = await state(db);
    });
    after(async () => {
      assert.equal(await state(db), fingerprint, 'the database changed');
      await db.destroy();
      await drop();
    });

    /**
     * The files are refused while parsing or checking, before the database is read: the import
     * worker and the errors it sends back are tested on SQLite; on PostgreSQL the same steps run
     * on the test's thread (a worker under tsx costs ~1.5 s of CPU to start, and this runs ~20).
     */
    const importSchedule = (target: Db, bytes: Uint8Array, options: ScheduleImportOptions = {}) =>
      importInWorker(target, bytes, { ...options, inline: database.name === 'postgres' });
    const refused = async (input: string | Buffer, code: string, message: RegExp, options: { eventSlug?: string } = {}) => {
      await assert.rejects(importSchedule(db, typeof input === 'string' ? Buffer.from(input) : input, options), expectError(code, message));
      assert.equal(await state(db), fingerprint);
    };

    test('malformed XML names the line and column', async () => {
      await refused(
        '<schedule>\n<conference><title>X</title></conference>\n<day index="1"><room name="A"></day></schedule>',
        'SCHEDULE_MALFORMED',
        /^The schedule is not well-formed XML \(line 3, column \d+: Expected closing tag 'room'/,
      );
      await refused(tinyXml({ title: 'Tom & Jerry' }), 'SCHEDULE_MALFORMED', /char '&' is not expected/);
    });

    test('malformed JSON names what is wrong', async () => {
      await refused('{"schedule": {"conference": {"days": [', 'SCHEDULE_MALFORMED', /^The schedule is not well-formed JSON \(.+\); nothing was changed\.$/);
    });

    test('bytes that are not UTF-8 are refused with their offset; a declared Latin-1 file is read as Latin-1', async () => {
      const xml = tinyXml({ title: 'Caf\u00e9 talk' });
      const latin1 = Buffer.from(xml, 'latin1');
      const at = latin1.indexOf(0xe9);
      await refused(latin1, 'SCHEDULE_ENCODING_INVALID', new RegExp(`it is not valid UTF-8 \\(byte 0xE9 at offset ${at}\\); save it as UTF-8`));
      const declared = Buffer.from(tinyXml({ title: 'Caf\u00e9 talk', declaration: '<?xml version="1.0" encoding="ISO-8859-1"?>' }), 'latin1');
      const parsed = await import('../../src/modules/schedule/schedule-import.actions.js').then((m) => m.parseSchedule(declared));
      assert.equal(parsed.days[0]!.rooms[0]!.events[0]!.title, 'Café talk');
      assert.equal(parsed.days[0]!.rooms[0]!.events[0]!.persons[0]!.name, 'Zoë Example');
    });

    test('a DOCTYPE with an external entity (XXE) is refused, and nothing is fetched', async () => {
      let hits = 0;
      const server = await listen((_req, res) => {
        hits++;
        res.end('<!ENTITY x "pwned">');
      });
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/evil`;
        await refused(
          `<?xml version="1.0"?><!DOCTYPE schedule [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY remote SYSTEM "${url}">]><schedule><version>&xxe;&remote;</version></schedule>`,
          'SCHEDULE_ENTITIES_REFUSED',
          /^The XML has a DOCTYPE with entity declarations \(<!ENTITY …>\)\. Hallway never expands entities or loads external DTDs/,
        );
        await refused(
          `<?xml version="1.0"?><!DOCTYPE schedule SYSTEM "${url}.dtd"><schedule/>`,
          'SCHEDULE_ENTITIES_REFUSED',
          /DOCTYPE with an external DTD \(SYSTEM\/PUBLIC\)/,
        );
        await refused(`<!DOCTYPE schedule PUBLIC "-//X//Y" "${url}.dtd"><schedule/>`, 'SCHEDULE_ENTITIES_REFUSED', /external DTD/);
        assert.equal(hits, 0);
      } finally {
        server.close();
      }
    });

    test('entity expansion ("billion laughs") is refused before any expansion', async () => {
      const lol = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`)].join('');
      await refused(
        `<?xml version="1.0"?><!DOCTYPE lolz [${lol}]><schedule><version>&lol9;</version></schedule>`,
        'SCHEDULE_ENTITIES_REFUSED',
        /entity declarations/,
      );
      // Without a DOCTYPE an entity is simply undefined: reported, not kept as text.
      await refused(tinyXml({ title: 'A &nbsp; talk' }), 'SCHEDULE_MALFORMED', /the entity &nbsp; is not defined/);
    });

    test('deeply nested JSON or XML is refused before parsing', async () => {
      await refused(
        `{"schedule":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
        'SCHEDULE_TOO_DEEP',
        /^The JSON nests deeper than 64 levels \(at character 76\)/,
      );
      await refused(`<schedule>${'<a>'.repeat(50_000)}${'</a>'.repeat(50_000)}</schedule>`, 'SCHEDULE_TOO_DEEP', /^The XML nests deeper than 64 levels/);
    });

    test('files that are no schedule are named as such', async () => {
      await refused('{"foo": 1}', 'SCHEDULE_NOT_FRAB', /there is no "schedule" object at the top level/);
      await refused('<html><body/></html>', 'SCHEDULE_NOT_FRAB', /the root element is <html>, not <schedule>/);
      await refused('hello, world', 'SCHEDULE_FORMAT_UNKNOWN', /neither schedule XML .* nor schedule JSON/);
    });

    test('what would make the programme wrong is refused with the exact place', async () => {
      await assert.rejects(
        importSchedule(db, Buffer.from(tinyXml({ event: '<duration>00:30</duration><room>Hall</room><title>No start</title>' }))),
        (err: DomainError) => {
          assert.equal(err.code, 'SCHEDULE_INVALID');
          assert.deepEqual(err.problems, [
            { path: 'day[1]/room[@name="Hall"]/event[1]', message: 'event 1 "No start" has no start (neither <date> nor <start>)' },
          ]);
          return true;
        },
      );
      await assert.rejects(
        importSchedule(db, Buffer.from(tinyXml({ event: '<start>10:00</start><duration>ninety</duration><title>T</title>' }))),
        (err: DomainError) => {
          assert.deepEqual(err.problems, [{ path: 'day[1]/room[@name="Hall"]/event[1]/duration', message: '"ninety" is not a duration like 00:30' }]);
          return true;
        },
      );
      await assert.rejects(
        importSchedule(db, Buffer.from(tinyXml({ event: '<start>10:00</start><duration>25:00</duration><title>T</title>' }))),
        (err: DomainError) => {
          assert.deepEqual(err.problems, [{ path: 'day[1]/room[@name="Hall"]/event[1]/duration', message: 'event 1 "T" lasts 25:00, more than a day' }]);
          return true;
        },
      );
      const json = {
        schedule: {
          version: '1',
          conference: {
            title: 'J',
            acronym: 'jconf',
            time_zone_name: 'Europe/Berlin',
            rooms: [{ name: 'Hall A', guid: '8f5b3a9e-8d6c-4b1a-9c1e-3a2b1c0d9e8f' }],
            days: [
              {
                index: 1,
                date: '2027-05-01',
                rooms: {
                  'Hall Z': [{ id: 7, guid: '8f5b3a9e-8d6c-4b1a-9c1e-3a2b1c0d9e80', title: 'T', date: '2027-05-01T10:00:00+02:00', duration: '00:30' }],
                },
              },
            ],
          },
        },
      };
      await assert.rejects(importSchedule(db, Buffer.from(JSON.stringify(json))), (err: DomainError) => {
        assert.equal(err.code, 'SCHEDULE_INVALID');
        assert.deepEqual(err.problems, [
          { path: 'schedule.conference.days[0].rooms["Hall Z"]', message: 'room "Hall Z" is not among the rooms the schedule declares (conference.rooms)' },
        ]);
        return true;
      });
      assert.equal(await state(db), fingerprint);
    });

    test('a failure inside the write transaction rolls everything back', async () => {
      // The same GUIDs under another slug pass every check and fail in the transaction, after
      // the new event, its rooms and speakers were written: none of it may remain.
      await refused(tinyXml(), 'EVENT_DOCUMENT_INVALID', /^The event document has 1 problem; nothing was changed\.$/, { eventSlug: 'tiny-copy' });
    });
  });
}

describe('reading a schedule from a file or URL, within the limits', () => {
  let dir: string;
  let server: Server;
  let base: string;
  let aborted = 0;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hallway-source-'));
    server = await listen((req, res) => {
      if (req.url === '/big-unannounced') {
        // 64 KB chunks without Content-Length, until the client goes away.
        res.writeHead(200, { 'content-type': 'application/xml' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const write = () => {
          while (res.write(chunk)) if (res.writableLength > 1e7) return;
        };
        res.on('drain', write);
        res.on('close', () => aborted++);
        write();
      } else if (req.url === '/big-announced') {
        res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
        res.write('<schedule>');
      } else if (req.url === '/slow') {
        setTimeout(() => res.end(tinyXml()), 5_000).unref();
      } else if (req.url === '/redirect') {
        res.writeHead(302, { location: '/tiny.xml' }).end();
      } else if (req.url === '/tiny.xml') {
        res.end(tinyXml());
      } else res.writeHead(404).end('not here');
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a file over the limit is refused by its size, unread', async () => {
    const file = join(dir, 'big.xml');
    writeFileSync(file, Buffer.alloc(4096, 0x20));
    await assert.rejects(
      readScheduleSource(file, { maxBytes: 2048 }),
      expectError(
        'SCHEDULE_TOO_LARGE',
        new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(4 KB\\) is larger than the import limit of 2 KB \\(MAX_IMPORT_BYTES\\)`),
      ),
    );
    await assert.rejects(
      readScheduleSource(join(dir, 'missing.xml'), { maxBytes: 2048 }),
      expectError('SCHEDULE_FILE_UNREADABLE', /^Cannot read .*missing\.xml: no such file/),
    );
    assert.equal((await readScheduleSource(file, { maxBytes: 4096 })).bytes.length, 4096);
  });

  test('a download is streamed and stopped as soon as it passes the limit', async () => {
    await assert.rejects(
      readScheduleSource(`${base}/big-unannounced`, { maxBytes: 200_000 }),
      expectError('SCHEDULE_TOO_LARGE', /^The download \(more than 195\.3 KB so far\) is larger than the import limit/),
    );
    await assert.rejects(
      readScheduleSource(`${base}/big-announced`, { maxBytes: 200_000 }),
      expectError('SCHEDULE_TOO_LARGE', /^The download \(50 MB announced\)/),
    );
    for (let i = 0; i < 50 && aborted === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(aborted, 1, 'the server saw the connection closed');
  });

  test('a slow server times out; an HTTP error and a non-http URL are reported', async () => {
    const t = performance.now();
    await assert.rejects(
      readScheduleSource(`${base}/slow`, { maxBytes: 1e6, timeoutMs: 300 }),
      expectError('SCHEDULE_FETCH_TIMEOUT', /took longer than 0 s and was stopped/),
    );
    assert.ok(performance.now() - t < 2_000);
    await assert.rejects(readScheduleSource(`${base}/nope`, { maxBytes: 1e6 }), expectError('SCHEDULE_FETCH_FAILED', /the server answered HTTP 404 Not Found/));
    await assert.rejects(
      readScheduleSource('ftp://127.0.0.1/x.xml', { maxBytes: 1e6 }),
      expectError('SCHEDULE_FETCH_FAILED', /only http and https URLs can be imported/),
    );
  });

  test('redirects are followed and the final URL is reported for relative links', async () => {
    const r = await readScheduleSource(`${base}/redirect`, { maxBytes: 1e6 });
    assert.equal(r.url, `${base}/tiny.xml`);
    assert.match(Buffer.from(r.bytes).toString('utf8'), /<title>Tiny Conf<\/title>/);
  });
});

function listen(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** Everything an import could touch, counted, plus the event versions. */
async function state(db: Db): Promise<string> {
  const count = async (t: 'events' | 'sessions' | 'speakers' | 'rooms' | 'tracks' | 'session_links' | 'session_speakers' | 'communities') =>
    (
      await db
        .selectFrom(t)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
  const versions = await db.selectFrom('events').select(['slug', 'version']).orderBy('slug').execute();
  return JSON.stringify({
    events: await count('events'),
    communities: await count('communities'),
    sessions: await count('sessions'),
    speakers: await count('speakers'),
    rooms: await count('rooms'),
    tracks: await count('tracks'),
    links: await count('session_links'),
    people: await count('session_speakers'),
    versions,
  });
}
