import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { fixedClock } from '../../src/lib/clock.js';
import { assertError, tokenFor, useManageApp, type TokenHolder } from '../api-manage/support.js';
import { releaseDraft } from '../support/module-context.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { addVotes, buildProposeFixture, draftFingerprint, M, type ProposeFixture } from './support.js';
import { insertRun } from './stub-engine.js';

/*
 * "Propose a programme" through the organizer API (issue 14, items 2–5): refused before it runs
 * when the input cannot be satisfied (naming sessions and constraints, nothing written); started
 * off the request with progress; one run at a time; stopped keeping the best; accepted into the
 * draft only (the public schedule stays as released); refused when the draft changed since;
 * discarded. Organizers only. The real optimizer (a worker thread). SQLite and PostgreSQL.
 */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

for (const database of testDatabases) {
  describe(`Propose a programme through the organizer API on ${database.name}`, () => {
    const env = useManageApp(database, {}, { clock: fixedClock('2027-03-01T12:00:00Z') });
    let owner: TokenHolder;
    let tm: TokenHolder;
    let nobody: TokenHolder;
    let f: ProposeFixture;
    const url = (sub = '') => `${M}/events/${f.E}/schedule/optimizer-runs${sub}`;
    const start = (json: Record<string, unknown>, token = owner.token) => env.api.post(url(), { token, json });
    const get = async (id: number) => {
      const r = await env.api.get(url(`/${id}`), { token: owner.token });
      assert.equal(r.status, 200, r.text);
      return r.body.data;
    };
    /** Waits until the run has left `running` (the worker writes its row when it ends). */
    const finished = async (id: number) => {
      await env.app.hallway.ctx.optimizer.settled(id);
      const run = await get(id);
      assert.notEqual(run.status, 'running');
      return run;
    };
    const publicSchedule = async () => {
      const r = await env.app.get('/events/opt-api-2027/schedule.json');
      assert.equal(r.status, 200);
      return r.text();
    };

    before(async () => {
      owner = await tokenFor(env.db, 'Owner', { mayCreateCommunities: true });
      f = await buildProposeFixture(env.api, env.db, owner, 'opt-api-2027');
      tm = await tokenFor(env.db, 'Track Manager', { grants: [{ scope: 'event', scopeId: f.E, role: 'track_manager', trackIds: [f.ids.T1!] }] });
      nobody = await tokenFor(env.db, 'Attendee');
    });

    test('without interest, the optimizer refuses before running and writes nothing', async () => {
      const before = await draftFingerprint(env.db, f.E);
      const r = await start({});
      assertError(r, 422, 'OPTIMIZER_UNSATISFIABLE');
      assert.ok(
        r.body.error.problems.some((p: { message: string }) => p.message.startsWith('NO_INTEREST')),
        r.text,
      );
      assert.equal(await draftFingerprint(env.db, f.E), before);
    });

    test('unsatisfiable restrictions name each session and constraint; nothing is written', async () => {
      await addVotes(env.db, f.E, [
        [f.ids.one!, f.ids.two!],
        [f.ids.one!, f.ids.two!, { proposal: f.ids.proposal! }],
        [f.ids.two!, f.ids.four!],
      ]);
      const before = await draftFingerprint(env.db, f.E);
      // T1 only in Side, but Side is not among the rooms chosen: no room for One, Three and Five.
      const r = await start({ roomIds: [f.ids.hall, f.ids.lab], trackRooms: [{ trackId: f.ids.T1, roomIds: [f.ids.side] }] });
      assertError(r, 422, 'OPTIMIZER_UNSATISFIABLE');
      const paths = r.body.error.problems.map((p: { path: string; message: string }) => `${p.path} ${p.message.split(':')[0]}`);
      for (const k of ['one', 'three', 'five']) assert.ok(paths.includes(`talks[s${f.ids[k]}] NO_ALLOWED_ROOM`), `${k} in ${paths.join('; ')}`);
      assert.match(r.body.error.message, /One|Three|Five/);
      assert.equal(await draftFingerprint(env.db, f.E), before);
      assertError(await start({ grainMinutes: 7 }), 422, 'VALIDATION_FAILED');
    });

    test('only organizers propose: track managers and others are refused', async () => {
      assertError(await start({}, tm.token), 403, 'FORBIDDEN');
      assertError(await start({}, nobody.token), 403, 'FORBIDDEN');
    });

    test('a run goes off the request, one at a time, stops keeping its best, and is discarded', async () => {
      const r = await start({ timeLimitSeconds: 60, seed: 7 });
      assert.equal(r.status, 201, r.text);
      const run = r.body.data;
      assert.equal(run.status, 'running');
      assert.equal(run.number, 1);
      assert.equal(run.options.seed, 7);
      assert.equal(run.instance.talks, 7);
      assert.equal(run.instance.voters, 3);
      assert.equal(run.current.preferences, 7);
      assertError(await start({}), 409, 'OPTIMIZER_RUN_ACTIVE');
      assertError(await env.api.get(url(`/${run.id}`), { token: tm.token }), 403, 'FORBIDDEN');
      assertError(await env.api.post(url(`/${run.id}/accept`), { token: owner.token }), 409, 'OPTIMIZER_RUN_STATE');
      const stopped = await env.api.post(url(`/${run.id}/stop`), { token: owner.token });
      assert.equal(stopped.status, 200, stopped.text);
      const after = await finished(run.id);
      assert.equal(after.status, 'stopped');
      assert.ok(after.proposal, 'the best so far is kept');
      assert.equal(after.proposal.figures.score.hard, 0);
      assertError(await env.api.post(url(`/${run.id}/stop`), { token: owner.token }), 409, 'OPTIMIZER_RUN_STATE');
      const discarded = await env.api.post(url(`/${run.id}/discard`), { token: owner.token });
      assert.equal(discarded.status, 200, discarded.text);
      assert.equal(discarded.body.data.status, 'discarded');
      assertError(await env.api.post(url(`/${run.id}/accept`), { token: owner.token }), 409, 'OPTIMIZER_RUN_STATE');
    });

    test('accepting writes the proposal into the draft only: the public schedule changes at the next release', async () => {
      await releaseDraft(env.db, f.E);
      const publicBefore = await publicSchedule();
      const r = await start({ timeLimitSeconds: 2 });
      assert.equal(r.status, 201, r.text);
      const run = await finished(r.body.data.id);
      assert.equal(run.status, 'done');
      assert.ok(run.proposal.figures.score.missed <= run.current.score.missed, 'never worse than the draft');
      const placedKeys = run.changes.placed.map((c: { key: string }) => c.key).sort();
      assert.deepEqual(placedKeys, [`p${f.ids.proposal}`, `s${f.ids.four}`].sort(), 'the session off the grid and the accepted proposal get a place');
      assert.ok(!run.changes.moved.some((c: { sessionId: number }) => c.sessionId === f.ids.keynote), 'the keynote stays where it is');
      const version = Number((await env.db.selectFrom('events').select('version').where('id', '=', f.E).executeTakeFirstOrThrow()).version);
      const a = await env.api.post(url(`/${run.id}/accept`), { token: owner.token });
      assert.equal(a.status, 200, a.text);
      assert.equal(a.body.data.run.status, 'accepted');
      assert.equal(a.body.data.version, version + 1, 'one change of the event');
      assert.equal(a.body.data.placed, 2);
      const audit = await env.db
        .selectFrom('audit_log')
        .select(['action', 'summary'])
        .where('event_id', '=', f.E)
        .where('action', '=', 'optimizer.accepted')
        .execute();
      assert.equal(audit.length, 1);
      assert.match(audit[0]!.summary, new RegExp(`^optimizer proposal ${run.number} accepted: ${run.changes.moved.length} sessions? moved, 2 placed$`));
      // The draft has it: every session where the proposal put it, the proposal now a session.
      const proposal = await env.db.selectFrom('proposals').select('session_id').where('id', '=', f.ids.proposal!).executeTakeFirstOrThrow();
      assert.ok(proposal.session_id, 'the accepted proposal became a session');
      for (const c of [...run.changes.moved, ...run.changes.placed]) {
        const id: number = c.sessionId ?? proposal.session_id;
        const s = await env.db.selectFrom('sessions').select(['room_id', 'placed']).where('id', '=', id).executeTakeFirstOrThrow();
        assert.equal(s.room_id, c.to.roomId, c.title);
        assert.equal(s.placed, 1, c.title);
      }
      assert.equal(await publicSchedule(), publicBefore, 'nothing public changed');
      assertError(await env.api.post(url(`/${run.id}/accept`), { token: owner.token }), 409, 'OPTIMIZER_RUN_STATE');
    });

    test('a proposal made for another draft is refused; nothing is written', async () => {
      const r = await start({ timeLimitSeconds: 1 });
      assert.equal(r.status, 201, r.text);
      const run = await finished(r.body.data.id);
      const v = Number((await env.db.selectFrom('events').select('version').where('id', '=', f.E).executeTakeFirstOrThrow()).version);
      const pin = await env.api.post(`${M}/events/${f.E}/schedule/moves`, {
        token: owner.token,
        json: { action: 'pin', sessionId: f.ids.one, baseVersion: v },
      });
      assert.equal(pin.status, 200, pin.text);
      const before = await draftFingerprint(env.db, f.E);
      assertError(await env.api.post(url(`/${run.id}/accept`), { token: owner.token }), 409, 'OPTIMIZER_DRAFT_CHANGED');
      assert.equal(await draftFingerprint(env.db, f.E), before);
      assert.equal((await get(run.id)).status, run.status);
    });

    test('a run whose process is gone shows as failed (interrupted)', async () => {
      const row = { id: await insertRun(env.db, f.E, owner.userId, 'running') };
      const run = await get(row.id);
      assert.equal(run.status, 'failed');
      assert.match(run.message, /Interrupted/);
    });
  });
}
