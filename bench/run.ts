/**
 * `npm run bench`: measures the figures issue #2 asks for on the generated FOSDEM-scale event and
 * writes them to docs/benchmarks.md with the command that produced them.
 *
 * 1. import time of the large event (SQLite file);
 * 2. server time per request through Fastify's inject (no network): cold (snapshot read from the
 *    database + render), uncached render (response cache off), and cached (response cache hit);
 * 3. a real server in a child process under autocannon (50 connections, loopback): requests/s and
 *    latency for the schedule page and the sessions JSON as browsers ask (brotli), gzip-only and
 *    uncompressed, and If-None-Match (304);
 * 4. the server process's peak RSS (VmHWM).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { writeSection } from './report.js';
import { startBenchServer, startCeilingServer } from './server-process.js';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createDb } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { importEventDocument } from '../src/modules/schedule/import.actions.js';
import { largeEvent } from '../src/modules/demo/large-event.js';
import { moduleContext, TEST_OPERATOR } from '../test/support/module-context.js';

const SLUG = 'largecon-2027';
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const P99_TARGET_MS = 50;

const dir = mkdtempSync(join(tmpdir(), 'hallway-bench-'));
const dbFile = join(dir, 'bench.sqlite');
const lines: string[] = [];
const log = (s: string) => {
  console.log(s);
  lines.push(s);
};

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { median: q(0.5), p99: q(0.99) };
}
const ms = (x: number) => `${x.toFixed(2)} ms`;

/** One response as it came over the wire (no decompression): status, headers and bytes. */
function rawResponse(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const h: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string' && k !== 'transfer-encoding') h[k] = v;
        resolve({ status: res.statusCode!, headers: h, body: Buffer.concat(chunks) });
      });
    })
      .on('error', reject)
      .end();
  });
}

async function main() {
  const doc = largeEvent();
  const db = createDb({ kind: 'sqlite', filename: dbFile });
  await migrateToLatest(db);
  let t = performance.now();
  await importEventDocument(moduleContext(db), TEST_OPERATOR, doc);
  const importMs = performance.now() - t;
  t = performance.now();
  const again = await importEventDocument(moduleContext(db), TEST_OPERATOR, doc);
  const reimportMs = performance.now() - t;

  const schedulePath = `/events/${SLUG}/schedule`;
  const sessionsPath = `/api/v1/events/${SLUG}/sessions`;
  const first = doc.event.startDate;

  const config = loadConfig({ LOG_LEVEL: 'silent' }, { database: { kind: 'sqlite', filename: dbFile }, renderCacheEntries: 0 });
  const uncached = await buildApp(config, { db, logger: false, migrate: false });
  const cachedCfg = loadConfig({ LOG_LEVEL: 'silent' }, { database: { kind: 'sqlite', filename: dbFile }, renderCacheEntries: 500 });
  const cached = await buildApp(cachedCfg, { db, logger: false, migrate: false });

  const timeInject = async (app: typeof uncached, url: string, before?: () => void) => {
    const samples: number[] = [];
    let bytes = 0;
    for (let i = 0; i < ITERATIONS + 10; i++) {
      before?.();
      const t0 = performance.now();
      const res = await app.app.inject({ method: 'GET', url });
      const dt = performance.now() - t0;
      if (res.statusCode !== 200) throw new Error(`${url}: HTTP ${res.statusCode}`);
      bytes = res.rawPayload.length;
      if (i >= 10) samples.push(dt);
    }
    return { ...stats(samples), bytes };
  };

  const rows: string[] = [];
  for (const [label, url] of [
    ['schedule page (day 1 grid)', `${schedulePath}?day=${first}`],
    ['schedule page (list view, day 1)', `${schedulePath}?day=${first}&view=list`],
    ['sessions JSON (all)', sessionsPath],
  ] as const) {
    const cold = await timeInject(uncached, url, () => uncached.ctx.snapshots.clear());
    const render = await timeInject(uncached, url);
    const hit = await timeInject(cached, url);
    rows.push(
      `| ${label} | ${(render.bytes / 1024).toFixed(0)} KiB | ${ms(cold.median)} / ${ms(cold.p99)} | ${ms(render.median)} / ${ms(render.p99)} | ${ms(hit.median)} / ${ms(hit.p99)} |`,
    );
  }
  await uncached.close();
  await cached.close();
  await db.destroy();

  // A real server process under load (see bench/server-process.ts: the build, pinned to core 0).
  const server = await startBenchServer({ DATABASE_URL: `sqlite:${dbFile}` });
  const { base, pinned } = server;
  const etag = (await fetch(`${base}${schedulePath}?day=${first}`)).headers.get('etag') ?? '';
  const BROWSER = { 'accept-encoding': 'gzip, deflate, br, zstd' };
  const cases = [
    ['schedule page (day 1), as browsers ask (brotli)', `${schedulePath}?day=${first}`, BROWSER],
    ['sessions JSON, as browsers ask (brotli)', sessionsPath, BROWSER],
    ['schedule page (day 1), gzip only', `${schedulePath}?day=${first}`, { 'accept-encoding': 'gzip' }],
    ['schedule page (day 1), uncompressed', `${schedulePath}?day=${first}`, {}],
    ['sessions JSON, uncompressed', sessionsPath, {}],
    ['schedule page, If-None-Match → 304', `${schedulePath}?day=${first}`, { 'if-none-match': etag }],
  ] as const;
  const hallway = [];
  const recorded = [];
  for (const [_i, [, path, headers]] of cases.entries()) {
    // Warm-up (discarded): the first request of each kind renders and compresses, and the JIT
    // settles; a running server has done both long before.
    await autocannon({ url: base + path, connections: CONNECTIONS, duration: 2, headers });
    const cpuBefore = server.cpuMs();
    const r = await autocannon({ url: base + path, connections: CONNECTIONS, duration: DURATION, headers });
    hallway.push({ ...r, cpuUsPerRequest: ((server.cpuMs() - cpuBefore) * 1000) / r.requests.total });
    recorded.push(await rawResponse(base + path, headers));
  }
  const hwm = server.peakRssMb();
  await server.stop();

  // The same bytes from a server that does nothing else: the load generator's ceiling.
  const ceiling = await startCeilingServer(recorded);
  const load: string[] = [];
  const verdict: { met: string[]; bound: string[]; missed: string[] } = { met: [], bound: [], missed: [] };
  for (const [i, [label, , headers]] of cases.entries()) {
    const url = `${ceiling.base}/case/${i}`;
    await autocannon({ url, connections: CONNECTIONS, duration: 2, headers });
    const bare = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers });
    const r = hallway[i]!;
    load.push(
      `| ${label} | ${(recorded[i]!.body.length / 1024).toFixed(0)} KiB | ${Math.round(r.requests.average)} | ${r.latency.p50} ms | ${r.latency.p99} ms | ${r.non2xx === 0 ? 'none' : r.non2xx} | ${Math.round(r.cpuUsPerRequest)} µs | ${Math.round(bare.requests.average)} req/s, p99 ${bare.latency.p99} ms |`,
    );
    // The p99 target, read against the ceiling: a miss where even the bare server misses it is
    // this machine's load generator and loopback, not Hallway.
    if (r.latency.p99 < P99_TARGET_MS) verdict.met.push(label);
    else if (bare.latency.p99 >= P99_TARGET_MS) verdict.bound.push(`${label} (bare server p99 ${bare.latency.p99} ms)`);
    else verdict.missed.push(label);
  }
  await ceiling.stop();
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  log(`## Programme pages and API (issue 2)\n`);
  log(
    `Produced by \`npm run bench\` (bench/run.ts) on ${when} UTC; machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}, SQLite (WAL) in a temp file.`,
  );
  log(
    `Data: the generated large event \`${SLUG}\` (\`hallway demo --size large\`): ${doc.sessions?.length} sessions, ${doc.rooms?.length} rooms, ${doc.speakers?.length} speakers, 2 days.\n`,
  );
  log(`### Import\n`);
  log(`| what | time |\n| --- | --- |`);
  log(`| first import (creates everything) | ${ms(importMs)} |`);
  log(`| re-import of the same document (no change: ${again.changed ? 'CHANGED!' : 'nothing written'}) | ${ms(reimportMs)} |\n`);
  log(`### Server time per request (Fastify inject, ${ITERATIONS} requests each; median / p99)\n`);
  log(`- cold: snapshot cache cleared before each request (programme read from SQLite + render)`);
  log(`- uncached: response cache off (RENDER_CACHE_ENTRIES=0), snapshot warm: the render itself`);
  log(`- cached: response cache hit (what repeat requests get until the programme changes)\n`);
  log(`| response | size | cold | uncached | cached |\n| --- | --- | --- | --- | --- |`);
  rows.forEach(log);
  log(
    `\n### Under load (autocannon, ${CONNECTIONS} connections, ${DURATION} s each after a 2 s warm-up, same machine, server in its own process${pinned ? '; server pinned to core 0, load generator to core 1 (taskset)' : ''})\n`,
  );
  log(
    `| response | body | requests/s | p50 | p99 | non-2xx | server CPU per request | same bytes from a bare node:http server |\n| --- | --- | --- | --- | --- | --- | --- | --- |`,
  );
  load.forEach(log);
  log(
    `\nServer CPU per request: the server process's user + system time during the run (/proc/<pid>/stat) divided by the requests it answered; 1 s divided by it is what one core can serve, whatever the load generator manages.`,
  );
  log(
    `The last column is the ceiling of this set-up: bench/ceiling-server.mjs answers with the bytes Hallway sent (status, headers, body) from memory and does nothing else, measured the same way.`,
  );
  log(`\nPeak RSS of the server process (VmHWM, whole run): **${hwm.toFixed(0)} MB**.\n`);
  log(
    `Targets (issue #2): schedule page median < 20 ms uncached; repeat requests from a cache with ETag/304; p99 < 50 ms at 50 connections; peak RSS < 250 MB.\n`,
  );
  log(`p99 < ${P99_TARGET_MS} ms at ${CONNECTIONS} connections: met for ${verdict.met.join('; ') || 'none'}.`);
  if (verdict.bound.length)
    log(
      `Above it, with the bare server above it as well (the limit of autocannon and loopback on this machine for that many bytes, not of Hallway): ${verdict.bound.join('; ')}.`,
    );
  if (verdict.missed.length) log(`**Missed by Hallway** (the bare server meets it): ${verdict.missed.join('; ')}.`);
  writeSection('programme', lines.join('\n'));
}

try {
  await main();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
