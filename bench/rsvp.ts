/**
 * RSVP benchmark (issue #5): 2,000 concurrent RSVP attempts for 100 seats against the actions
 * directly (no HTTP), on SQLite (one connection, as one server process has) and, when
 * BENCH_DATABASE_URL or TEST_DATABASE_URL is set, on PostgreSQL (a pool of 10). Prints
 * throughput and latency percentiles and checks the invariant afterwards: exactly 100 going,
 * 1,900 waitlisted with contiguous arrival numbers, one RSVP per person.
 *
 *   node --import tsx bench/rsvp.ts
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { DatabaseConfig } from '../src/config.js';
import { createDb, type Db } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { Actor } from '../src/modules/accounts/actor.js';
import { changeCapacity } from '../src/modules/registration/registration.actions.js';
import { rsvp } from '../src/modules/registration/rsvp.actions.js';
import type { RegistrationContext } from '../src/modules/registration/rsvp.queries.js';

const ATTEMPTS = Number(process.env.BENCH_RSVPS ?? 2000);
const SEATS = 100;

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

async function run(name: string, config: DatabaseConfig): Promise<boolean> {
  const db = createDb(config, { poolSize: 10 });
  try {
    await migrateToLatest(db);
    const { eventId, organizer, people } = await setup(db);
    const ctx: RegistrationContext = { config: { baseUrl: 'http://localhost:3000', smtpUrl: undefined, database: config }, secret: randomBytes(32).toString('hex') };
    await changeCapacity(db, ctx, organizer, eventId, { capacity: SEATS });
    const latencies: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      people.map(async (p) => {
        const t = performance.now();
        await rsvp(db, ctx, p, eventId, { attending: true });
        latencies.push(performance.now() - t);
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
    const rows = await db.selectFrom('rsvps').select(['user_id', 'status', 'waitlist_seq']).where('event_id', '=', eventId).execute();
    const going = rows.filter((r) => r.status === 'going').length;
    const seqs = rows.filter((r) => r.status === 'waitlisted').map((r) => r.waitlist_seq!).sort((a, b) => a - b);
    const ok =
      rows.length === ATTEMPTS &&
      new Set(rows.map((r) => r.user_id)).size === ATTEMPTS &&
      going === SEATS &&
      seqs.length === ATTEMPTS - SEATS &&
      seqs.every((s, i) => s === SEATS + 1 + i);
    console.log(
      `${name}: ${ATTEMPTS} RSVPs for ${SEATS} seats in ${seconds.toFixed(2)} s = ${Math.round(ATTEMPTS / seconds)} RSVPs/s; ` +
        `latency p50 ${q(0.5).toFixed(1)} ms, p99 ${q(0.99).toFixed(1)} ms (all submitted at once, so latency includes queueing); ` +
        `invariant ${ok ? 'OK' : 'BROKEN'} (going ${going}, waitlisted ${seqs.length}, rows ${rows.length})`,
    );
    return ok;
  } finally {
    await db.destroy();
  }
}

async function main() {
  let ok = true;
  const dir = mkdtempSync(join(tmpdir(), 'hallway-bench-rsvp-'));
  try {
    ok = (await run('SQLite', { kind: 'sqlite', filename: join(dir, 'bench.sqlite') })) && ok;
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
      ok = (await run('PostgreSQL', { kind: 'postgres', url: url.toString() })) && ok;
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  } else console.log('PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
  if (!ok) process.exit(1);
}

await main();
