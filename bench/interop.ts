/**
 * `node --import tsx bench/interop.ts`: the interop figures of issue 3, written to
 * docs/benchmarks.md with the command that produced them.
 *
 * 1. import time (parse + convert + check + write, SQLite file) of the two largest real-world
 *    samples and of the generated large event's own schedule.xml, each into a fresh database, and
 *    the re-import of the same file (nothing written);
 * 2. server time per request through Fastify's inject (no network) for schedule.xml, .json,
 *    .ics and sessionize.json of the large event: uncached (response cache off, snapshot warm: the render itself)
 *    and cached (response cache hit); median / p99;
 * 3. the size of each export.
 *
 * BENCH_ITERATIONS (default 100) sets the requests per case, BENCH_NO_WRITE=1 skips the file.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeSection } from './report.js';
import { Writable } from 'node:stream';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createDb, type Db } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { renderFrabXml } from '../src/formats/frab-xml.js';
import { importSchedule } from '../src/modules/schedule/schedule-import.actions.js';
import { largeEvent } from '../src/modules/demo/large-event.js';
import { importEventDocument } from '../src/modules/schedule/import.actions.js';
import { loadProgramSnapshot } from '../src/modules/schedule/snapshot.queries.js';
import { moduleContext, TEST_OPERATOR } from '../test/support/module-context.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 100);
const SAMPLES = join(process.env.HALLWAY_INTEROP_DIR ?? new URL('../../shared/interop/', import.meta.url).pathname, 'samples');
const dir = mkdtempSync(join(tmpdir(), 'hallway-bench-interop-'));
const lines: string[] = [];
const log = (s: string) => {
  console.log(s);
  lines.push(s);
};
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;
const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { median: q(0.5), p99: q(0.99) };
}

let dbCount = 0;
async function freshDb(): Promise<{ db: Db; file: string }> {
  const file = join(dir, `b${dbCount++}.sqlite`);
  const db = createDb({ kind: 'sqlite', filename: file });
  await migrateToLatest(db);
  return { db, file };
}

/** First import into a fresh database (median of 3), then a re-import of the same bytes. */
async function timeImport(bytes: Buffer, timeZone?: string) {
  const firsts: number[] = [];
  let again = 0;
  let summary: Awaited<ReturnType<typeof importEventDocument>> | undefined;
  for (let i = 0; i < 3; i++) {
    const { db } = await freshDb();
    let t = performance.now();
    summary = await importSchedule(db, bytes, { timeZone });
    firsts.push(performance.now() - t);
    if (i === 2) {
      t = performance.now();
      const s = await importSchedule(db, bytes, { timeZone });
      again = performance.now() - t;
      if (s.changed) throw new Error('re-import changed something');
    }
    await db.destroy();
  }
  return { first: stats(firsts).median, again, sessions: summary!.sessions.added };
}

async function main() {
  // 1. Imports.
  const doc = largeEvent();
  const { db: source } = await freshDb();
  const created = await importEventDocument(moduleContext(source), TEST_OPERATOR, doc);
  const largeXml = Buffer.from(renderFrabXml((await loadProgramSnapshot(source, created.eventId))!, 'https://hallway.example.org'));
  await source.destroy();
  const imports: string[] = [];
  for (const [label, bytes, zone] of [
    ['fosdem-2020.schedule.xml (FOSDEM 2020)', readFileSync(join(SAMPLES, 'fosdem-2020.schedule.xml')), 'Europe/Brussels'],
    ['36c3-merged.schedule.xml (36C3, merged)', readFileSync(join(SAMPLES, '36c3-merged.schedule.xml')), 'Europe/Berlin'],
    ['largecon-2027 schedule.xml (generated, exported by Hallway)', largeXml, undefined],
  ] as const) {
    const r = await timeImport(bytes, zone);
    imports.push(`| ${label} | ${kib(bytes.length)} | ${r.sessions} | ${ms(r.first)} | ${ms(r.again)} |`);
  }

  // 2. Exports through the server.
  const { db, file } = await freshDb();
  await importEventDocument(moduleContext(db), TEST_OPERATOR, doc);
  const cfg = (entries: number) =>
    loadConfig({ LOG_LEVEL: 'silent', BASE_URL: 'https://hallway.example.org' }, { database: { kind: 'sqlite', filename: file }, renderCacheEntries: entries });
  const uncached = await buildApp(cfg(0), { db, logger: false, migrate: false });
  // Fastify logs each request's server time (request received → response handed to the socket)
  // as responseTime; the cached server's log is read to report that, apart from the client's part.
  const serverTimes: number[] = [];
  const logSink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) {
        if (line.includes('"request completed"')) serverTimes.push((JSON.parse(line) as { responseTime: number }).responseTime);
      }
      done();
    },
  });
  const cached = await buildApp(cfg(500), { db, logger: { level: 'info', stream: logSink }, migrate: false, mailSender: false });
  const time = async (app: typeof uncached, url: string, headers: Record<string, string> = {}) => {
    const samples: number[] = [];
    let bytes: Buffer = Buffer.alloc(0);
    let status = 0;
    for (let i = 0; i < ITERATIONS + 10; i++) {
      const t0 = performance.now();
      const res = await app.app.inject({ method: 'GET', url, headers });
      const dt = performance.now() - t0;
      status = res.statusCode;
      bytes = res.rawPayload;
      if (i >= 10) samples.push(dt);
    }
    return { ...stats(samples), bytes, status };
  };
  // inject copies and decodes the whole body into its response object, which for a megabyte costs
  // milliseconds of its own; the time to the response headers from a real server on loopback
  // shows the server's part of a cache hit.
  await cached.app.listen({ port: 0, host: '127.0.0.1' });
  const origin = `http://127.0.0.1:${(cached.app.server.address() as AddressInfo).port}`;
  const ttfb = async (url: string) => {
    const samples: number[] = [];
    for (let i = 0; i < ITERATIONS + 10; i++) {
      if (i === 10) serverTimes.length = 0;
      const t0 = performance.now();
      const res = await fetch(origin + url);
      const dt = performance.now() - t0;
      await res.arrayBuffer();
      if (i >= 10) samples.push(dt);
    }
    await new Promise((r) => setImmediate(r));
    return { ...stats(samples), server: stats(serverTimes) };
  };
  const exports: string[] = [];
  for (const file of ['schedule.xml', 'schedule.json', 'schedule.ics', 'sessionize.json']) {
    const url = `/events/largecon-2027/${file}`;
    const render = await time(uncached, url);
    const hit = await time(cached, url);
    const hitGzip = await time(cached, url, { 'accept-encoding': 'gzip' });
    const head = await ttfb(url);
    const etag = (await cached.app.inject({ method: 'GET', url })).headers.etag as string;
    const notModified = await time(cached, url, { 'if-none-match': etag });
    if (render.status !== 200 || hit.status !== 200 || notModified.status !== 304)
      throw new Error(`${url}: ${render.status}/${hit.status}/${notModified.status}`);
    exports.push(
      `| ${file} | ${kib(render.bytes.length)} (${kib(gzipSync(render.bytes).length)} gzipped) | ${ms(render.median)} / ${ms(render.p99)} | ${ms(hit.median)} / ${ms(hit.p99)} | ${ms(hitGzip.median)} / ${ms(hitGzip.p99)} | ${ms(head.server.median)} / ${ms(head.server.p99)} | ${ms(head.median)} / ${ms(head.p99)} | ${ms(notModified.median)} / ${ms(notModified.p99)} |`,
    );
  }
  await uncached.close();
  await cached.close();
  await db.destroy();

  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  log(`## Schedule import and export (issue 3)\n`);
  log(
    `Produced by \`npm run bench\` (bench/interop.ts) on ${when} UTC; machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}, SQLite (WAL) in a temp file.`,
  );
  log(
    `Large event: the generated \`largecon-2027\` (\`hallway demo --size large\`): ${doc.sessions?.length} sessions, ${doc.rooms?.length} rooms, ${doc.speakers?.length} speakers, 2 days.\n`,
  );
  log(`### Import (\`hallway import\` without the process start: decode, parse, convert, check, write in one transaction)\n`);
  log(`First import into an empty database (median of 3 runs), and a re-import of the same file (nothing written).\n`);
  log(`| file | size | sessions | first import | re-import |\n| --- | --- | --- | --- | --- |`);
  imports.forEach(log);
  log(`\n### Export: server time per request (Fastify inject, ${ITERATIONS} requests each; median / p99)\n`);
  log(`- uncached: response cache off (RENDER_CACHE_ENTRIES=0), snapshot warm: the render itself`);
  log(
    `- cached: response cache hit (what every request gets until the programme changes); gzip: the same for a client that accepts gzip, as browsers and apps do`,
  );
  log(
    `- cached, server time: Fastify's responseTime for those real-server hits (request received → whole response handed to the socket), the server's part without the client's`,
  );
  log(
    `- cached, TTFB: the same against a real server on loopback (gzip accepted, as fetch does), time from request to response headers (inject copies and decodes a megabyte body itself, which is most of "cached")`,
  );
  log(`- 304: If-None-Match with the current ETag (all of a cache hit's server work except writing the body)\n`);
  log(
    `| export of largecon-2027 | size | uncached | cached | cached, gzip | cached, server time | cached, TTFB | 304 |\n| --- | --- | --- | --- | --- | --- | --- | --- |`,
  );
  exports.forEach(log);
  log(`\nTargets (issue 3): FOSDEM-scale import < 2 s; uncached export < 150 ms; cached < 2 ms.`);
  writeSection('interop', lines.join('\n'));
}

try {
  await main();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
