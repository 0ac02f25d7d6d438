import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixedClock } from '../../src/lib/clock.js';
import { createTestUser } from '../factories/users.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { assertError, tokenFor, useManageApp, writeFingerprint, type TokenHolder } from './support.js';

/*
 * The schedule editor's moves through the organizer API (issue 13, items 2–4): one action for
 * place, move, resize and unschedule, based on the version the client saw; every refusal (stale
 * version, busy room, speaker elsewhere, unknown session or room, a time outside the event, another
 * track's session) answers the one error shape and writes nothing. The warnings come back with the
 * move and in the draft of the day. SQLite, and PostgreSQL when configured.
 */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const M = '/api/v1/manage';

for (const database of testDatabases) {
  describe(`schedule editor moves through the organizer API on ${database.name}`, () => {
    // A fixed clock: the call for proposals below is open on 2027-03-01, whatever today is.
    const env = useManageApp(database, {}, { clock: fixedClock('2027-03-01T12:00:00Z') });
    let owner: TokenHolder;
    let tm: TokenHolder;
    let E: number;
    const ids = {} as Record<string, number>;

    const draft = async (day = '2027-04-15') => {
      const r = await env.api.get(`${M}/events/${E}/schedule?day=${day}`, { token: owner.token });
      assert.equal(r.status, 200, r.text);
      return r.body.data;
    };
    const move = (json: Record<string, unknown>, token = owner.token) => env.api.post(`${M}/events/${E}/schedule/moves`, { token, json });
    const version = async () => (await draft()).version as number;
    const moveOk = async (json: Record<string, unknown>, token = owner.token) => {
      const r = await move({ baseVersion: await version(), ...json }, token);
      assert.equal(r.status, 200, r.text);
      return r.body.data;
    };
    /** A move that must be refused with `status`/`code`, writing nothing. */
    const refused = async (json: Record<string, unknown>, status: number, code: string, token = owner.token) => {
      const before = await writeFingerprint(env.db);
      const r = await move({ baseVersion: await version(), ...json }, token);
      assertError(r, status, code);
      assert.equal(await writeFingerprint(env.db), before, `${code}: nothing written`);
      return r;
    };

    before(async () => {
      const { api } = env;
      owner = await tokenFor(env.db, 'Owner', { mayCreateCommunities: true });
      const post = async (path: string, json: unknown) => {
        const r = await api.post(`${M}${path}`, { token: owner.token, json });
        assert.equal(r.status, 201, r.text);
        return r.body.data.id as number;
      };
      const c = await post('/communities', { slug: 'sched', name: 'Sched' });
      E = await post('/events', {
        communityId: c,
        slug: 'sched-2027',
        kind: 'conference',
        title: 'Sched 2027',
        timeZone: 'Europe/Amsterdam',
        startDate: '2027-04-15',
        endDate: '2027-04-16',
      });
      ids.hall = await post(`/events/${E}/rooms`, { name: 'Hall', capacity: 100 });
      ids.side = await post(`/events/${E}/rooms`, { name: 'Side', capacity: 20 });
      ids.T1 = await post(`/events/${E}/tracks`, { name: 'T1' });
      ids.T2 = await post(`/events/${E}/tracks`, { name: 'T2' });
      ids.ada = await post(`/events/${E}/speakers`, { name: 'Ada' });
      ids.grace = await post(`/events/${E}/speakers`, { name: 'Grace' });
      const session = (title: string, trackId: number, roomId: number, start: string, speakerIds: number[]) =>
        post(`/events/${E}/sessions`, { kind: 'talk', title, trackId, roomId, start, durationMinutes: 30, speakerIds });
      ids.s1 = await session('One', ids.T1!, ids.hall!, '2027-04-15T10:00', [ids.ada!]);
      ids.s2 = await session('Two', ids.T2!, ids.side!, '2027-04-15T10:00', [ids.grace!]);
      ids.s3 = await session('Three', ids.T1!, ids.hall!, '2027-04-15T11:00', [ids.grace!]);
      tm = await tokenFor(env.db, 'Track Manager', { grants: [{ scope: 'event', scopeId: E, role: 'track_manager', trackIds: [ids.T1!] }] });
    });

    test('the draft of a day lists its sessions with the version to base moves on', async () => {
      const d = await draft();
      assert.equal(d.day, '2027-04-15');
      assert.deepEqual(
        d.sessions.map((s: { title: string; start: string; roomId: number }) => [s.title, s.start, s.roomId]),
        [
          ['One', '2027-04-15T10:00', ids.hall],
          ['Two', '2027-04-15T10:00', ids.side],
          ['Three', '2027-04-15T11:00', ids.hall],
        ],
      );
      assert.deepEqual(d.unplaced, []);
      assert.deepEqual(d.warnings, []);
      assert.equal(d.version, Number((await env.db.selectFrom('events').select('version').where('id', '=', E).executeTakeFirstOrThrow()).version));
      assertError(await env.api.get(`${M}/events/${E}/schedule?day=2027-05-01`, { token: owner.token }), 422, 'VALIDATION_FAILED');
    });

    test('a move changes room and start, bumps the version once, and writes an audit row', async () => {
      const v = await version();
      const done = await moveOk({ action: 'move', sessionId: ids.s1, roomId: ids.side, start: '2027-04-15T11:30' });
      assert.equal(done.baseVersion, v);
      assert.equal(done.version, v + 1);
      assert.equal(done.changed, true);
      assert.equal(done.session.roomId, ids.side);
      assert.equal(done.session.start, '2027-04-15T11:30');
      assert.equal(done.session.startsAt, '2027-04-15T09:30:00Z', 'stored in UTC');
      const audit = await env.db
        .selectFrom('audit_log')
        .select(['action', 'summary'])
        .where('event_id', '=', E)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      assert.equal(audit.action, 'session.moved');
      assert.match(audit.summary, /Moved "One": Hall, 2027-04-15 10:00–10:30 → Side, 2027-04-15 11:30–12:00/);
      const again = await moveOk({ action: 'move', sessionId: ids.s1, roomId: ids.side, start: '2027-04-15T11:30' });
      assert.equal(again.changed, false, 'a move to where it is changes nothing');
      assert.equal(again.version, v + 1);
    });

    test('a move based on an older version is refused with the current state, and nothing is written', async () => {
      const v = await version();
      await moveOk({ action: 'move', sessionId: ids.s1, start: '2027-04-15T12:00' });
      const before = await writeFingerprint(env.db);
      const r = await move({ action: 'move', sessionId: ids.s1, baseVersion: v, start: '2027-04-15T15:00' });
      assertError(r, 409, 'SCHEDULE_VERSION_STALE');
      assert.equal(r.body.current.version, v + 1);
      assert.equal(r.body.current.sessions[0].id, ids.s1);
      assert.equal(r.body.current.sessions[0].start, '2027-04-15T12:00', 'the session as stored, not as the stale client wanted it');
      assert.equal(r.body.error.problems[0].path, 'baseVersion');
      assert.equal(await writeFingerprint(env.db), before);
    });

    test('a busy room is refused with its message; unknown session 404, unknown room 422, outside the event 422', async () => {
      const busy = await refused({ action: 'move', sessionId: ids.s1, roomId: ids.side, start: '2027-04-15T10:15' }, 409, 'SESSION_ROOM_CONFLICT');
      assert.match(busy.body.error.message, /Side is taken by "Two"/);
      await refused({ action: 'move', sessionId: 999_999, start: '2027-04-15T10:00' }, 404, 'NOT_FOUND');
      const room = await refused({ action: 'move', sessionId: ids.s1, roomId: 999_999 }, 422, 'VALIDATION_FAILED');
      assert.equal(room.body.error.problems[0].path, 'roomId');
      const outside = await refused({ action: 'move', sessionId: ids.s1, start: '2027-04-20T10:00' }, 422, 'SESSION_OUTSIDE_DATES');
      assert.match(outside.body.error.message, /2027-04-20/);
      await refused({ action: 'move', sessionId: ids.s1, start: 'tomorrow' }, 422, 'VALIDATION_FAILED');
      await refused({ action: 'resize', sessionId: ids.s1 }, 422, 'VALIDATION_FAILED');
      await refused({ action: 'teleport', sessionId: ids.s1 }, 422, 'VALIDATION_FAILED');
      const other = await tokenFor(env.db, 'Stranger');
      await refused({ action: 'move', sessionId: ids.s1, start: '2027-04-15T09:00' }, 403, 'FORBIDDEN', other.token);
    });

    test('a speaker in two places is refused unless confirmed (force), and then warned about', async () => {
      const r = await refused({ action: 'move', sessionId: ids.s3, start: '2027-04-15T10:00' }, 409, 'SPEAKER_DOUBLE_BOOKED');
      assert.match(r.body.error.message, /Grace is also in "Two"/);
      assert.match(r.body.error.message, /confirm \(force\)/);
      const done = await moveOk({ action: 'move', sessionId: ids.s3, start: '2027-04-15T10:00', force: true });
      assert.deepEqual(
        done.warnings.map((w: { kind: string; sessionIds: number[] }) => [w.kind, [...w.sessionIds].sort()]),
        [['speaker_double_booked', [ids.s2, ids.s3].sort()]],
      );
      assert.match(done.warnings[0].message, /Grace is in "Two" \(10:00–10:30\) and in "Three" \(10:00–10:30\) at the same time/);
      const d = await draft();
      assert.equal(d.warnings.length, 1);
      assert.deepEqual(
        d.days.map((x: { date: string; warnings: number }) => [x.date, x.warnings]),
        [
          ['2027-04-15', 1],
          ['2027-04-16', 0],
        ],
      );
      await moveOk({ action: 'move', sessionId: ids.s3, start: '2027-04-15T11:00' });
      assert.deepEqual((await draft()).warnings, [], 'moving it away clears the warning');
    });

    test('a track manager moves the sessions of their tracks only', async () => {
      await refused({ action: 'move', sessionId: ids.s2, start: '2027-04-15T14:00' }, 403, 'FORBIDDEN', tm.token);
      const done = await moveOk({ action: 'move', sessionId: ids.s3, start: '2027-04-15T13:00' }, tm.token);
      assert.equal(done.session.start, '2027-04-15T13:00');
      const d = (await env.api.get(`${M}/events/${E}/schedule`, { token: tm.token })).body.data;
      assert.deepEqual(d.permissions.editableTrackIds, [ids.T1]);
    });

    test('resize, unschedule (it keeps its slot and frees it) and place back', async () => {
      const resized = await moveOk({ action: 'resize', sessionId: ids.s1, durationMinutes: 45 });
      assert.equal(resized.session.durationMinutes, 45);
      assert.equal(resized.session.end, '2027-04-15T12:45');
      const off = await moveOk({ action: 'unschedule', sessionId: ids.s1 });
      assert.equal(off.session.placed, false);
      assert.equal(off.session.start, '2027-04-15T12:00', 'it keeps its last room and time');
      const d = await draft();
      assert.deepEqual(
        d.unplaced.map((s: { id: number }) => s.id),
        [ids.s1],
      );
      assert.ok(!d.sessions.some((s: { id: number }) => s.id === ids.s1), 'not on the grid');
      await refused({ action: 'move', sessionId: ids.s1, start: '2027-04-15T09:00' }, 409, 'SESSION_NOT_PLACED');
      await refused({ action: 'unschedule', sessionId: ids.s1 }, 409, 'SESSION_NOT_PLACED');
      await refused({ action: 'place', sessionId: ids.s2, start: '2027-04-15T09:00' }, 409, 'SESSION_ALREADY_PLACED');
      // Its old slot is free for another session.
      await moveOk({ action: 'move', sessionId: ids.s2, roomId: ids.side, start: '2027-04-15T12:00' });
      const back = await moveOk({ action: 'place', sessionId: ids.s1, roomId: ids.hall, start: '2027-04-16T09:30', durationMinutes: 30 });
      assert.equal(back.session.placed, true);
      assert.equal(back.session.day, '2027-04-16');
      assert.equal(back.session.durationMinutes, 30);
    });

    test('an accepted proposal is placed as a new session with its speakers', async () => {
      const cfp = await env.api.put(`${M}/events/${E}/cfp`, {
        token: owner.token,
        json: { opensAt: '2027-02-01T09:00', closesAt: '2027-03-15T23:59', formats: [{ kind: 'talk', durationMinutes: 25 }] },
      });
      assert.equal(cfp.status, 200, cfp.text);
      const speaker = await tokenFor(env.db, 'Proposer Person');
      const p = await env.api.post(`/api/v1/me/events/sched-2027/proposals`, {
        token: speaker.token,
        json: { title: 'Proposed talk', kind: 'talk', abstract: 'Why.', trackId: ids.T2 },
      });
      assert.equal(p.status, 201, p.text);
      const proposalId = p.body.data.id;
      await refused({ action: 'place', proposalId, roomId: ids.hall, start: '2027-04-16T14:00' }, 409, 'PROPOSAL_NOT_ACCEPTED');
      const decided = await env.api.post(`${M}/events/${E}/proposals/${proposalId}/decide`, { token: owner.token, json: { decision: 'accept' } });
      assert.equal(decided.status, 200, decided.text);
      const sidebar = await draft('2027-04-16');
      assert.deepEqual(
        sidebar.proposals.map((x: { id: number; durationMinutes: number; speakers: string[] }) => [x.id, x.durationMinutes, x.speakers]),
        [[proposalId, 25, ['Proposer Person']]],
      );
      await refused({ action: 'place', proposalId, roomId: ids.hall, start: '2027-04-16T14:00' }, 403, 'FORBIDDEN', tm.token);
      await refused({ action: 'place', proposalId: 999_999, roomId: ids.hall, start: '2027-04-16T14:00' }, 404, 'PROPOSAL_NOT_FOUND');
      const placed = await moveOk({ action: 'place', proposalId, roomId: ids.hall, start: '2027-04-16T14:00' });
      assert.equal(placed.proposalId, proposalId);
      assert.equal(placed.session.title, 'Proposed talk');
      assert.equal(placed.session.durationMinutes, 25);
      assert.equal(placed.session.trackId, ids.T2);
      assert.equal(placed.session.speakerIds.length, 1);
      const after = await draft('2027-04-16');
      assert.deepEqual(after.proposals, []);
      assert.ok(after.sessions.some((s: { id: number }) => s.id === placed.session.id));
      await refused({ action: 'place', proposalId, roomId: ids.side, start: '2027-04-16T15:00' }, 409, 'PROPOSAL_SCHEDULED');
    });

    test('blockers, opening hours, availability, room sizes and audience conflicts become warnings', async () => {
      // s2 (Two, Grace) is in Side 12:00–12:30 and s3 (Three, Grace) in Hall 13:00–13:30 on the 15th.
      const blocker = await env.api.post(`${M}/events/${E}/schedule/blockers`, {
        token: owner.token,
        json: { roomId: ids.side, title: 'Set-up', start: '2027-04-15T11:45', durationMinutes: 30 },
      });
      assert.equal(blocker.status, 201, blocker.text);
      const hours = await env.api.put(`${M}/events/${E}/schedule/hours`, {
        token: owner.token,
        json: { roomId: ids.hall, windows: [{ day: '2027-04-15', from: '09:00', to: '12:30' }] },
      });
      assert.equal(hours.status, 200, hours.text);
      const availability = await env.api.put(`${M}/events/${E}/speakers/${ids.grace}/availability`, {
        token: owner.token,
        json: { windows: [{ day: '2027-04-15', from: '09:00', to: '12:45' }] },
      });
      assert.equal(availability.status, 200, availability.text);
      assertError(
        await env.api.put(`${M}/events/${E}/speakers/${ids.grace}/availability`, {
          token: owner.token,
          json: { windows: [{ day: '2027-05-01', from: '09:00', to: '10:00' }] },
        }),
        422,
        'VALIDATION_FAILED',
      );
      // 12 people star both Two and One; 30 star Two (Side seats 20). Stars change no version.
      for (let i = 0; i < 30; i++) {
        const u = await createTestUser(env.db, { email: `fan${i}@example.org` });
        const now = '2027-03-01T10:00:00Z';
        await env.db.insertInto('agenda_stars').values({ user_id: u.id, session_id: ids.s2!, event_id: E, created_at: now }).execute();
        if (i < 12) await env.db.insertInto('agenda_stars').values({ user_id: u.id, session_id: ids.s1!, event_id: E, created_at: now }).execute();
      }
      let d = await draft();
      const kinds = (list: Array<{ kind: string; sessionIds: number[] }>) =>
        list.map((w) => `${w.kind} ${[...w.sessionIds].sort((a, b) => a - b).join('+')}`).sort();
      assert.deepEqual(kinds(d.warnings), [
        `outside_room_hours ${ids.s3}`,
        `room_blocked ${ids.s2}`,
        `room_too_small ${ids.s2}`,
        `speaker_unavailable ${ids.s3}`,
      ]);
      assert.match(
        d.warnings.find((w: { kind: string }) => w.kind === 'room_too_small').message,
        /"Two" expects 30 people \(30 starred it\) but Side seats 20/,
      );
      assert.deepEqual(
        d.blockers.map((b: { title: string; start: string; end: string }) => [b.title, b.start, b.end]),
        [['Set-up', '2027-04-15T11:45', '2027-04-15T12:15']],
      );
      // One (Ada, on the 16th) next to Two: 12 people starred both.
      const moved = await moveOk({ action: 'move', sessionId: ids.s1, start: '2027-04-15T12:00' });
      const audience = moved.warnings.find((w: { kind: string }) => w.kind === 'audience_conflict');
      assert.ok(audience, JSON.stringify(moved.warnings));
      assert.equal(audience.count, 12);
      assert.match(audience.message, /^12 people starred both "One" \(12:00–12:30\) and "Two" \(12:00–12:30\)/);
      d = await draft();
      assert.ok(d.warnings.some((w: { kind: string }) => w.kind === 'audience_conflict'));
      const del = await env.api.delete(`${M}/events/${E}/schedule/blockers/${blocker.body.data.id}`, { token: owner.token });
      assert.equal(del.status, 204, del.text);
      assert.ok(!(await draft()).warnings.some((w: { kind: string }) => w.kind === 'room_blocked'));
      await refused({ action: 'move', sessionId: ids.s2, start: '2027-04-15T13:00' }, 409, 'SPEAKER_DOUBLE_BOOKED');
    });
  });
}
