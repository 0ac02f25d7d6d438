/**
 * Reviewing a FOSDEM-sized call (pretalx#1675: 1,894 proposals made pretalx's review list slow
 * enough to cap it at 200): 1,900 proposals by 1,900 speakers (every tenth with a co-speaker),
 * 5 reviews each by 10 reviewers, on SQLite in a temp file. Measures what a reviewer waits for:
 * the proposals list (newest first, and best average score first) and one proposal with its
 * reviews, as the back-office pages serve them (through Fastify's inject, signed in, no network),
 * and the list query alone. Writes its section of docs/benchmarks.md.
 *
 *   node --import tsx bench/proposals.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createDb } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { actorOf } from '../test/program/support.js';
import { createTestUser, type TestUser } from '../test/factories/users.js';
import { getProposalForReview, listProposalsForReview } from '../src/modules/cfp/proposal.queries.js';
import { largeEvent } from '../src/modules/demo/large-event.js';
import { importEventDocument } from '../src/modules/schedule/import.actions.js';
import { writeSection } from './report.js';
import { moduleContext, TEST_OPERATOR } from '../test/support/module-context.js';

const PROPOSALS = 1900;
const REVIEWERS = 10;
const REVIEWS_EACH = 5;
const RUNS = 30;

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { median: q(0.5), p99: q(0.99) };
}

async function time(fn: () => Promise<unknown>): Promise<{ median: number; p99: number }> {
  for (let i = 0; i < 5; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return stats(samples);
}

const dir = mkdtempSync(join(tmpdir(), 'hallway-bench-proposals-'));
try {
  const file = join(dir, 'cfp.sqlite');
  const db = createDb({ kind: 'sqlite', filename: file });
  await migrateToLatest(db);
  const { eventId } = await importEventDocument(moduleContext(db), TEST_OPERATOR, largeEvent());
  const tracks = (await db.selectFrom('tracks').select('id').where('event_id', '=', eventId).execute()).map((t) => t.id);
  const now = '2027-01-10T12:00:00Z';
  await db
    .insertInto('cfp_settings')
    .values({
      event_id: eventId,
      opens_at: '2026-11-01T00:00:00Z',
      closes_at: '2027-01-31T00:00:00Z',
      closed_at: null,
      call_text: 'Propose a devroom talk.',
      formats: JSON.stringify([{ kind: 'talk', durationMinutes: 25 }]),
      created_at: now,
      updated_at: now,
    })
    .execute();

  const reviewers: TestUser[] = [];
  for (let r = 0; r < REVIEWERS; r++) {
    reviewers.push(
      await createTestUser(db, {
        email: `reviewer${r}@bench.example`,
        displayName: `Reviewer ${r}`,
        grants: [{ scope: 'event', scopeId: eventId, role: 'reviewer', trackIds: [] }],
      }),
    );
  }
  for (let i = 0; i < PROPOSALS; i += 500) {
    const n = Math.min(500, PROPOSALS - i);
    const users = await db
      .insertInto('users')
      .values(
        Array.from({ length: n }, (_, k) => ({
          email: `speaker${i + k}@bench.example`,
          email_verified_at: now,
          password_hash: null,
          display_name: `Speaker ${i + k}`,
          is_admin: 0,
          created_at: now,
          updated_at: now,
        })),
      )
      .returning('id')
      .execute();
    const proposals = await db
      .insertInto('proposals')
      .values(
        users.map((u, k) => ({
          event_id: eventId,
          code: `P${String(i + k).padStart(5, '0')}`,
          state: 'submitted',
          title: `Proposal ${i + k}: what we learned running thing ${i + k} in production`,
          kind: 'talk',
          duration_minutes: 25,
          abstract: 'An abstract of a few sentences. '.repeat(8),
          description: 'A longer description for the reviewers. '.repeat(20),
          track_id: tracks[(i + k) % tracks.length]!,
          level: null,
          submitted_by: u.id,
          session_id: null,
          created_at: now,
          updated_at: now,
          decided_at: null,
        })),
      )
      .returning('id')
      .execute();
    await db
      .insertInto('proposal_speakers')
      .values(
        proposals.flatMap((p, k) => [
          { proposal_id: p.id, position: 0, email: `speaker${i + k}@bench.example`, user_id: users[k]!.id },
          ...((i + k) % 10 === 0 ? [{ proposal_id: p.id, position: 1, email: `co${i + k}@bench.example`, user_id: null }] : []),
        ]),
      )
      .execute();
    await db
      .insertInto('proposal_reviews')
      .values(
        proposals.flatMap((p, k) =>
          Array.from({ length: REVIEWS_EACH }, (_, r) => ({
            proposal_id: p.id,
            reviewer_id: reviewers[(i + k + r) % REVIEWERS]!.id,
            score: 1 + (((i + k) * 7 + r) % 5),
            comment: 'Solid, but the abstract could be clearer.',
            created_at: now,
            updated_at: now,
          })),
        ),
      )
      .execute();
  }

  const config = loadConfig({ LOG_LEVEL: 'silent', BASE_URL: 'https://hallway.example.org' }, { database: { kind: 'sqlite', filename: file } });
  const hallway = await buildApp(config, { db, logger: false, migrate: false, mailSender: false, webhookDispatcher: false });
  const cookies = { hallway_session: reviewers[0]!.sessionCookie };
  const page = (url: string) => async () => {
    const res = await hallway.app.inject({ method: 'GET', url, cookies });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
    return res.body.length;
  };
  const reviewer = await actorOf(db, reviewers[0]!.id);
  const one = (await db.selectFrom('proposals').select('id').where('event_id', '=', eventId).orderBy('id').limit(1).offset(777).executeTakeFirstOrThrow()).id;
  const listUrl = `/manage/events/${eventId}/proposals`;
  const bytes = (await page(listUrl)()) as number;
  const rows = [
    ['proposals list page, newest first', await time(page(listUrl))],
    ['proposals list page, best average score first', await time(page(`${listUrl}?sort=score`))],
    ['one proposal with its 5 reviews (page)', await time(page(`${listUrl}/${one}`))],
    ['list query alone (listProposalsForReview)', await time(() => listProposalsForReview(db, reviewer, eventId, {}).then(() => 0))],
    ['one proposal query alone (getProposalForReview)', await time(() => getProposalForReview(db, reviewer, eventId, one).then(() => 0))],
  ] as const;
  await hallway.close();
  await db.destroy();

  const ms = (x: number) => (x < 10 ? `${x.toFixed(2)} ms` : `${x.toFixed(0)} ms`);
  for (const [name, s] of rows) console.log(`${name}: median ${ms(s.median)}, p99 ${ms(s.p99)}`);
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  writeSection(
    'proposals',
    [
      '## Reviewing a FOSDEM-sized call for proposals',
      '',
      `Produced by \`npm run bench\` (\`node --import tsx bench/proposals.ts\`) on ${when} UTC; machine: ${cpus().length} × ${cpus()[0]?.model.split(' ').slice(0, 2).join(' ')}, Node ${process.version}, SQLite (WAL) in a temp file.`,
      `${PROPOSALS} proposals (every tenth with an invited co-speaker) for the generated FOSDEM-scale event, ${REVIEWS_EACH} reviews each by ${REVIEWERS} reviewers (${PROPOSALS * REVIEWS_EACH} reviews). A reviewer's requests through Fastify's inject (signed in, no network; the list page is ${Math.round(bytes / 1024)} KiB of HTML with every proposal), ${RUNS} runs after 5 warm-ups, and the queries alone. pretalx capped its review list at 200 for this size (pretalx#1675).`,
      '',
      '| request | median | p99 |',
      '| --- | --- | --- |',
      ...rows.map(([name, s]) => `| ${name} | ${ms(s.median)} | ${ms(s.p99)} |`),
    ].join('\n'),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
