/**
 * The schedule editor on the generated FOSDEM-scale event (issue 13): 960 sessions, 60 rooms,
 * 1,047 speakers, plus what makes its warnings work: 6,000 people with about ten stars each
 * (track-clustered, Zipf-popular: ~100,000 co-starred pairs), the event's hours, and availability
 * windows for one speaker in ten. SQLite in a temp file.
 *
 * 1. Server time of one move with its warnings (the organizer API's POST …/schedule/moves through
 *    Fastify's inject, no network): the transaction (lock, version bump, checks, write, audit)
 *    and the warning index brought up to date incrementally, answer included. For comparison,
 *    what a full recomputation of the warnings costs (the index rebuilt from the database).
 * 2. Server time of the editor's state of a day (JSON) and of the page (HTML), warm.
 * 3. The page in Debian's Chromium (playwright-core, /usr/bin/chromium): navigation start to the
 *    editor ready (its script ran and rendered the day: performance mark `editor-ready`), from a
 *    real server on loopback; and the machine's ceiling for the same bytes: the recorded page and
 *    assets served from memory by a bare node:http server, loaded the same way.
 * Writes its section of docs/benchmarks.md.
 *
 *   node --import tsx bench/editor.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createDb, type Db } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createApiToken } from '../src/modules/accounts/api-token.actions.js';
import { actorFor } from '../src/modules/accounts/auth-session.queries.js';
import { largeEvent } from '../src/modules/demo/large-event.js';
import { loadPlanningInput } from '../src/modules/planning/planning.queries.js';
import { WarningIndex } from '../src/modules/planning/warnings.js';
import { importEventDocument } from '../src/modules/schedule/import.actions.js';
import { createTestUser } from '../test/factories/users.js';
import { moduleContext, TEST_OPERATOR } from '../test/support/module-context.js';
import { writeSection } from './report.js';

const MOVES = Number(process.env.BENCH_MOVES ?? 200);
const LOADS = Number(process.env.BENCH_LOADS ?? 12);
const VOTERS = 6000;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { median: q(0.5), p95: q(0.95), p99: q(0.99), max: s[s.length - 1]! };
}
const ms = (x: number) => (x < 10 ? `${x.toFixed(2)} ms` : `${Math.round(x)} ms`);

/** A seeded PRNG (mulberry32), so every run stars the same sessions. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * 6,000 voters with about ten stars each: each voter has one or two favourite tracks (70% of
 * their stars) and otherwise picks by a Zipf-like popularity over all sessions.
 */
async function addStars(db: Db, eventId: number): Promise<number> {
  const rand = prng(13);
  const sessions = await db
    .selectFrom('sessions')
    .select(['id', 'track_id'])
    .where('event_id', '=', eventId)
    .where('kind', '!=', 'break')
    .orderBy('id')
    .execute();
  const byTrack = new Map<number, number[]>();
  for (const s of sessions) if (s.track_id !== null) byTrack.set(s.track_id, [...(byTrack.get(s.track_id) ?? []), s.id]);
  const tracks = [...byTrack.keys()];
  const popular = sessions.map((s, i) => ({ id: s.id, w: 1 / (1 + i) ** 0.9 })).sort(() => rand() - 0.5);
  const total = popular.reduce((n, p) => n + p.w, 0);
  const pickPopular = () => {
    let r = rand() * total;
    for (const p of popular) if ((r -= p.w) <= 0) return p.id;
    return popular[0]!.id;
  };
  const now = '2027-01-20T12:00:00Z';
  let stars = 0;
  for (let chunk = 0; chunk < VOTERS; chunk += 500) {
    const users = await db
      .insertInto('users')
      .values(
        Array.from({ length: 500 }, (_, i) => ({
          email: `voter${chunk + i}@bench.example`,
          email_verified_at: now,
          password_hash: null,
          display_name: `Voter ${chunk + i}`,
          is_admin: 0,
          may_create_communities: 0,
          created_at: now,
          updated_at: now,
        })),
      )
      .returning('id')
      .execute();
    const rows: Array<{ user_id: number; session_id: number; event_id: number; created_at: string }> = [];
    for (const u of users) {
      const favourites = [tracks[Math.floor(rand() * tracks.length)]!, tracks[Math.floor(rand() * tracks.length)]!];
      const k = 4 + Math.floor(rand() * 13);
      const mine = new Set<number>();
      for (let j = 0; j < k; j++) {
        const list = byTrack.get(favourites[j % 2]!)!;
        mine.add(rand() < 0.7 ? list[Math.floor(rand() * list.length)]! : pickPopular());
      }
      for (const session_id of mine) rows.push({ user_id: u.id, session_id, event_id: eventId, created_at: now });
    }
    for (let i = 0; i < rows.length; i += 1000)
      await db
        .insertInto('agenda_stars')
        .values(rows.slice(i, i + 1000))
        .execute();
    stars += rows.length;
  }
  return stars;
}

/** The event's hours (08:30–19:30 each day) and availability for every tenth speaker (mornings only). */
async function addWindows(db: Db, eventId: number): Promise<void> {
  const rows: Array<{ event_id: number; room_id: null; speaker_id: number | null; user_id: null; starts_at: string; ends_at: string }> = [];
  for (const day of ['2027-02-06', '2027-02-07'])
    rows.push({ event_id: eventId, room_id: null, speaker_id: null, user_id: null, starts_at: `${day}T07:30:00Z`, ends_at: `${day}T18:30:00Z` });
  const speakers = await db.selectFrom('speakers').select('id').where('event_id', '=', eventId).orderBy('id').execute();
  for (const [i, s] of speakers.entries()) {
    if (i % 10 !== 0) continue;
    for (const day of ['2027-02-06', '2027-02-07'])
      rows.push({ event_id: eventId, room_id: null, speaker_id: s.id, user_id: null, starts_at: `${day}T08:00:00Z`, ends_at: `${day}T11:00:00Z` });
  }
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('availability')
      .values(rows.slice(i, i + 500))
      .execute();
}

/** A bare server answering recorded responses by path from memory: the ceiling of the browser measurement. */
function bareServer(responses: Map<string, { status: number; headers: Record<string, string>; body: Buffer }>): Promise<Server> {
  const server = createServer((req, res) => {
    const r = responses.get((req.url ?? '/').split('?')[0]!);
    if (!r) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(r.status, r.headers).end(r.body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hallway-bench-editor-'));
  const file = join(dir, 'editor.sqlite');
  try {
    const db = createDb({ kind: 'sqlite', filename: file });
    await migrateToLatest(db);
    const doc = largeEvent();
    const { eventId } = await importEventDocument(moduleContext(db), TEST_OPERATOR, doc);
    const stars = await addStars(db, eventId);
    await addWindows(db, eventId);
    const event = await db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirstOrThrow();
    const organizer = await createTestUser(db, {
      email: 'planner@bench.example',
      displayName: 'Bench Planner',
      grants: [{ scope: 'event', scopeId: eventId, role: 'organizer', trackIds: [] }],
    });
    const row = await db
      .selectFrom('users')
      .select(['id', 'display_name', 'is_admin', 'email_verified_at'])
      .where('id', '=', organizer.id)
      .executeTakeFirstOrThrow();
    const { token } = await createApiToken(db, await actorFor(db, row), 'bench');

    // A full recomputation, for comparison with the incremental move.
    const full: number[] = [];
    let index: WarningIndex | undefined;
    let pairs = 0;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const input = await loadPlanningInput(db, eventId, event.time_zone);
      index = new WarningIndex(input.world, input.sessions);
      full.push(performance.now() - t0);
      pairs = [...input.world.coStars.values()].reduce((n, m) => n + m.size, 0) / 2;
    }
    const warningsTotal = index!.size;

    const config = loadConfig({ LOG_LEVEL: 'silent' }, { database: { kind: 'sqlite', filename: file }, renderCacheEntries: 0 });
    const hallway = await buildApp(config, { db, logger: false, migrate: false, mailSender: false, webhookDispatcher: false });
    const auth = { authorization: `Bearer ${token}` };

    // Moves: sessions at the end of their room's day move to 19:10 and back (always free).
    const lastInRoom = await db
      .selectFrom('sessions')
      .select(['id', 'room_id', 'starts_at', 'ends_at'])
      .where('event_id', '=', eventId)
      .where('starts_at', '<', '2027-02-06T23:00:00Z')
      .orderBy('room_id')
      .orderBy('starts_at', 'desc')
      .execute();
    const seen = new Set<number>();
    const movers = lastInRoom.filter((s) => s.room_id !== null && !seen.has(s.room_id) && seen.add(s.room_id));
    const version = async () => Number((await db.selectFrom('events').select('version').where('id', '=', eventId).executeTakeFirstOrThrow()).version);
    const localOf = (stored: string) => new Date(Date.parse(stored) + 3600_000).toISOString().slice(0, 16); // February: CET, UTC+1
    const moveOnce = async (sessionId: number, start: string) => {
      const t0 = performance.now();
      const res = await hallway.app.inject({
        method: 'POST',
        url: `/api/v1/manage/events/${eventId}/schedule/moves`,
        headers: { ...auth, 'content-type': 'application/json' },
        payload: JSON.stringify({ action: 'move', sessionId, start, baseVersion: await versionCache.get() }),
      });
      const dt = performance.now() - t0;
      if (res.statusCode !== 200) throw new Error(`move: ${res.statusCode} ${res.body}`);
      versionCache.set(JSON.parse(res.body).data.version);
      return { dt, warnings: JSON.parse(res.body).data.warnings.length as number };
    };
    const versionCache = {
      v: 0,
      async get() {
        return this.v || (this.v = await version());
      },
      set(v: number) {
        this.v = v;
      },
    };
    // Warm the index (the editor's first read builds it).
    const warm = await hallway.app.inject({ method: 'GET', url: `/api/v1/manage/events/${eventId}/schedule?day=2027-02-06`, headers: auth });
    if (warm.statusCode !== 200) throw new Error(`state: ${warm.statusCode} ${warm.body}`);
    const moveSamples: number[] = [];
    let warningsSeen = 0;
    let cpu0 = process.cpuUsage();
    for (let i = 0; i < MOVES + 10; i++) {
      if (i === 10) cpu0 = process.cpuUsage();
      const s = movers[i % movers.length]!;
      const away = i % (2 * movers.length) < movers.length;
      const r = await moveOnce(s.id, away ? '2027-02-06T19:10' : localOf(s.starts_at));
      if (i >= 10) moveSamples.push(r.dt);
      warningsSeen += r.warnings;
    }
    const cpu = process.cpuUsage(cpu0);
    const cpuPerMove = (cpu.user + cpu.system) / 1000 / MOVES;
    const move = stats(moveSamples);

    const timeGet = async (url: string, headers: Record<string, string>, n = 50) => {
      const samples: number[] = [];
      let bytes = 0;
      for (let i = 0; i < n + 5; i++) {
        const t0 = performance.now();
        const res = await hallway.app.inject({ method: 'GET', url, headers });
        const dt = performance.now() - t0;
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
        bytes = res.rawPayload.length;
        if (i >= 5) samples.push(dt);
      }
      return { ...stats(samples), bytes };
    };
    const stateJson = await timeGet(`/api/v1/manage/events/${eventId}/schedule?day=2027-02-06`, auth);
    const cookie = { cookie: `hallway_session=${organizer.sessionCookie}` };
    const pageHtml = await timeGet(`/manage/events/${eventId}/schedule?day=2027-02-06`, cookie, 30);
    const poll = await timeGet(`/manage/events/${eventId}/schedule/state?day=2027-02-06&since=${await versionCache.get()}`, cookie);
    const dayState = JSON.parse(
      (await hallway.app.inject({ method: 'GET', url: `/api/v1/manage/events/${eventId}/schedule?day=2027-02-06`, headers: auth })).body,
    ).data;

    // The page in Chromium, from a real server; then the same bytes from a bare server.
    await hallway.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(hallway.app.server.address() as AddressInfo).port}`;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    const pagePath = `/manage/events/${eventId}/schedule?day=2027-02-06`;
    const recorded = new Map<string, { status: number; headers: Record<string, string>; body: Buffer }>();
    const load = async (origin: string, record: boolean) => {
      const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
      await context.addCookies([{ name: 'hallway_session', value: organizer.sessionCookie, url: origin }]);
      const page = await context.newPage();
      if (record) {
        page.on('response', async (res) => {
          const u = new URL(res.url());
          if (res.status() !== 200) return;
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers()))
            if (!['content-encoding', 'content-length', 'transfer-encoding', 'set-cookie'].includes(k)) headers[k] = v;
          recorded.set(u.pathname, { status: res.status(), headers, body: await res.body() });
        });
      }
      await page.goto(origin + pagePath, { waitUntil: 'commit' });
      await page.waitForSelector('[data-schedule-editor][data-ready]');
      const t = await page.evaluate(() => {
        const nav = (performance.getEntriesByType as (t: string) => PerformanceEntry[])('navigation')[0] as unknown as {
          responseEnd: number;
          domContentLoadedEventEnd: number;
        };
        const ready = performance.getEntriesByName('editor-ready')[0]!;
        return { ready: ready.startTime, response: nav.responseEnd, dcl: nav.domContentLoadedEventEnd, items: document.querySelectorAll('.ed-item').length };
      });
      await context.close();
      return t;
    };
    await load(base, true);
    const real: Array<{ ready: number; response: number; dcl: number; items: number }> = [];
    for (let i = 0; i < LOADS; i++) real.push(await load(base, false));
    await hallway.close();
    const bare = await bareServer(recorded);
    const bareBase = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
    const ceiling: Array<{ ready: number; response: number; dcl: number; items: number }> = [];
    for (let i = 0; i < LOADS; i++) ceiling.push(await load(bareBase, false));
    await new Promise((r) => bare.close(r));
    await browser.close();
    await db.destroy();

    const r = stats(real.map((x) => x.ready));
    const rResp = stats(real.map((x) => x.response));
    const rDcl = stats(real.map((x) => x.dcl));
    const c = stats(ceiling.map((x) => x.ready));
    const cResp = stats(ceiling.map((x) => x.response));
    const pageKiB = (recorded.get(`/manage/events/${eventId}/schedule`)?.body.length ?? 0) / 1024;
    const fullStats = stats(full);
    const machine = `${cpus().length} × ${cpus()[0]?.model.split(' ').slice(0, 2).join(' ') ?? 'CPU'}, Node ${process.version}, SQLite (WAL) in a temp file, Chromium ${browser.version()}; load average during the run ${loadavg()[0]!.toFixed(1)} (other work shares the cores: the browser figures move with it, the ceiling row shows by how much)`;
    const lines = [
      `## Schedule editor (issue 13)`,
      ``,
      `Produced by \`npm run bench\` (bench/editor.ts; alone: \`node --import tsx bench/editor.ts\`) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; machine: ${machine}.`,
      `Data: the generated large event \`${doc.event.slug}\`: 960 sessions, 60 rooms, ${doc.speakers?.length ?? 0} speakers, 2 days; ${VOTERS} people with ${stars} stars (track-clustered, Zipf-popular), ${pairs} pairs of sessions starred together by at least 10 people; the event's hours and mornings-only availability for one speaker in ten. ${warningsTotal} warnings in all, ${dayState.warnings.length} on day 1 (${dayState.sessions.length} sessions).`,
      ``,
      `### Server time (Fastify inject, no network; median / p95 / max)`,
      ``,
      `| what | size | time |`,
      `| --- | --- | --- |`,
      `| one move (\`POST /api/v1/manage/events/:id/schedule/moves\`: transaction, version bump, room and speaker checks, audit row, warnings of the moved session recomputed incrementally, answer), ${MOVES} moves | — | **${ms(move.median)}** / ${ms(move.p95)} / ${ms(move.max)}; CPU time ${ms(cpuPerMove)} per move |`,
      `| for comparison: every warning recomputed from the database (what a move would cost without the incremental index) | — | ${ms(fullStats.median)} / ${ms(fullStats.p95)} / ${ms(fullStats.max)} |`,
      `| the editor's state of day 1 (JSON: ${dayState.sessions.length} sessions, sidebar, warnings) | ${(stateJson.bytes / 1024).toFixed(0)} KiB | ${ms(stateJson.median)} / ${ms(stateJson.p95)} / ${ms(stateJson.max)} |`,
      `| the editor page, day 1 (HTML with the grid and the state for the script) | ${(pageHtml.bytes / 1024).toFixed(0)} KiB | ${ms(pageHtml.median)} / ${ms(pageHtml.p95)} / ${ms(pageHtml.max)} |`,
      `| the editor's once-a-second look when nothing changed (\`state?since=<version>\`) | ${poll.bytes} B | ${ms(poll.median)} / ${ms(poll.p95)} / ${ms(poll.max)} |`,
      ``,
      `### In the browser (${LOADS} loads each, a fresh browser context every time; median / p95)`,
      ``,
      `Navigation start to the editor ready: the page loaded, its script ran and rendered the ${real[0]?.items ?? 0} sessions of day 1 on the 60-room grid (performance mark \`editor-ready\`).`,
      ``,
      `| served by | HTML received | DOMContentLoaded | editor ready |`,
      `| --- | --- | --- | --- |`,
      `| Hallway (real server on loopback) | ${ms(rResp.median)} / ${ms(rResp.p95)} | ${ms(rDcl.median)} / ${ms(rDcl.p95)} | **${ms(r.median)}** / ${ms(r.p95)} |`,
      `| ceiling: the same bytes (page ${pageKiB.toFixed(0)} KiB, styles, script) from a bare node:http server | ${ms(cResp.median)} / ${ms(cResp.p95)} | — | ${ms(c.median)} / ${ms(c.p95)} |`,
      ``,
      `The ceiling is what this machine's Chromium needs for the page whatever the server does (parse, style, layout, the script's render); the difference is Hallway's server time.`,
      ``,
      `Targets (issue 13): page ready in the browser < 1 s: ${r.p95 < 1000 ? 'met' : 'missed'} (p95 ${ms(r.p95)}); one move saved with its warnings recomputed < 30 ms server time: ${move.p95 < 30 ? 'met' : 'missed'} (median ${ms(move.median)}, p95 ${ms(move.p95)}, CPU ${ms(cpuPerMove)} per move).`,
    ];
    for (const l of lines) console.log(l);
    writeSection('editor', lines.join('\n'));
    if (warningsSeen < 0) throw new Error('unreachable');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
