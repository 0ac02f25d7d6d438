/**
 * Releasing a FOSDEM-sized programme: the generated large event (960 sessions, 60 rooms), every
 * speaker with an account, 200 sessions moved in the draft, then releaseSchedule: the
 * release_sessions rows for every placed session, the changelog, one mail per affected speaker
 * with its .ics, the version bump and the audit row, in one transaction. SQLite (WAL) in a temp
 * file. Writes its section of docs/benchmarks.md.
 *
 *   node --import tsx bench/release.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDb } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { systemClock } from '../src/lib/clock.js';
import { largeEvent } from '../src/modules/demo/large-event.js';
import { importEventDocument } from '../src/modules/schedule/import.actions.js';
import { releaseSchedule } from '../src/modules/schedule/release.actions.js';
import { moduleContext, TEST_OPERATOR } from '../test/support/module-context.js';
import { writeSection } from './report.js';

const MOVED = 200;
const RUNS = 12;

const dir = mkdtempSync(join(tmpdir(), 'hallway-bench-release-'));
try {
  const file = join(dir, 'release.sqlite');
  const database = { kind: 'sqlite' as const, filename: file };
  const db = createDb(database);
  await migrateToLatest(db);
  const { eventId } = await importEventDocument(moduleContext(db), TEST_OPERATOR, largeEvent());
  const now = '2027-01-10T12:00:00Z';
  const speakers = await db.selectFrom('speakers').select(['id', 'name']).where('event_id', '=', eventId).execute();
  for (let i = 0; i < speakers.length; i += 500) {
    const chunk = speakers.slice(i, i + 500);
    const users = await db
      .insertInto('users')
      .values(
        chunk.map((s) => ({
          email: `speaker${s.id}@bench.example`,
          email_verified_at: now,
          password_hash: null,
          display_name: s.name,
          is_admin: 0,
          created_at: now,
          updated_at: now,
        })),
      )
      .returning('id')
      .execute();
    for (const [k, s] of chunk.entries()) await db.updateTable('speakers').set({ user_id: users[k]!.id }).where('id', '=', s.id).execute();
  }
  const sessions = await db.selectFrom('sessions').select(['id', 'starts_at', 'ends_at']).where('event_id', '=', eventId).orderBy('id').execute();
  const ctx = { db, clock: systemClock, config: { baseUrl: 'https://hallway.example.org', smtpUrl: 'smtp://127.0.0.1:2525', database } };
  const shift = (at: string, minutes: number) => new Date(Date.parse(at) + minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

  const samples: number[] = [];
  let changes = 0;
  let mails = 0;
  for (let run = 0; run < RUNS; run++) {
    // 200 different sessions each run, moved five minutes later (a draft edit, not measured).
    const moved = sessions
      .slice((run * MOVED) % sessions.length)
      .concat(sessions)
      .slice(0, MOVED);
    for (const s of moved) {
      const current = await db.selectFrom('sessions').select(['starts_at', 'ends_at']).where('id', '=', s.id).executeTakeFirstOrThrow();
      await db
        .updateTable('sessions')
        .set({ starts_at: shift(current.starts_at, 5), ends_at: shift(current.ends_at, 5) })
        .where('id', '=', s.id)
        .execute();
    }
    const t0 = performance.now();
    const r = await releaseSchedule(ctx, TEST_OPERATOR, eventId, { comment: `Run ${run}` });
    samples.push(performance.now() - t0);
    changes = r.changes.length;
    mails = r.mailsQueued;
  }
  await db.destroy();
  const sorted = samples.slice(2).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const worst = sorted[sorted.length - 1]!;
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  console.log(`release of ${MOVED} moved sessions: median ${ms(median)}, worst ${ms(worst)} (${changes} changes, ${mails} mails)`);
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  writeSection(
    'release',
    [
      '## Releasing a FOSDEM-sized programme',
      '',
      `Produced by \`npm run bench\` (\`node --import tsx bench/release.ts\`) on ${when} UTC; machine: ${cpus().length} × ${cpus()[0]?.model.split(' ').slice(0, 2).join(' ')}, Node ${process.version}, SQLite (WAL) in a temp file.`,
      `The generated large event (${sessions.length} sessions, 60 rooms), every speaker with an account. Each run moves ${MOVED} sessions in the draft, then times \`releaseSchedule\`: ${sessions.length} release_sessions rows, ${changes} changelog rows, ${mails} speaker mails with their .ics queued in the outbox, version bump and audit row, one transaction. ${RUNS} runs, the first two dropped as warm-up. Target (issue 13): under 1 s.`,
      '',
      '| what | median | worst |',
      '| --- | --- | --- |',
      `| release with ${MOVED} moved sessions (${changes} changes, ${mails} mails) | ${ms(median)} | ${ms(worst)} |`,
    ].join('\n'),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
