import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { fixedClock } from '../../src/lib/clock.js';
import { DomainError } from '../../src/lib/domain-error.js';
import { parseInput } from '../../src/lib/form-fields.js';
import { buildOptimizerInstance } from '../../src/modules/planning/proposal.queries.js';
import { intersect, subtract } from '../../src/modules/planning/proposal.js';
import { ProposeOptionsSchema } from '../../src/modules/planning/proposal.schemas.js';
import { loadInterestVotes } from '../../src/modules/interest/interest.queries.js';
import { tokenFor, useManageApp, type TokenHolder } from '../api-manage/support.js';
import { releaseDraft } from '../support/module-context.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { addVotes, buildProposeFixture, M, type ProposeFixture } from './support.js';

/*
 * "Propose a programme" (issue 14): the optimizer's instance built from an event's draft. Rooms'
 * open time is the event's hours cut to the room's own hours, minus blockers and items over every
 * room; talks are the sessions the optimizer places (keynotes on the grid pinned, breaks and meals
 * left out) and accepted proposals without a session; speakers' availability, sign-ups, pins,
 * restrictions and the last release come along. SQLite, and PostgreSQL when configured.
 */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

for (const database of testDatabases) {
  describe(`the optimizer's instance from the draft on ${database.name}`, () => {
    const env = useManageApp(database, {}, { clock: fixedClock('2027-03-01T12:00:00Z') });
    let owner: TokenHolder;
    let f: ProposeFixture;
    const event = () => env.db.selectFrom('events').selectAll().where('id', '=', f.E).executeTakeFirstOrThrow();
    const build = async (options: Record<string, unknown> = {}, votes: string[][] = []) =>
      buildOptimizerInstance(env.db, await event(), parseInput(ProposeOptionsSchema, options), votes);
    /** Minutes from the instance's origin: the day change (04:00) of the first day chosen. */
    const m = (hhmm: string, day = 0) => day * 1440 + Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)) - 4 * 60;
    const talk = (b: Awaited<ReturnType<typeof build>>, key: string) => {
      const t = b.instance.talks.find((x) => x.key === key);
      assert.ok(t, `talk ${key} in ${b.instance.talks.map((x) => x.key).join(', ')}`);
      return t;
    };

    before(async () => {
      owner = await tokenFor(env.db, 'Owner', { mayCreateCommunities: true });
      f = await buildProposeFixture(env.api, env.db, owner);
    });

    test('interval helpers cut and intersect half-open intervals', () => {
      assert.deepEqual(
        subtract(
          [{ start: 0, end: 100 }],
          [
            { start: 20, end: 30 },
            { start: 90, end: 120 },
          ],
        ),
        [
          { start: 0, end: 20 },
          { start: 30, end: 90 },
        ],
      );
      assert.deepEqual(
        intersect(
          [
            { start: 0, end: 50 },
            { start: 60, end: 100 },
          ],
          [{ start: 40, end: 70 }],
        ),
        [
          { start: 40, end: 50 },
          { start: 60, end: 70 },
        ],
      );
    });

    test('rooms are open during the event hours and their own, minus blockers and meals over every room', async () => {
      const b = await build();
      // Minute 0 is the day change (04:00) of the first day in Amsterdam (UTC+2 in April).
      assert.equal(b.instance.origin, '2027-04-15T02:00:00Z');
      assert.equal(b.instance.grainMinutes, 15);
      const open = Object.fromEntries(b.instance.rooms.map((r) => [r.name, r.open.map((i) => [i.start, i.end])]));
      assert.deepEqual(open.Hall, [
        [m('09:00'), m('12:00')],
        [m('13:00'), m('18:00')],
        [m('09:00', 1), m('17:00', 1)],
      ]);
      // Side's own hours are 10:00–16:00 on the 15th only: closed on the 16th.
      assert.deepEqual(open.Side, [
        [m('10:00'), m('12:00')],
        [m('13:00'), m('16:00')],
      ]);
      // Lab: blocked 15:00–16:00 for cleaning.
      assert.deepEqual(open.Lab, [
        [m('09:00'), m('12:00')],
        [m('13:00'), m('15:00')],
        [m('16:00'), m('18:00')],
        [m('09:00', 1), m('17:00', 1)],
      ]);
      assert.deepEqual(b.problems, []);
    });

    test('talks: sessions and accepted proposals to place; keynotes pinned where they are; meals left out', async () => {
      const b = await build();
      const keys = b.instance.talks.map((t) => t.key).sort();
      assert.deepEqual(keys, [`p${f.ids.proposal}`, ...['keynote', 'one', 'two', 'three', 'four', 'five'].map((k) => `s${f.ids[k]}`)].sort());
      assert.deepEqual(talk(b, `s${f.ids.keynote}`).pinned, { roomId: f.ids.hall, start: m('09:00') });
      const one = talk(b, `s${f.ids.one}`);
      assert.deepEqual(one.current, { roomId: f.ids.hall, start: m('10:00') });
      assert.equal(one.pinned, null);
      assert.deepEqual(one.windows, [{ start: m('08:00'), end: m('12:00') }], 'Ada: 08:00–12:00 on the 15th');
      assert.equal(talk(b, `s${f.ids.two}`).windows, null, 'Grace: any time');
      assert.equal(talk(b, `s${f.ids.three}`).minCapacity, 12, 'the workshop’s going sign-ups');
      assert.equal(talk(b, `s${f.ids.three}`).durationMinutes, 60);
      assert.equal(talk(b, `s${f.ids.four}`).current, null, 'off the grid');
      const p = talk(b, `p${f.ids.proposal}`);
      assert.deepEqual(p.speakerIds, [f.ids.ada], 'the proposal’s speaker is Ada’s profile');
      assert.deepEqual(p.windows, [{ start: m('08:00'), end: m('12:00') }]);
      assert.equal(p.durationMinutes, 30);
      assert.equal(p.current, null);
      assert.ok(!b.summary.talks.some((t) => t.title === 'Lunch'));
    });

    test('chosen days and rooms: what lies elsewhere stays where it is and keeps its speakers busy', async () => {
      const b = await build({ days: ['2027-04-16'], roomIds: [f.ids.hall, f.ids.lab] });
      assert.equal(b.instance.origin, '2027-04-16T02:00:00Z');
      assert.deepEqual(
        b.instance.rooms.map((r) => r.name),
        ['Hall', 'Lab'],
      );
      assert.deepEqual(b.instance.rooms[0]!.open, [{ start: m('09:00'), end: m('17:00') }]);
      assert.deepEqual(b.instance.talks.map((t) => t.key).sort(), [`p${f.ids.proposal}`, `s${f.ids.five}`, `s${f.ids.four}`].sort());
      assert.deepEqual(talk(b, `p${f.ids.proposal}`).windows, [], 'Ada is available only on the 15th: nowhere on the 16th');
    });

    test('pins, restrictions per track and per kind, and the last release', async () => {
      const v = Number((await event()).version);
      const pin = await env.api.post(`${M}/events/${f.E}/schedule/moves`, {
        token: owner.token,
        json: { action: 'pin', sessionId: f.ids.two, baseVersion: v },
      });
      assert.equal(pin.status, 200, pin.text);
      assert.equal(pin.body.data.session.pinned, true);
      await releaseDraft(env.db, f.E);
      const b = await build({
        trackRooms: [{ trackId: f.ids.T1, roomIds: [f.ids.hall] }],
        kindRooms: [{ kind: 'workshop', roomIds: [f.ids.lab, f.ids.hall] }],
      });
      assert.deepEqual(talk(b, `s${f.ids.two}`).pinned, { roomId: f.ids.side, start: m('10:00') });
      assert.deepEqual(talk(b, `s${f.ids.one}`).allowedRoomIds, [f.ids.hall]);
      assert.deepEqual(talk(b, `s${f.ids.three}`).allowedRoomIds, [f.ids.hall], 'T1 and workshop: both restrictions');
      assert.equal(talk(b, `s${f.ids.two}`).allowedRoomIds, null);
      assert.deepEqual(talk(b, `s${f.ids.one}`).released, { roomId: f.ids.hall, start: m('10:00') });
      assert.equal(talk(b, `s${f.ids.four}`).released, null, 'off the grid when released');
      const unpin = await env.api.post(`${M}/events/${f.E}/schedule/moves`, {
        token: owner.token,
        json: { action: 'unpin', sessionId: f.ids.two, baseVersion: Number((await event()).version) },
      });
      assert.equal(unpin.status, 200, unpin.text);
      assert.equal(talk(await build(), `s${f.ids.two}`).pinned, null);
      const offGrid = await env.api.post(`${M}/events/${f.E}/schedule/moves`, {
        token: owner.token,
        json: { action: 'pin', sessionId: f.ids.four, baseVersion: Number((await event()).version) },
      });
      assert.equal(offGrid.status, 409, 'a session off the grid cannot be pinned');
      assert.equal(offGrid.body.error.code, 'SESSION_NOT_PLACED');
    });

    test('voters: the interest poll’s picks as talk indices; votes for what is not placed here are dropped', async () => {
      await addVotes(env.db, f.E, [[f.ids.one!, f.ids.two!], [f.ids.one!, { proposal: f.ids.proposal! }], [f.ids.lunch!]]);
      const { voters } = await loadInterestVotes(env.db, f.E);
      const b = await build({}, voters);
      const index = (key: string) => b.instance.talks.findIndex((t) => t.key === key);
      assert.deepEqual(
        b.instance.voters.map((v) => [...v].sort((x, y) => x - y)),
        [[index(`s${f.ids.one}`), index(`s${f.ids.two}`)].sort((x, y) => x - y), [index(`s${f.ids.one}`), index(`p${f.ids.proposal}`)].sort((x, y) => x - y)],
      );
      assert.equal(b.summary.preferences, 4);
      assert.equal(b.instance.attendeesPerVoter, 1, 'no RSVPs and no capacity: one person per vote');
      assert.equal((await build({ attendeesPerVoter: '4' }, voters)).instance.attendeesPerVoter, 4);
    });

    test('the fingerprint follows the draft (a blocker) but not the votes', async () => {
      const a = await build({}, []);
      const withVotes = await build({}, [[`s${f.ids.one}`]]);
      assert.equal(a.fingerprint, withVotes.fingerprint);
      const r = await env.api.post(`${M}/events/${f.E}/schedule/blockers`, {
        token: owner.token,
        json: { roomId: f.ids.hall, title: 'Sound check', start: '2027-04-16T09:00', durationMinutes: 30 },
      });
      assert.equal(r.status, 201, r.text);
      assert.notEqual((await build({}, [])).fingerprint, a.fingerprint);
      await env.api.delete(`${M}/events/${f.E}/schedule/blockers/${r.body.data.id}`, { token: owner.token });
    });

    test('bad options name their field', async () => {
      for (const [options, path] of [
        [{ days: ['2027-05-01'] }, 'days[0]'],
        [{ roomIds: [999999] }, 'roomIds[0]'],
        [{ trackRooms: [{ trackId: 999999, roomIds: [f.ids.hall] }] }, 'trackRooms[0].trackId'],
      ] as const) {
        await assert.rejects(
          () => build(options),
          (err: unknown) => err instanceof DomainError && err.code === 'VALIDATION_FAILED' && err.problems.some((p) => p.path === path),
          path,
        );
      }
      assert.throws(
        () => parseInput(ProposeOptionsSchema, { grainMinutes: 7 }),
        (err: unknown) => err instanceof DomainError && err.problems[0]?.path === 'grainMinutes',
      );
    });
  });
}
