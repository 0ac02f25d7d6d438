import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixedClock } from '../../src/lib/clock.js';
import type { Db } from '../../src/db/database.js';
import { actorFor } from '../../src/modules/accounts/auth-session.queries.js';
import { largeEvent } from '../../src/modules/demo/large-event.js';
import { checkInstance } from '../../src/modules/optimizer/feasibility.js';
import { acceptOptimizerRun, startOptimizerRun } from '../../src/modules/planning/optimizer.actions.js';
import { OPTIMIZER_ENGINE } from '../../src/modules/planning/optimizer-engine.js';
import { OptimizerRuns } from '../../src/modules/planning/optimizer-runs.js';
import { buildOptimizerInstance } from '../../src/modules/planning/proposal.queries.js';
import { ProposeOptionsSchema } from '../../src/modules/planning/proposal.schemas.js';
import { importEventDocument } from '../../src/modules/schedule/import.actions.js';
import { createTestUser } from '../factories/users.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { useDatabase } from '../program/support.js';
import { moduleContext, TEST_OPERATOR } from '../support/module-context.js';

/*
 * "Propose a programme" from a meetup (five talks, one room) to FOSDEM (960 sessions in 60 rooms,
 * the generated large event): the meetup is proposed and accepted end to end with the real
 * optimizer; the large event's instance is built from the database and the optimizer finds
 * nothing unsatisfiable in it. No timing here (bench/optimizer-server.ts measures).
 */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const clock = fixedClock('2027-01-15T12:00:00Z');

async function organizerOf(db: Db, eventId: number, email: string) {
  const u = await createTestUser(db, { email, displayName: 'Org', grants: [{ scope: 'event', scopeId: eventId, role: 'organizer', trackIds: [] }] });
  return actorFor(db, await db.selectFrom('users').selectAll().where('id', '=', u.id).executeTakeFirstOrThrow());
}

async function vote(db: Db, eventId: number, voters: number[][]) {
  for (const [i, wanted] of voters.entries()) {
    const v = await db
      .insertInto('interest_voters')
      .values({ event_id: eventId, user_id: null, token_hash: `size-${eventId}-${i}`, created_at: clock.instant(), updated_at: clock.instant() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('interest_picks')
      .values(wanted.map((s) => ({ voter_id: v.id, session_id: s, proposal_id: null, created_at: clock.instant() })))
      .execute();
  }
}

for (const database of testDatabases) {
  describe(`Propose a programme from a meetup to FOSDEM on ${database.name}`, () => {
    const env = useDatabase(database);

    test('a meetup: five talks, one room, proposed and accepted', async () => {
      await importEventDocument(moduleContext(env.db, clock), TEST_OPERATOR, {
        format: 'hallway-event/1',
        community: { slug: 'tiny', name: 'Tiny' },
        event: { slug: 'tiny-meetup', title: 'Tiny meetup', kind: 'meetup', timeZone: 'Europe/Berlin', startDate: '2027-03-04', endDate: '2027-03-04' },
        rooms: [{ name: 'Back room', capacity: 40 }],
        speakers: ['A', 'B', 'C', 'D', 'E'].map((n) => ({ code: n, name: `Speaker ${n}` })),
        sessions: ['A', 'B', 'C', 'D', 'E'].map((n, i) => ({
          code: `T${n}`,
          title: `Talk ${n}`,
          kind: 'talk',
          abstract: 'A talk.',
          room: 'Back room',
          start: `2027-03-04T${String(18 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`,
          durationMinutes: 20,
          speakers: [n],
        })),
      } as never);
      const eventId = (await env.db.selectFrom('events').select('id').where('slug', '=', 'tiny-meetup').executeTakeFirstOrThrow()).id;
      const ids = (await env.db.selectFrom('sessions').select('id').where('event_id', '=', eventId).orderBy('id').execute()).map((s) => s.id);
      assert.equal(ids.length, 5);
      await vote(env.db, eventId, [[ids[0]!, ids[1]!], [ids[1]!, ids[2]!, ids[4]!], [ids[3]!]]);
      const actor = await organizerOf(env.db, eventId, 'meetup-org@example.org');
      const ctx = { ...moduleContext(env.db, clock), optimizer: new OptimizerRuns(OPTIMIZER_ENGINE) };
      const run = await startOptimizerRun(ctx, actor, eventId, { timeLimitSeconds: 1, grainMinutes: 10 });
      assert.equal(run.summary.talks.length, 5);
      assert.equal(run.summary.rooms.length, 1);
      await ctx.optimizer.settled(run.id);
      const done = await acceptOptimizerRun(ctx, actor, eventId, run.id);
      assert.equal(done.run.status, 'accepted');
      assert.equal(done.run.proposal!.score.hard, 0);
      assert.equal(done.run.proposal!.score.missed, 0, 'one room: nobody misses anything');
      const placed = await env.db.selectFrom('sessions').select(['starts_at', 'ends_at']).where('event_id', '=', eventId).orderBy('starts_at').execute();
      for (let i = 1; i < placed.length; i++) assert.ok(placed[i]!.starts_at >= placed[i - 1]!.ends_at, 'one room: one talk at a time');
    });

    // Defined for SQLite only (not skipped on PostgreSQL: a skip in CI is a failure): importing the
    // large event once is enough, the instance builder's queries are the same on both.
    const onceForSqlite = database.name === 'sqlite' ? test : () => {};
    onceForSqlite('FOSDEM size: the large event’s instance is built and satisfiable', async () => {
      await importEventDocument(moduleContext(env.db, clock), TEST_OPERATOR, largeEvent());
      const event = await env.db.selectFrom('events').selectAll().where('slug', '=', 'largecon-2027').executeTakeFirstOrThrow();
      const sessions = (await env.db.selectFrom('sessions').select('id').where('event_id', '=', event.id).orderBy('id').execute()).map((s) => `s${s.id}`);
      const votes = Array.from({ length: 600 }, (_, v) => Array.from({ length: 8 }, (_, k) => sessions[(v * 37 + k * 101) % sessions.length]!));
      const built = await buildOptimizerInstance(env.db, event, ProposeOptionsSchema.parse({}), votes);
      assert.equal(built.instance.talks.length, 960);
      assert.equal(built.instance.rooms.length, 60);
      assert.equal(built.instance.voters.length, 600);
      assert.deepEqual(built.problems, []);
      assert.deepEqual(checkInstance(built.instance), [], 'the generated programme fits its own rooms and hours');
    });
  });
}
