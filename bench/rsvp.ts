/**
 * RSVP benchmark (issue #5): 2,000 concurrent RSVP attempts for 100 seats, against the actions
 * directly (no HTTP; the load generator is this process) and over HTTP (a server process under
 * autocannon, each request a different person's token), on SQLite (one connection, as one
 * server process has) and, when BENCH_DATABASE_URL or TEST_DATABASE_URL is set, on PostgreSQL
 * (the server's pool of 10). Reports throughput, latency percentiles and the CPU spent per RSVP
 * by the process running Hallway, then
 * checks the invariant: exactly 100 going (the first 100 to arrive), 1,900 waitlisted in arrival
 * order with contiguous arrival numbers, one RSVP and one mail per person; then 50 going people
 * cancel at once and exactly the first 50 in line are promoted, each once, with one mail each.
 * Writes its section of docs/benchmarks.md; exits 1 when an invariant breaks.
 *
 *   node --import tsx bench/rsvp.ts
 */
import { systemClock } from '../src/lib/clock.js';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { DatabaseConfig } from '../src/config.js';
import { createDb, type Db } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { Actor } from '../src/modules/accounts/actor.js';
import { changeCapacity } from '../src/modules/registration/registration.actions.js';
import { cancelRsvp, rsvp } from '../src/modules/registration/rsvp.actions.js';
import type { RegistrationContext } from '../src/modules/registration/rsvp.queries.js';
import autocannon from 'autocannon';
import { createApiToken } from '../src/modules/accounts/api-token.actions.js';
import { writeSection } from './report.js';
import { startBenchServer, startCeilingServer } from './server-process.js';

const ATTEMPTS = Number(process.env.BENCH_RSVPS ?? 2000);
const SEATS = 100;
const CANCELLATIONS = 50;
const POOL = Number(process.env.BENCH_PG_POOL ?? 10);
const CONNECTIONS = 50;

interface Result {
  readonly name: string;
  readonly seconds: number;
  readonly p50: number;
  readonly p99: number;
  readonly cpuMsPerRsvp: number;
  readonly load: string;
  readonly cancelSeconds: number;
  readonly problems: readonly string[];
  readonly ceiling?: Ceiling;
}

async function setup(db: Db): Promise<{ eventId: number; organizer: Actor; people: Actor[] }> {
  const now = '2027-01-01T00:00:00Z';
  const c = await db.insertInto('communities').values({ slug: 'bench', name: 'Bench', url: null, created_at: now }).returning('id').executeTakeFirstOrThrow();
  const meetup = (slug: string, title: string) =>
    db
      .insertInto('events')
      .values({
        community_id: c.id,
        slug,
        kind: 'meetup',
        title,
        acronym: 'bench',
        time_zone: 'Europe/Berlin',
        start_date: '2099-05-01',
        end_date: '2099-05-01',
        venue_url: null,
        code_of_conduct_url: null,
        url: null,
        capacity: SEATS,
        published: 1,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
  const e = await meetup('bench-meetup', 'Bench meetup');
  // The HTTP runs first warm the server up on this one (same requests, another event).
  await meetup('bench-warm-up', 'Warm-up meetup');
  const people: Actor[] = [];
  for (let i = 0; i < ATTEMPTS; i += 500) {
    const rows = Array.from({ length: Math.min(500, ATTEMPTS - i) }, (_, k) => ({
      email: `p${i + k}@bench.example`,
      email_verified_at: now,
      password_hash: null,
      display_name: `Person ${i + k}`,
      is_admin: 0,
      created_at: now,
      updated_at: now,
    }));
    for (const r of await db.insertInto('users').values(rows).returning(['id', 'display_name']).execute())
      people.push({ userId: r.id, displayName: r.display_name, isAdmin: false, emailVerified: true, grants: [] });
  }
  const admin = await db
    .insertInto('users')
    .values({ email: 'admin@bench.example', email_verified_at: now, password_hash: null, display_name: 'admin', is_admin: 1, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { eventId: e.id, organizer: { userId: admin.id, displayName: 'admin', isAdmin: true, emailVerified: true, grants: [] }, people };
}

const loadNow = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');

/**
 * How the attempts reach Hallway: straight to the actions from this process, or as HTTP requests
 * to a server process. Returns each attempt's resulting RSVP, latencies and the CPU spent.
 */
interface Rush {
  attempt(
    people: Actor[],
    eventId: number,
  ): Promise<{ outcomes: { id: number; status: string; waitlistPosition: number | null }[]; latencies: number[]; cpuMs: number; seconds: number }>;
  /** Returns the seconds it took. */
  cancel(people: Actor[], eventId: number): Promise<number>;
  /** Over HTTP: the same answer from a bare node:http server (what the transport alone costs here). */
  ceiling?(who: Actor): Promise<Ceiling>;
  close(): Promise<void>;
}

interface Ceiling {
  readonly requestsPerSecond: number;
  readonly cpuUsPerRequest: number;
}

function actionRush(db: Db, ctx: RegistrationContext): Rush {
  return {
    async attempt(people, eventId) {
      // Every attempt at once; arrival order is the order they were submitted in.
      const latencies: number[] = [];
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const outcomes = await Promise.all(
        people.map(async (p) => {
          const t = performance.now();
          const r = await rsvp(db, ctx, p, eventId, { attending: true });
          latencies.push(performance.now() - t);
          return r.rsvp;
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      return { outcomes, latencies, cpuMs: (cpu.user + cpu.system) / 1000, seconds };
    },
    async cancel(people, eventId) {
      const t0 = performance.now();
      await Promise.all(people.map((p) => cancelRsvp(db, ctx, p, eventId)));
      return (performance.now() - t0) / 1000;
    },
    async close() {},
  };
}

/**
 * A real server process (the build `npm start` runs, on core 0 when taskset is there) and
 * autocannon on 50 connections, each request a different person's PUT /api/v1/me/events/…/rsvp
 * with their own personal access token. Latency is then per request, as a client sees it.
 */
async function httpRush(db: Db, databaseUrl: string, people: Actor[]): Promise<Rush> {
  const tokens = new Map<number, string>();
  for (const p of people) tokens.set(p.userId, (await createApiToken(db, p, 'bench')).token);
  const server = await startBenchServer({ DATABASE_URL: databaseUrl });
  const base = server.base;
  const urlOf = (slug: string) => `${base}/api/v1/me/events/${slug}/rsvp`;
  // autocannon ends a run on its 1-second tick, so the run's own length is rounded up; the time
  // to the last response is what the attempts took.
  let lastResponseAt = 0;
  const load = (method: 'PUT' | 'DELETE', who: Actor[], onBody?: (body: string) => void, slug = 'bench-meetup') => {
    let next = 0;
    return autocannon({
      url: urlOf(slug),
      connections: Math.min(CONNECTIONS, who.length),
      amount: who.length,
      requests: [
        {
          method,
          ...(method === 'PUT' ? { body: '{"attending":true}' } : {}),
          setupRequest: (req: autocannon.Request) => ({
            ...req,
            headers: {
              ...req.headers,
              ...(method === 'PUT' ? { 'content-type': 'application/json' } : {}),
              authorization: `Bearer ${tokens.get(who[next++]!.userId)}`,
            },
          }),
          onResponse: (status: number, body: string) => {
            if (status !== 200) throw new Error(`RSVP over HTTP: ${status} ${body}`);
            lastResponseAt = performance.now();
            onBody?.(body);
          },
        },
      ],
    });
  };
  return {
    async attempt(who) {
      const outcomes: { id: number; status: string; waitlistPosition: number | null }[] = [];
      // Warm-up, not measured: the same requests for another event, so the server's code is
      // compiled (JIT) as in a server that has been up for a while, not as in one just started.
      const warm = await load('PUT', who, undefined, 'bench-warm-up');
      if (warm.non2xx > 0 || warm.errors > 0) throw new Error(`RSVP warm-up over HTTP: ${warm.non2xx} non-2xx, ${warm.errors} errors`);
      const cpu0 = server.cpuMs();
      const t0 = performance.now();
      const r = await load('PUT', who, (body) =>
        outcomes.push((JSON.parse(body) as { data: { id: number; status: string; waitlistPosition: number | null } }).data),
      );
      if (r.non2xx > 0 || r.errors > 0) throw new Error(`RSVP over HTTP: ${r.non2xx} non-2xx, ${r.errors} errors`);
      // autocannon reports a latency histogram, not the samples: p50 and p99 stand for all.
      return { outcomes, latencies: [r.latency.p50, r.latency.p99], cpuMs: server.cpuMs() - cpu0, seconds: (lastResponseAt - t0) / 1000 };
    },
    async cancel(who) {
      const t0 = performance.now();
      await load('DELETE', who);
      return (lastResponseAt - t0) / 1000;
    },
    async ceiling(who) {
      // One RSVP answer as Hallway sent it (the person's RSVP again: nothing changes), repeated
      // by a server that does nothing else, under the same load.
      const res = await fetch(urlOf('bench-meetup'), {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(who.userId)}` },
        body: '{"attending":true}',
      });
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => {
        if (k !== 'transfer-encoding') headers[k] = v;
      });
      const bare = await startCeilingServer([{ status: res.status, headers, body: Buffer.from(await res.arrayBuffer()) }]);
      try {
        const opts = {
          url: `${bare.base}/case/0`,
          method: 'PUT' as const,
          body: '{"attending":true}',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(who.userId)}` },
          connections: CONNECTIONS,
        };
        await autocannon({ ...opts, duration: 2 });
        const cpu0 = bare.cpuMs();
        const r = await autocannon({ ...opts, duration: 5 });
        return { requestsPerSecond: r.requests.average, cpuUsPerRequest: ((bare.cpuMs() - cpu0) * 1000) / r.requests.total };
      } finally {
        await bare.stop();
      }
    },
    async close() {
      await server.stop();
    },
  };
}

async function run(name: string, config: DatabaseConfig, via: 'action' | 'http'): Promise<Result> {
  const db = createDb(config, { poolSize: POOL });
  try {
    await migrateToLatest(db);
    const { eventId, organizer, people } = await setup(db);
    const ctx: RegistrationContext = {
      config: { baseUrl: 'http://localhost:3000', smtpUrl: undefined, database: config },
      secret: randomBytes(32).toString('hex'),
      clock: systemClock,
    };
    await changeCapacity(db, ctx, organizer, eventId, { capacity: SEATS });
    const load = loadNow();

    const rush = via === 'action' ? actionRush(db, ctx) : await httpRush(db, databaseUrlOf(config), people);
    try {
      const { outcomes, latencies, cpuMs, seconds } = await rush.attempt(people, eventId);
      latencies.sort((a, b) => a - b);
      const q = (p: number) => (via === 'http' ? latencies[p === 0.5 ? 0 : 1]! : latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!);

      const problems: string[] = [];
      const check = (ok: boolean, what: string) => {
        if (!ok) problems.push(what);
      };
      const rows = await db.selectFrom('rsvps').select(['id', 'user_id', 'status', 'waitlist_seq']).where('event_id', '=', eventId).orderBy('id').execute();
      const going = rows.filter((r) => r.status === 'going');
      const waiting = rows.filter((r) => r.status === 'waitlisted').sort((a, b) => a.waitlist_seq! - b.waitlist_seq!);
      check(rows.length === ATTEMPTS && new Set(rows.map((r) => r.user_id)).size === ATTEMPTS, `one RSVP per person (${rows.length} rows)`);
      check(going.length === SEATS, `going = seats (${going.length})`);
      check(
        going.every((r, i) => r.id === rows[i]!.id),
        'the first to arrive got the seats',
      );
      check(waiting.length === ATTEMPTS - SEATS && waiting.every((r, i) => r.id === rows[SEATS + i]!.id), 'waitlist in arrival order');
      check(
        waiting.every((r, i) => r.waitlist_seq === SEATS + 1 + i),
        'contiguous arrival numbers',
      );
      check(
        outcomes.filter((o) => o.status === 'waitlisted').every((o) => o.waitlistPosition === o.id - rows[SEATS]!.id + 1),
        'waitlist positions shown',
      );
      const mails = await db.selectFrom('mail_outbox').select(['to_address', 'subject']).where('subject', 'like', '%Bench meetup').execute();
      check(mails.length === ATTEMPTS && new Set(mails.map((m) => m.to_address)).size === ATTEMPTS, `one mail per person (${mails.length})`);

      // Churn: the first 50 going cancel at once; the first 50 in line get their seats, once each.
      const byUser = new Map(people.map((p) => [p.userId, p]));
      const cancelSeconds = await rush.cancel(
        going.slice(0, CANCELLATIONS).map((r) => byUser.get(r.user_id)!),
        eventId,
      );
      const after = await db.selectFrom('rsvps').select(['id', 'status', 'promoted_at']).where('event_id', '=', eventId).orderBy('id').execute();
      const promotedIds = after.filter((r) => r.promoted_at !== null).map((r) => r.id);
      check(after.filter((r) => r.status === 'going').length === SEATS, 'confirmed = capacity after cancellations');
      check(JSON.stringify(promotedIds) === JSON.stringify(waiting.slice(0, CANCELLATIONS).map((r) => r.id)), 'the first in line were promoted');
      const promotedMails = await db
        .selectFrom('mail_outbox')
        .select(['to_address', (eb) => eb.fn.countAll<number>().as('n')])
        .where('subject', 'like', 'A seat opened up%Bench meetup')
        .groupBy('to_address')
        .execute();
      check(promotedMails.length === CANCELLATIONS && promotedMails.every((m) => Number(m.n) === 1), 'each promoted once, one mail each');

      const ceiling = rush.ceiling && config.kind === 'sqlite' ? await rush.ceiling(people[0]!) : undefined;
      const result: Result = { name, seconds, p50: q(0.5), p99: q(0.99), cpuMsPerRsvp: cpuMs / ATTEMPTS, load, cancelSeconds, problems, ceiling };
      console.log(
        `${name}: ${ATTEMPTS} RSVPs for ${SEATS} seats in ${seconds.toFixed(2)} s = ${Math.round(ATTEMPTS / seconds)} RSVPs/s; ` +
          `latency p50 ${q(0.5).toFixed(0)} ms, p99 ${q(0.99).toFixed(0)} ms; CPU ${result.cpuMsPerRsvp.toFixed(2)} ms per RSVP; ` +
          `${CANCELLATIONS} cancellations in ${cancelSeconds.toFixed(2)} s; load ${load}; invariant ${problems.length ? `BROKEN: ${problems.join('; ')}` : 'OK'}` +
          (ceiling
            ? `; bare node:http with the same answer: ${Math.round(ceiling.requestsPerSecond)} req/s, ${Math.round(ceiling.cpuUsPerRequest)} µs CPU per request`
            : ''),
      );
      return result;
    } finally {
      await rush.close();
    }
  } finally {
    await db.destroy();
  }
}

function databaseUrlOf(config: DatabaseConfig): string {
  return config.kind === 'sqlite' ? `sqlite:${config.filename}` : config.url;
}

async function main(): Promise<boolean> {
  const results: Result[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'hallway-bench-rsvp-'));
  const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const admin = pgUrl ? new pg.Client({ connectionString: pgUrl }) : undefined;
  await admin?.connect();
  const databases: string[] = [];
  const freshPostgres = async (): Promise<DatabaseConfig> => {
    const name = `hallway_bench_${randomBytes(4).toString('hex')}`;
    await admin!.query(`CREATE DATABASE ${name}`);
    databases.push(name);
    const url = new URL(pgUrl!);
    url.pathname = `/${name}`;
    return { kind: 'postgres', url: url.toString() };
  };
  try {
    // The actions first: starting the HTTP runs' server moves this process to core 1.
    results.push(await run('SQLite (WAL, one connection)', { kind: 'sqlite', filename: join(dir, 'action.sqlite') }, 'action'));
    if (pgUrl) results.push(await run(`PostgreSQL (pool of ${POOL})`, await freshPostgres(), 'action'));
    else console.log('PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    results.push(await run('SQLite (WAL), over HTTP', { kind: 'sqlite', filename: join(dir, 'http.sqlite') }, 'http'));
    if (pgUrl) results.push(await run('PostgreSQL, over HTTP', await freshPostgres(), 'http'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    for (const name of databases) await admin!.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin?.end();
  }

  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  const lines = [
    '## RSVP under load (issue 5)',
    '',
    `Produced by \`npm run bench\` (\`node --import tsx bench/rsvp.ts\`) on ${when} UTC; machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}.`,
    `${ATTEMPTS} RSVP attempts for ${SEATS} seats by ${ATTEMPTS} different people, measured two ways. Action: all submitted at once to the RSVP action (no HTTP) from this process; SQLite (WAL) in a temp file through the one connection a server process has. Over HTTP: a real server process (the build \`npm start\` runs, pinned to core 0 with taskset; this process on core 1) and autocannon on ${CONNECTIONS} connections, each request a different person's \`PUT /api/v1/me/events/…/rsvp\` with their own personal access token (the cancellations are \`DELETE\`s the same way), after a warm-up that is not measured: the same ${ATTEMPTS} people RSVP first to another event, so the server's code is compiled as in a server that has been up for a while. PostgreSQL ${pgUrl ? 'on the same machine' : 'skipped (no BENCH_DATABASE_URL or TEST_DATABASE_URL)'}.`,
    "Latency: for the action runs from submission to result, so it includes waiting in line behind all other attempts (p99 ≈ the whole run); over HTTP per request, as autocannon measures it with 50 requests in flight. CPU per RSVP: user + system time of the process running Hallway (this one for the actions, the server over HTTP; the PostgreSQL server's not included).",
    'Load: the 1, 5 and 15 minute load averages just before the run (over 2 means the benchmark got less than the whole machine).',
    '',
    '| database | attempts | seats | throughput | p50 | p99 | CPU per RSVP | load | invariant |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| ${r.name} | ${ATTEMPTS} | ${SEATS} | ${Math.round(ATTEMPTS / r.seconds)} RSVPs/s | ${ms(r.p50)} | ${ms(r.p99)} | ${r.cpuMsPerRsvp.toFixed(2)} ms | ${r.load} | ${r.problems.length ? `**BROKEN**: ${r.problems.join('; ')}` : 'OK'} |`,
    ),
    '',
    `Invariant checked after each run: one RSVP and one mail per person; exactly ${SEATS} going, the first ${SEATS} to arrive; the other ${ATTEMPTS - SEATS} waitlisted in arrival order with contiguous arrival numbers and the positions they were shown; then ${CANCELLATIONS} going people cancel at once (${results.map((r) => `${r.cancelSeconds.toFixed(2)} s on ${r.name}`).join(', ')}) and exactly the first ${CANCELLATIONS} in line are promoted, each once with one mail, leaving ${SEATS} going.`,
    '',
    ...results
      .filter((r) => r.ceiling)
      .map(
        (r) =>
          `What the transport alone costs on this machine (${r.name}): bench/ceiling-server.mjs, a bare node:http server that answers every PUT with the RSVP answer Hallway sent (status, headers, body) from memory and does nothing else, pinned and loaded the same way: ${Math.round(r.ceiling!.requestsPerSecond)} requests/s, ${Math.round(r.ceiling!.cpuUsPerRequest)} µs CPU per request (Hallway: ${(r.cpuMsPerRsvp * 1000).toFixed(0)} µs per RSVP). Compare machines and sessions by this line: the same code gives other figures on a slower machine.\n`,
      ),
    'Target (issue 5): ≥ 1,000 RSVPs/s on SQLite on this 2-core machine; confirmed never above capacity.',
    verdict(results),
  ];
  writeSection('rsvp', lines.join('\n'));
  return results.every((r) => r.problems.length === 0);
}

if (!(await main())) {
  console.error('RSVP invariant BROKEN');
  process.exit(1);
}

/** The target line's verdict for this run, per SQLite row, with the invariant. */
function verdict(results: readonly Result[]): string {
  const sqlite = results.filter((r) => r.name.startsWith('SQLite'));
  const rate = (r: Result) => Math.round(ATTEMPTS / r.seconds);
  const met = sqlite.filter((r) => rate(r) >= 1000);
  const parts = sqlite.map((r) => `${r.name}: ${rate(r)} RSVPs/s, ${rate(r) >= 1000 ? 'met' : 'not met'}`);
  const invariant = results.every((r) => r.problems.length === 0) ? 'the invariant held in every run' : 'an invariant broke (see above)';
  return `This run: ${parts.join('; ')} (${met.length === sqlite.length ? 'target met' : 'target not met'}); ${invariant}.`;
}
