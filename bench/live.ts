/**
 * Live updates benchmark (issue 13): 2,000 Server-Sent Events connections open on one server
 * process (the public stream of one published event, as 2,000 open schedule pages hold it)
 * receive each release notice within 1 s; memory per idle connection; what idle connections cost.
 *
 * For each database (SQLite in a temp file; PostgreSQL when BENCH_DATABASE_URL or
 * TEST_DATABASE_URL is set) a real server process (the build `npm start` runs, pinned to core 0)
 * holds the connections, which this process (core 1) opens and reads; this process also releases
 * (a third party sharing the database, as the release action in another server process would):
 * on SQLite the server's hub sees the release at its next poll (every 250 ms), on PostgreSQL by
 * NOTIFY. Delivery latency is from the release's commit to the message's arrival on each
 * connection, both timed here. Memory: the server's RSS and V8 heap after full garbage
 * collections (bench/memory-probe.mjs), before and after opening the connections, divided by
 * their number. Beside them, the same on bench/ceiling-sse.mjs, a bare node:http server holding
 * the same streams and writing the same message to all of them.
 * Writes its section of docs/benchmarks.md; exits 1 when a notice does not reach every connection.
 *
 *   node --import tsx bench/live.ts        (BENCH_LIVE_CONNECTIONS, BENCH_LIVE_RELEASES)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import type { DatabaseConfig } from '../src/config.js';
import { createDb } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { importEventDocument } from '../src/modules/schedule/import.actions.js';
import { buildEventDoc } from '../test/factories/event-doc.js';
import { moduleContext, TEST_OPERATOR } from '../test/support/module-context.js';
import { releaseProgramme } from '../test/support/releases.js';
import { writeSection } from './report.js';
import { cpuMsOf, hasTaskset, startBenchServer } from './server-process.js';

const CONNECTIONS = Number(process.env.BENCH_LIVE_CONNECTIONS ?? 2000);
const RELEASES = Number(process.env.BENCH_LIVE_RELEASES ?? 10);
const IDLE_SECONDS = Number(process.env.BENCH_LIVE_IDLE_SECONDS ?? 10);
const TARGET_MS = 1000;
const SLUG = 'live-bench-2027';

const PROBE = pathToFileURL(resolve('bench/memory-probe.mjs')).href;
const NODE_ARGS = ['--expose-gc', '--import', PROBE];

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Memory {
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
}

interface Target {
  /** Where the streams are, e.g. http://127.0.0.1:3456/events/x/live. */
  readonly streamUrl: string;
  readonly pid: number;
  readonly memoryFile: string;
  /** Releases (or fires) notice number `n`; resolves at the instant it is committed (or sent). */
  release(n: number): Promise<number>;
  stop(): Promise<void>;
}

interface Row {
  readonly name: string;
  readonly openSeconds: number;
  readonly latencies: number[];
  /** The slowest delivery of each release. */
  readonly slowest: number[];
  readonly rssPerConnection: number;
  readonly heapPerConnection: number;
  readonly idleCpuMsPerSecond: number;
  /** The same with no connection open: the server's own background work (mail sender, webhooks, checkpoints). */
  readonly baseCpuMsPerSecond: number;
  readonly load: string;
  readonly missing: number;
}

/** One open stream as this process reads it: when each release number arrived. */
interface Conn {
  readonly request: ClientRequest;
  readonly arrivals: Map<number, number>;
}

/** Opens one stream; resolves once the server follows the event for it (its first id line). */
function openStream(url: string): Promise<Conn> {
  return new Promise((resolveOpen, reject) => {
    const arrivals = new Map<number, number>();
    let buffer = '';
    let following = false;
    const request = httpRequest(url, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`${url}: HTTP ${res.statusCode}`));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = performance.now();
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!following && /^id: /m.test(block)) {
            following = true;
            resolveOpen(conn);
          }
          if (/^event: release$/m.test(block)) {
            const data = /^data: (.*)$/m.exec(block)?.[1];
            const n = data ? (JSON.parse(data) as { number: number }).number : 0;
            arrivals.set(n, at);
          }
        }
      });
      res.on('error', () => undefined);
    });
    const conn: Conn = { request, arrivals };
    request.on('error', reject);
    request.end();
  });
}

/** Opens `n` streams, 100 at a time. */
async function openStreams(url: string, n: number): Promise<Conn[]> {
  const conns: Conn[] = [];
  for (let i = 0; i < n; i += 100) conns.push(...(await Promise.all(Array.from({ length: Math.min(100, n - i) }, () => openStream(url)))));
  return conns;
}

function closeStreams(conns: readonly Conn[]): void {
  for (const c of conns) c.request.destroy();
}

/** The target's memory after full garbage collections (bench/memory-probe.mjs). */
async function memoryOf(target: Target): Promise<Memory> {
  if (existsSync(target.memoryFile)) unlinkSync(target.memoryFile);
  process.kill(target.pid, 'SIGUSR2');
  for (let i = 0; i < 500 && !existsSync(target.memoryFile); i++) await pause(20);
  return JSON.parse(readFileSync(target.memoryFile, 'utf8')) as Memory;
}

function quantile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

async function measure(name: string, target: Target): Promise<Row> {
  // Warm-up, not measured: 50 streams, two notices, closed again.
  const warm = await openStreams(target.streamUrl, 50);
  for (const n of [1, 2]) {
    await target.release(n);
    const deadline = performance.now() + 10_000;
    while (warm.some((c) => !c.arrivals.has(n)) && performance.now() < deadline) await pause(5);
  }
  closeStreams(warm);
  await pause(500);

  const idleCpu = async () => {
    const cpu0 = cpuMsOf(target.pid);
    await pause(IDLE_SECONDS * 1000);
    return (cpuMsOf(target.pid) - cpu0) / IDLE_SECONDS;
  };
  const baseCpuMsPerSecond = await idleCpu();
  const before = await memoryOf(target);
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
  const t0 = performance.now();
  const conns = await openStreams(target.streamUrl, CONNECTIONS);
  const openSeconds = (performance.now() - t0) / 1000;
  const after = await memoryOf(target);

  const idleCpuMsPerSecond = await idleCpu();

  const latencies: number[] = [];
  const slowest: number[] = [];
  let missing = 0;
  for (let r = 0; r < RELEASES; r++) {
    // At a random moment relative to the server's poll.
    await pause(200 + Math.random() * 500);
    const n = 3 + r;
    const committed = await target.release(n);
    const deadline = performance.now() + 10_000;
    while (conns.some((c) => !c.arrivals.has(n)) && performance.now() < deadline) await pause(2);
    const these = conns.map((c) => c.arrivals.get(n)).filter((a): a is number => a !== undefined);
    missing += conns.length - these.length;
    const ms = these.map((a) => a - committed);
    latencies.push(...ms);
    slowest.push(Math.max(...ms));
    console.log(`${name}: release ${n} reached ${these.length}/${conns.length} streams, slowest after ${Math.max(...ms).toFixed(0)} ms`);
  }
  closeStreams(conns);
  return {
    name,
    openSeconds,
    latencies,
    slowest,
    rssPerConnection: (after.rss - before.rss) / CONNECTIONS,
    heapPerConnection: (after.heapUsed - before.heapUsed) / CONNECTIONS,
    idleCpuMsPerSecond,
    baseCpuMsPerSecond,
    load,
    missing,
  };
}

/** A Hallway server process on `config` with one published event. */
async function hallwayTarget(config: DatabaseConfig, dir: string): Promise<Target> {
  const db = createDb(config);
  await migrateToLatest(db);
  await importEventDocument(moduleContext(db), TEST_OPERATOR, buildEventDoc({ slug: SLUG }));
  const eventId = (await db.selectFrom('events').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()).id;
  const memoryFile = join(dir, `memory-${randomBytes(4).toString('hex')}.json`);
  const server = await startBenchServer(
    { DATABASE_URL: config.kind === 'sqlite' ? `sqlite:${config.filename}` : config.url, BENCH_MEMORY_FILE: memoryFile },
    { nodeArgs: NODE_ARGS },
  );
  return {
    streamUrl: `${server.base}/events/${SLUG}/live`,
    pid: server.process.pid!,
    memoryFile,
    async release() {
      await releaseProgramme(db, eventId, { changes: 3 });
      return performance.now();
    },
    async stop() {
      await server.stop();
      await db.destroy();
    },
  };
}

/** bench/ceiling-sse.mjs, pinned like the Hallway server. */
async function ceilingTarget(dir: string): Promise<Target> {
  const port = 3400 + Math.floor(Math.random() * 1500);
  const memoryFile = join(dir, 'memory-ceiling.json');
  const cmd = [process.execPath, ...NODE_ARGS, 'bench/ceiling-sse.mjs', String(port)];
  const pinned = cpus().length >= 2 && process.env.BENCH_PIN !== '0' && hasTaskset();
  const child = spawn(pinned ? 'taskset' : cmd[0]!, pinned ? ['-c', '0', ...cmd] : cmd.slice(1), {
    env: { ...process.env, BENCH_MEMORY_FILE: memoryFile },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((r) => child.stdout!.once('data', r));
  const base = `http://127.0.0.1:${port}`;
  return {
    streamUrl: `${base}/stream`,
    pid: child.pid!,
    memoryFile,
    async release(n) {
      const sent = performance.now();
      await fetch(`${base}/fire?n=${n}`, { method: 'POST' });
      return sent;
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** The soft limit on open files of a process (each stream is one in the server, one here). */
function openFilesLimit(pid: number | 'self'): number {
  const line = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'))?.[1];
  return line === undefined || line === 'unlimited' ? Number.POSITIVE_INFINITY : Number(line);
}

async function main(): Promise<boolean> {
  const need = CONNECTIONS + 200;
  if (openFilesLimit('self') < need) {
    console.error(`bench/live.ts: ${CONNECTIONS} connections need \`ulimit -n\` ≥ ${need} (now ${openFilesLimit('self')}); raise it and run again.`);
    return false;
  }
  const dir = mkdtempSync(join(tmpdir(), 'hallway-bench-live-'));
  const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const admin = pgUrl ? new pg.Client({ connectionString: pgUrl }) : undefined;
  await admin?.connect();
  const databases: string[] = [];
  const rows: Row[] = [];
  let serverLimit = Number.POSITIVE_INFINITY;
  const run = async (name: string, make: () => Promise<Target>) => {
    const target = await make();
    serverLimit = Math.min(serverLimit, openFilesLimit(target.pid));
    try {
      rows.push(await measure(name, target));
    } finally {
      await target.stop();
    }
  };
  try {
    await run('SQLite (WAL), poll every 250 ms', () => hallwayTarget({ kind: 'sqlite', filename: join(dir, 'live.sqlite') }, dir));
    if (pgUrl) {
      await run('PostgreSQL, LISTEN/NOTIFY', async () => {
        const name = `hallway_bench_${randomBytes(4).toString('hex')}`;
        await admin!.query(`CREATE DATABASE ${name}`);
        databases.push(name);
        const url = new URL(pgUrl);
        url.pathname = `/${name}`;
        return hallwayTarget({ kind: 'postgres', url: url.toString() }, dir);
      });
    } else console.log('PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    await run('ceiling: bare node:http SSE server', () => ceilingTarget(dir));
  } finally {
    for (const name of databases) await admin!.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin?.end();
    rmSync(dir, { recursive: true, force: true });
  }

  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  const hallway = rows.filter((r) => !r.name.startsWith('ceiling'));
  const within = (r: Row) => r.slowest.filter((s) => s <= TARGET_MS).length;
  const lines = [
    '## Live updates (issue 13)',
    '',
    `Produced by \`npm run bench\` (\`node --import tsx bench/live.ts\`) on ${when} UTC; machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}; open files allowed (\`ulimit -n\`): ${openFilesLimit('self')} here, ${serverLimit} in the server.`,
    `${CONNECTIONS} Server-Sent Events connections to the public stream of one published event (\`GET /events/<slug>/live\`, what ${CONNECTIONS} open schedule pages hold), on one server process (the build \`npm start\` runs, pinned to core 0 with taskset; this process, which opens and reads every connection, on core 1), then ${RELEASES} releases of the programme made by this process, a third party on the same database as another server's release action would be, each at a random moment. ${pgUrl ? 'PostgreSQL on the same machine.' : 'PostgreSQL skipped (no BENCH_DATABASE_URL or TEST_DATABASE_URL).'}`,
    "Delivery: from the release's commit to the notice's arrival on each connection (both timed in this process), over all connections and releases; slowest: the last connection of the slowest release. Memory per idle connection: the server's RSS and V8 heap after full garbage collections (bench/memory-probe.mjs), after opening the connections minus before, divided by their number. CPU while idle: the server's CPU (user + system) per second over " +
      `${IDLE_SECONDS} s while nothing happens, with the connections open and (in brackets) before they were opened, which is the server's own background work (mail sender, reminders, webhook dispatcher, SQLite's checkpointer). With connections, SQLite adds the hub's poll: one statement every 250 ms for all subscribed events together, however many connections (about 0.04 ms of CPU each); PostgreSQL adds nothing (heartbeat comments every 25 s aside).`,
    'Load: the 1, 5 and 15 minute load averages just before opening the connections (over 2 means the benchmark got less than the whole machine).',
    '',
    '| server | connections | opened in | delivery p50 | p99 | slowest | releases all delivered within 1 s | RSS per idle connection | heap per idle connection | CPU while idle | load |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => {
      const sorted = [...r.latencies].sort((a, b) => a - b);
      return `| ${r.name} | ${CONNECTIONS} | ${r.openSeconds.toFixed(1)} s | ${ms(quantile(sorted, 0.5))} | ${ms(quantile(sorted, 0.99))} | ${ms(Math.max(...r.slowest))} | ${within(r)} of ${r.slowest.length}${r.missing ? ` (**${r.missing} notices never arrived**)` : ''} | ${kib(r.rssPerConnection)} | ${kib(r.heapPerConnection)} | ${r.idleCpuMsPerSecond.toFixed(1)} ms/s (${r.baseCpuMsPerSecond.toFixed(1)} ms/s) | ${r.load} |`;
    }),
    '',
    'The ceiling row is bench/ceiling-sse.mjs: a bare node:http server holding the same streams and writing the same message to all at once (its delivery is timed from the request that makes it write), nothing else. What Hallway adds is the difference; what is left is Node, the socket, the loopback and this one client process reading 2,000 sockets on a shared machine. RSS moves with the allocator (a freed arena is not always returned), so it is the rougher figure; the heap is the steadier one.',
    '',
    `Each connection is one open file in the server (and one in the client): \`ulimit -n\` (systemd \`LimitNOFILE\`) must exceed the connections a process is to hold plus its database and other files; the common default soft limit of 1,024 allows fewer than 1,000 open pages per process. A process holds at most 10,000 streams and answers more with 503 LIVE_UNAVAILABLE (the pages then work without live updates). Behind a reverse proxy, each stream is also a connection of the proxy (nginx: \`worker_connections\`, and \`proxy_read_timeout\` above the 25 s heartbeat).`,
    '',
    ...(Math.max(...rows.map((r) => Number(r.load.split(',')[0])), 0) > 2
      ? [
          `The machine was shared during this run (load average above 2 on ${cpus().length} cores, see the table): delivery times, the client's reading of ${CONNECTIONS} sockets included, are longer than on a quiet machine; memory per connection does not depend on it.`,
          '',
        ]
      : []),
    'Target (issue 13): 2,000 open SSE connections on one process receive a release notice within 1 s; memory per idle connection stated.',
    `This run: ${hallway.map((r) => `${r.name}: ${within(r)} of ${r.slowest.length} releases reached all ${CONNECTIONS} within 1 s (${within(r) === r.slowest.length && r.missing === 0 ? 'met' : 'not met'})`).join('; ')}.`,
  ];
  writeSection('live', lines.join('\n'));
  return rows.every((r) => r.missing === 0);
}

if (!(await main())) {
  console.error('live updates: a release notice did not reach every connection');
  process.exit(1);
}
