import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Actor } from '../../src/modules/accounts/actor.js';
import type { EventRecord } from '../../src/modules/events/records.js';
import { createRoom, deleteRoom } from '../../src/modules/program/room.actions.js';
import { createSession, updateSession } from '../../src/modules/program/session.actions.js';
import { cancelSession, deleteSession, restoreSession } from '../../src/modules/program/session-state.actions.js';
import { listSessionsForEditing } from '../../src/modules/program/backoffice.queries.js';
import type { RoomRecord } from '../../src/modules/program/records.js';
import { createSpeaker, deleteSpeaker } from '../../src/modules/speakers/speaker.actions.js';
import type { SpeakerRecord } from '../../src/modules/speakers/records.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { footprint, lastAudit, organizerWithEvent, rejectsWith, useDatabase } from './support.js';
import { moduleContext } from '../support/module-context.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

for (const database of testDatabases) {
  describe(`session rules on ${database.name}`, () => {
    const ctx = useDatabase(database);
    let actor: Actor;
    let event: EventRecord;
    let main: RoomRecord;
    let side: RoomRecord;
    let ada: SpeakerRecord;
    let grace: SpeakerRecord;
    let keynoteId: number;

    before(async () => {
      ({ actor, event } = await organizerWithEvent(ctx.db, 'rules-2027'));
      main = await createRoom(moduleContext(ctx.db), actor, event.id, { name: 'Main Hall' });
      side = await createRoom(moduleContext(ctx.db), actor, event.id, { name: 'Side Room' });
      ada = await createSpeaker(moduleContext(ctx.db), actor, event.id, { name: 'Ada Example' });
      grace = await createSpeaker(moduleContext(ctx.db), actor, event.id, { name: 'Grace Sample' });
      keynoteId = (
        await createSession(moduleContext(ctx.db), actor, event.id, {
          kind: 'keynote',
          title: 'Keynote',
          roomId: main.id,
          start: '2027-04-15T09:00',
          durationMinutes: 60,
          speakerIds: [ada.id],
        })
      ).id;
    });

    /** Runs a refused write and asserts that nothing at all was written. */
    async function refused(code: string, run: () => Promise<unknown>) {
      const beforeState = await footprint(ctx.db, event.id);
      const err = await rejectsWith(run(), code);
      assert.deepEqual(await footprint(ctx.db, event.id), beforeState);
      return err;
    }

    test('validation problems name each field, and nothing is written', async () => {
      const err = await refused('VALIDATION_FAILED', () =>
        createSession(moduleContext(ctx.db), actor, event.id, {
          kind: 'seminar',
          title: '  ',
          start: '',
          durationMinutes: '0',
          roomId: 'abc',
          speakerIds: [ada.id, ada.id],
          links: [{ url: 'ftp://x' }],
        }),
      );
      assert.equal(err.status, 422);
      assert.deepEqual(
        err.problems.map((p) => p.path),
        ['kind', 'title', 'roomId', 'start', 'durationMinutes', 'speakerIds[1]', 'links[0].url'],
      );
      assert.equal(err.problems.find((p) => p.path === 'title')!.message, 'is required');
      assert.equal(err.problems.find((p) => p.path === 'speakerIds[1]')!.message, 'is listed twice');
    });

    test('ids of rooms or speakers that are not of this event are field problems', async () => {
      const other = await organizerWithEvent(ctx.db, 'other-2027');
      const foreignRoom = await createRoom(moduleContext(ctx.db), other.actor, other.event.id, { name: 'Foreign' });
      const err = await refused('VALIDATION_FAILED', () =>
        createSession(moduleContext(ctx.db), actor, event.id, {
          kind: 'talk',
          title: 'X',
          start: '2027-04-15T12:00',
          durationMinutes: 30,
          roomId: foreignRoom.id,
          speakerIds: [grace.id, 999999],
        }),
      );
      assert.deepEqual(err.problems, [
        { path: 'roomId', message: `#${foreignRoom.id} is not a room of this event` },
        { path: 'speakerIds[1]', message: '#999999 is not a speaker of this event' },
      ]);
    });

    test('a room conflict names the other session and its time', async () => {
      const err = await refused('SESSION_ROOM_CONFLICT', () =>
        createSession(moduleContext(ctx.db), actor, event.id, {
          kind: 'talk',
          title: 'Clash',
          roomId: main.id,
          start: '2027-04-15T09:30',
          durationMinutes: 30,
        }),
      );
      assert.deepEqual(err.problems, [{ path: 'roomId', message: 'Main Hall is taken by "Keynote" (2027-04-15 09:00–10:00)' }]);
      // Back to back is fine.
      await createSession(moduleContext(ctx.db), actor, event.id, {
        kind: 'talk',
        title: 'Right After',
        roomId: main.id,
        start: '2027-04-15T10:00',
        durationMinutes: 30,
      });
    });

    test('a speaker cannot be in two places at once', async () => {
      const err = await refused('SPEAKER_DOUBLE_BOOKED', () =>
        createSession(moduleContext(ctx.db), actor, event.id, {
          kind: 'talk',
          title: 'Elsewhere',
          roomId: side.id,
          start: '2027-04-15T09:15',
          durationMinutes: 30,
          speakerIds: [grace.id, ada.id],
        }),
      );
      assert.deepEqual(err.problems, [{ path: 'speakerIds[1]', message: 'Ada Example is also in "Keynote" (2027-04-15 09:00–10:00)' }]);
    });

    test('a session outside the event dates is refused', async () => {
      const err = await refused('SESSION_OUTSIDE_DATES', () =>
        createSession(moduleContext(ctx.db), actor, event.id, { kind: 'talk', title: 'Too Late', start: '2027-04-17T10:00', durationMinutes: 30 }),
      );
      assert.deepEqual(err.problems, [
        { path: 'start', message: '2027-04-17 10:00 is on programme day 2027-04-17; the event runs from 2027-04-15 to 2027-04-16' },
      ]);
    });

    test('a wall time skipped by daylight saving is refused, not moved', async () => {
      const dst = await organizerWithEvent(ctx.db, 'dst-2027', { startDate: '2027-03-27', endDate: '2027-03-28' });
      const before = await footprint(ctx.db, dst.event.id);
      const err = await rejectsWith(
        createSession(moduleContext(ctx.db), dst.actor, dst.event.id, { kind: 'talk', title: 'Night Owl', start: '2027-03-28T02:30', durationMinutes: 30 }),
        'VALIDATION_FAILED',
      );
      assert.deepEqual(err.problems, [
        { path: 'start', message: '2027-03-28 02:30 does not exist in Europe/Amsterdam: the clocks skip that hour for daylight saving' },
      ]);
      assert.deepEqual(await footprint(ctx.db, dst.event.id), before);
      const ok = await createSession(moduleContext(ctx.db), dst.actor, dst.event.id, {
        kind: 'talk',
        title: 'Night Owl',
        start: '2027-03-28T03:30',
        durationMinutes: 30,
      });
      assert.equal(ok.startsAt, '2027-03-28T01:30:00Z');
    });

    test('moving a session checks the new room and time, bumps its sequence and says what changed', async () => {
      const s = await createSession(moduleContext(ctx.db), actor, event.id, {
        kind: 'talk',
        title: 'Mover',
        roomId: side.id,
        start: '2027-04-15T11:00',
        durationMinutes: 30,
        speakerIds: [grace.id],
      });
      await rejectsWith(updateSession(moduleContext(ctx.db), actor, event.id, s.id, { roomId: main.id, start: '2027-04-15T09:30' }), 'SESSION_ROOM_CONFLICT');
      const moved = await updateSession(moduleContext(ctx.db), actor, event.id, s.id, {
        roomId: String(main.id),
        start: '2027-04-15T11:00',
        title: 'Mover II',
      });
      assert.deepEqual([moved.roomId, moved.title, moved.sequence, moved.code], [main.id, 'Mover II', 1, 'mover']);
      assert.equal((await lastAudit(ctx.db, event.id)).summary, 'Updated "Mover II": title "Mover" → "Mover II"; room Side Room → Main Hall');
      const longer = await updateSession(moduleContext(ctx.db), actor, event.id, s.id, { durationMinutes: '45' });
      assert.deepEqual([longer.startsAt, longer.endsAt, longer.sequence], ['2027-04-15T09:00:00Z', '2027-04-15T09:45:00Z', 2]);
      const same = await updateSession(moduleContext(ctx.db), actor, event.id, s.id, { title: 'Mover II' });
      assert.equal(same.sequence, 2, 'an edit that changes nothing leaves the sequence');
    });

    test('cancelling frees the room; restoring checks it again', async () => {
      const s = await createSession(moduleContext(ctx.db), actor, event.id, {
        kind: 'talk',
        title: 'Maybe',
        roomId: side.id,
        start: '2027-04-16T09:00',
        durationMinutes: 30,
      });
      const cancelled = await cancelSession(moduleContext(ctx.db), actor, event.id, s.id);
      assert.deepEqual([cancelled.status, cancelled.roomId, cancelled.sequence], ['cancelled', side.id, 1]);
      await rejectsWith(cancelSession(moduleContext(ctx.db), actor, event.id, s.id), 'SESSION_TRANSITION_INVALID');
      const taker = await createSession(moduleContext(ctx.db), actor, event.id, {
        kind: 'talk',
        title: 'Taker',
        roomId: side.id,
        start: '2027-04-16T09:00',
        durationMinutes: 30,
      });
      await refused('SESSION_ROOM_CONFLICT', () => restoreSession(moduleContext(ctx.db), actor, event.id, s.id));
      await deleteSession(moduleContext(ctx.db), actor, event.id, taker.id);
      assert.equal((await restoreSession(moduleContext(ctx.db), actor, event.id, s.id)).status, 'confirmed');
    });

    test('a room with confirmed sessions cannot be deleted; one with only cancelled sessions can', async () => {
      const room = await createRoom(moduleContext(ctx.db), actor, event.id, { name: 'Temporary' });
      const s = await createSession(moduleContext(ctx.db), actor, event.id, {
        kind: 'talk',
        title: 'In Temp',
        roomId: room.id,
        start: '2027-04-16T14:00',
        durationMinutes: 30,
      });
      const err = await refused('ROOM_IN_USE', () => deleteRoom(moduleContext(ctx.db), actor, event.id, room.id));
      assert.deepEqual(err.problems, [{ path: 'sessions', message: '"In Temp" (in-temp, 2027-04-16 14:00–14:30)' }]);
      await cancelSession(moduleContext(ctx.db), actor, event.id, s.id);
      await deleteRoom(moduleContext(ctx.db), actor, event.id, room.id);
      const [after] = await listSessionsForEditing(ctx.db, actor, event.id, { day: '2027-04-16', status: 'cancelled' }).then((l) =>
        l.filter((x) => x.id === s.id),
      );
      assert.deepEqual([after!.roomId, after!.sequence], [null, 2]);
    });

    test('a speaker listed on a session cannot be deleted', async () => {
      const err = await refused('SPEAKER_HAS_SESSIONS', () => deleteSpeaker(moduleContext(ctx.db), actor, event.id, ada.id));
      assert.deepEqual(err.problems, [{ path: 'sessions', message: '"Keynote" (keynote, 2027-04-15 09:00)' }]);
      const loner = await createSpeaker(moduleContext(ctx.db), actor, event.id, { name: 'Loner' });
      await deleteSpeaker(moduleContext(ctx.db), actor, event.id, loner.id);
      assert.equal((await lastAudit(ctx.db, event.id)).summary, 'Removed speaker Loner (loner)');
    });

    test('listSessionsForEditing filters by day, room and track', async () => {
      const day1 = await listSessionsForEditing(ctx.db, actor, event.id, { day: '2027-04-15', roomId: String(main.id) });
      assert.ok(day1.length >= 2);
      assert.ok(day1.every((s) => s.day === '2027-04-15' && s.roomId === main.id));
      assert.equal(day1[0]!.id, keynoteId);
      await rejectsWith(listSessionsForEditing(ctx.db, actor, event.id, { day: 'tomorrow' }), 'VALIDATION_FAILED');
    });
  });
}
