import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb } from '../../src/db/database.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { interopSkipReason, sample } from './support.js';
import { hallwayCli as hallway } from '../support/processes.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

for (const database of testDatabases) {
  describe(`hallway import on ${database.name}`, { skip: interopSkipReason }, () => {
    let dir: string;
    let env: Record<string, string>;
    let drop: () => Promise<void>;
    let server: Server;
    let base: string;
    let events: () => Promise<string[]>;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'hallway-cli-import-'));
      const created = await database.create();
      drop = created.drop;
      env = { DATABASE_URL: created.config.kind === 'sqlite' ? `sqlite:${created.config.filename}` : created.config.url };
      writeFileSync(join(dir, 'camp2019.json'), sample('camp2019-frab.schedule.json'));
      writeFileSync(
        join(dir, 'xxe.xml'),
        '<?xml version="1.0"?><!DOCTYPE schedule [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><schedule><version>&xxe;</version></schedule>',
      );
      server = createServer((req, res) => {
        if (req.url === '/romhack.xml') res.writeHead(200, { 'content-type': 'application/xml' }).end(sample('romhack-camp-2026-pretalx.schedule.xml'));
        else if (req.url === '/camp2019.json') res.writeHead(200, { 'content-type': 'application/json' }).end(sample('camp2019-frab.schedule.json'));
        else res.writeHead(404).end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      events = async () => {
        const db = createDb(created.config);
        try {
          return (await db.selectFrom('events').select('slug').orderBy('slug').execute()).map((e) => e.slug);
        } catch {
          return []; // no schema yet
        } finally {
          await db.destroy();
        }
      };
    });
    after(async () => {
      server.close();
      await drop();
      rmSync(dir, { recursive: true, force: true });
    });

    test('a file is imported with a summary, warnings and progress on stderr', async () => {
      const r = await hallway(['import', join(dir, 'camp2019.json')], env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        r.stdout,
        'camp2019: created (version 1); sessions +79 ~0 -0, speakers +90 ~0 -0, rooms +2 ~0 -0, tracks +7 ~0 -0, sponsors +0 ~0 -0\n' +
          '1 warning:\n  schedule.conference.days[4].rooms["Curie"][0]: links whose URL is not http(s) or cannot be resolved: 1 (e.g. "nymtech.net"); left out\n',
      );
      assert.match(r.stderr, /^reading: 0\/1 \(0%\)\nparsing: 0\/1 \(0%\)\n/);
      assert.match(r.stderr, /sessions: 79\/79 \(100%\)/);
    });

    test('the same schedule from a loopback URL changes nothing; another one is created under --event', async () => {
      const again = await hallway(['import', `${base}/camp2019.json`], env);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /^camp2019: unchanged \(version 1\); sessions \+0 ~0 -0/);
      const other = await hallway(['import', `${base}/romhack.xml`, '--event', 'romhack-2026', '--time-zone', 'Europe/Rome'], env);
      assert.equal(other.code, 0, other.stderr);
      assert.match(other.stdout, /^romhack-2026: created \(version 1\); sessions \+10 ~0 -0, speakers \+3 ~0 -0, rooms \+2 ~0 -0, tracks \+10 ~0 -0/);
      assert.deepEqual(await events(), ['camp2019', 'romhack-2026']);
    });

    test('bad input exits 2 with the reason and writes nothing', async () => {
      const xxe = await hallway(['import', join(dir, 'xxe.xml'), '--event', 'xxe'], env);
      assert.equal(xxe.code, 2);
      assert.match(xxe.stderr, /^hallway: The XML has a DOCTYPE with entity declarations \(<!ENTITY …>\)\. Hallway never expands entities/m);
      assert.deepEqual(await events(), ['camp2019', 'romhack-2026']);
    });

    test('over the size limit (exit 2), a missing zone (exit 2) and an HTTP error (exit 1)', async () => {
      const big = await hallway(['import', `${base}/camp2019.json`, '--event', 'big'], { ...env, MAX_IMPORT_BYTES: '4096' });
      assert.equal(big.code, 2);
      assert.match(big.stderr, /^hallway: The download \(.+\) is larger than the import limit of 4 KB \(MAX_IMPORT_BYTES\); nothing was changed\.$/m);
      writeFileSync(join(dir, 'fosdem.xml'), sample('fosdem-2020.schedule.xml'));
      const zone = await hallway(['import', join(dir, 'fosdem.xml')], env);
      assert.equal(zone.code, 2);
      assert.match(zone.stderr, /The schedule names no time zone .* Pass --time-zone with the IANA zone of the venue, e\.g\. --time-zone Europe\/Brussels/);
      assert.match(zone.stderr, /\n {2}conference\.time_zone_name: is missing; pass --time-zone\n/);
      const missing = await hallway(['import', `${base}/nope.xml`], env);
      assert.equal(missing.code, 1);
      assert.match(
        missing.stderr,
        /^hallway: Could not download http:\/\/127\.0\.0\.1:\d+\/nope\.xml: the server answered HTTP 404 Not Found; nothing was changed\.$/m,
      );
      const usage = await hallway(['import'], env);
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /import needs exactly one file, http\(s\) URL or - \(standard input\)/);
      assert.deepEqual(await events(), ['camp2019', 'romhack-2026']);
    });
  });
}
