/**
 * RSVP benchmark (issue #5): 2,000 concurrent RSVP attempts for 100 seats against the actions
 * directly (no HTTP; the load generator is this process), on SQLite (one connection, as one
 * server process has) and, when BENCH_DATABASE_URL or TEST_DATABASE_URL is set, on PostgreSQL
 * (the server's pool of 10). Reports throughput, latency percentiles (every attempt is submitted
 * at once, so latency includes waiting in line) and the CPU this process spent per RSVP, then
 * checks the invariant: exactly 100 going (the first 100 to arrive), 1,900 waitlisted in arrival
 * order with contiguous arrival numbers, one RSVP and one mail per person; then 50 going people
 * cancel at once and exactly the first 50 in line are promoted, each once, with one mail each.
 * Writes its section of docs/benchmarks.md; exits 1 when an invariant breaks.
 *
 *   node --import tsx bench/rsvp.ts
 */
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
import { writeSection } from './report.js';

const ATTEMPTS = Number(process.env.BENCH_RSVPS ?? 2000);
const SEATS = 100;
const CANCELLATIONS = 50;
const POOL = Number(process.env.BENCH_PG_POOL ?? 10);

interface Result {
  readonly name: string;
  readonly seconds: number;
  readonly p50: number;
  readonly p99: number;
  readonly cpuMsPerRsvp: number;
  readonly load: string;
  readonly cancelSeconds: number;
  readonly problems: readonly string[];
}

async function setup(db: Db): Promise<{ eventId: number; organizer: Actor; people: Actor[] }> {
  const now = '2027-01-01T00:00:00Z';
  const c = await db.insertInto('communities').values({ slug: 'bench', name: 'Bench', url: null, created_at: now }).returning('id').executeTakeFirstOrThrow();
  const e = await db
    .insertInto('events')
    .values({ community_id: c.id, slug: 'bench-meetup', kind: 'meetup', title: 'Bench meetup', acronym: 'bench', time_zone: 'Europe/Berlin', start_date: '2099-05-01', end_date: '2099-05-01', venue_url: null, code_of_conduct_url: null, url: null, capacity: SEATS, published: 1, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const people: Actor[] = [];
  for (let i = 0; i < ATTEMPTS; i += 500) {
    const rows = Array.from({ length: Math.min(500, ATTEMPTS - i) }, (_, k) => ({ email: `p${i + k}@bench.example`, email_verified_at: now, password_hash: null, display_name: `Person ${i + k}`, is_admin: 0, created_at: now, updated_at: now }));
    for (const r of await db.insertInto('users').values(rows).returning(['id', 'display_name']).execute()) people.push({ userId: r.id, displayName: r.display_name, isAdmin: false, emailVerified: true, grants: [] });
  }
  const admin = await db.insertInto('users').values({ email: 'admin@bench.example', email_verified_at: now, password_hash: null, display_name: 'admin', is_admin: 1, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
  return { eventId: e.id, organizer: { userId: admin.id, displayName: 'admin', isAdmin: true, emailVerified: true, grants: [] }, people };
}

const loadNow = () => loadavg().map((x) => x.toFixed(2)).join(', ');

async function run(name: string, config: DatabaseConfig): Promise<Result> {
  const db = createDb(config, { poolSize: POOL });
  try {
    await migrateToLatest(db);
    const { eventId, organizer, people } = await setup(db);
    const ctx: RegistrationContext = { config: { baseUrl: 'http://localhost:3000', smtpUrl: undefined, database: config }, secret: randomBytes(32).toString('hex') };
    await changeCapacity(db, ctx, organizer, eventId, { capacity: SEATS });
    const load = loadNow();

    // The rush: every attempt at once; arrival order is the order they were submitted in.
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
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;

    const problems: string[] = [];
    const check = (ok: boolean, what: string) => {
      if (!ok) problems.push(what);
    };
    const rows = await db.selectFrom('rsvps').select(['id', 'user_id', 'status', 'waitlist_seq']).where('event_id', '=', eventId).orderBy('id').execute();
    const going = rows.filter((r) => r.status === 'going');
    const waiting = rows.filter((r) => r.status === 'waitlisted').sort((a, b) => a.waitlist_seq! - b.waitlist_seq!);
    check(rows.length === ATTEMPTS && new Set(rows.map((r) => r.user_id)).size === ATTEMPTS, `one RSVP per person (${rows.length} rows)`);
    check(going.length === SEATS, `going = seats (${going.length})`);
    check(going.every((r, i) => r.id === rows[i]!.id), 'the first to arrive got the seats');
    check(waiting.length === ATTEMPTS - SEATS && waiting.every((r, i) => r.id === rows[SEATS + i]!.id), 'waitlist in arrival order');
    check(waiting.every((r, i) => r.waitlist_seq === SEATS + 1 + i), 'contiguous arrival numbers');
    check(outcomes.filter((o) => o.status === 'waitlisted').every((o) => o.waitlistPosition === o.id - rows[SEATS]!.id + 1), 'waitlist positions shown');
    const mails = await db.selectFrom('mail_outbox').select(['to_address', 'subject']).execute();
    check(mails.length === ATTEMPTS && new Set(mails.map((m) => m.to_address)).size === ATTEMPTS, `one mail per person (${mails.length})`);

    // Churn: the first 50 going cancel at once; the first 50 in line get their seats, once each.
    const byUser = new Map(people.map((p) => [p.userId, p]));
    const c0 = performance.now();
    await Promise.all(going.slice(0, CANCELLATIONS).map((r) => cancelRsvp(db, ctx, byUser.get(r.user_id)!, eventId)));
    const cancelSeconds = (performance.now() - c0) / 1000;
    const after = await db.selectFrom('rsvps').select(['id', 'status', 'promoted_at']).where('event_id', '=', eventId).orderBy('id').execute();
    const promotedIds = after.filter((r) => r.promoted_at !== null).map((r) => r.id);
    check(after.filter((r) => r.status === 'going').length === SEATS, 'confirmed = capacity after cancellations');
    check(JSON.stringify(promotedIds) === JSON.stringify(waiting.slice(0, CANCELLATIONS).map((r) => r.id)), 'the first in line were promoted');
    const promotedMails = await db
      .selectFrom('mail_outbox')
      .select(['to_address', (eb) => eb.fn.countAll<number>().as('n')])
      .where('subject', 'like', 'A seat opened up%')
      .groupBy('to_address')
      .execute();
    check(promotedMails.length === CANCELLATIONS && promotedMails.every((m) => Number(m.n) === 1), 'each promoted once, one mail each');

    const result: Result = { name, seconds, p50: q(0.5), p99: q(0.99), cpuMsPerRsvp: (cpu.user + cpu.system) / 1000 / ATTEMPTS, load, cancelSeconds, problems };
    console.log(
      `${name}: ${ATTEMPTS} RSVPs for ${SEATS} seats in ${seconds.toFixed(2)} s = ${Math.round(ATTEMPTS / seconds)} RSVPs/s; ` +
        `latency p50 ${q(0.5).toFixed(0)} ms, p99 ${q(0.99).toFixed(0)} ms; CPU ${result.cpuMsPerRsvp.toFixed(2)} ms per RSVP; ` +
        `${CANCELLATIONS} cancellations in ${cancelSeconds.toFixed(2)} s; load ${load}; invariant ${problems.length ? `BROKEN: ${problems.join('; ')}` : 'OK'}`,
    );
    return result;
  } finally {
    await db.destroy();
  }
}

async function main(): Promise<boolean> {
  const results: Result[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'hallway-bench-rsvp-'));
  try {
    results.push(await run('SQLite (WAL, one connection)', { kind: 'sqlite', filename: join(dir, 'bench.sqlite') }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (pgUrl) {
    const name = `hallway_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(pgUrl);
    url.pathname = `/${name}`;
    try {
      results.push(await run(`PostgreSQL (pool of ${POOL})`, { kind: 'postgres', url: url.toString() }));
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  } else console.log('PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');

  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  const lines = [
    '## RSVP under load (issue 5)',
    '',
    `Produced by \`npm run bench\` (\`node --import tsx bench/rsvp.ts\`) on ${when} UTC; machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}.`,
    `${ATTEMPTS} RSVP attempts for ${SEATS} seats, all submitted at once to the RSVP action (no HTTP) from this process, by ${ATTEMPTS} different people; SQLite (WAL) in a temp file through the one connection a server process has; PostgreSQL ${pgUrl ? 'on the same machine' : 'skipped (no BENCH_DATABASE_URL or TEST_DATABASE_URL)'}.`,
    'Latency is from submission to result, so it includes waiting in line behind the other attempts (p99 ≈ the whole run). CPU is this process\'s user + system time per RSVP (the database server\'s not included).',
    'Load: the 1, 5 and 15 minute load averages just before the run (the machine is shared; over 2 means the benchmark got less than the whole machine).',
    '',
    '| database | attempts | seats | throughput | p50 | p99 | CPU per RSVP | load | invariant |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| ${r.name} | ${ATTEMPTS} | ${SEATS} | ${Math.round(ATTEMPTS / r.seconds)} RSVPs/s | ${ms(r.p50)} | ${ms(r.p99)} | ${r.cpuMsPerRsvp.toFixed(2)} ms | ${r.load} | ${r.problems.length ? `**BROKEN**: ${r.problems.join('; ')}` : 'OK'} |`,
    ),
    '',
    `Invariant checked after each run: one RSVP and one mail per person; exactly ${SEATS} going, the first ${SEATS} to arrive; the other ${ATTEMPTS - SEATS} waitlisted in arrival order with contiguous arrival numbers and the positions they were shown; then ${CANCELLATIONS} going people cancel at once (${results.map((r) => `${r.cancelSeconds.toFixed(2)} s on ${r.name.split(' ')[0]}`).join(', ')}) and exactly the first ${CANCELLATIONS} in line are promoted, each once with one mail, leaving ${SEATS} going.`,
    '',
    'Target (issue 5): ≥ 1,000 RSVPs/s on SQLite on this 2-core machine; confirmed never above capacity.',
  ];
  writeSection('rsvp', lines.join('\n'));
  return results.every((r) => r.problems.length === 0);
}

if (!(await main())) {
  console.error('RSVP invariant BROKEN');
  process.exit(1);
}
