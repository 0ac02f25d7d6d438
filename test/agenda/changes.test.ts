import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { getMyAgenda } from '../../src/modules/agenda/agenda.queries.js';
import { markAgendaChangesSeen, starSession, unstarSession } from '../../src/modules/agenda/star.actions.js';
import { cancelSession, restoreSession } from '../../src/modules/program/session-state.actions.js';
import { updateSession } from '../../src/modules/program/session.actions.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { importConference, newActor, organizerOf, rejectsWith, useDatabase } from './support.js';
import { moduleContext, releaseDraft } from '../support/module-context.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

/*
 * "The schedule keeps changing until the day": a person who starred a session learns on My agenda
 * that it moved (another time or room) or was cancelled since they starred it, until they mark
 * the changes as seen. Edits that do not send them elsewhere (a new title) are not such changes.
 */
for (const database of testDatabases) {
  describe(`changes to starred sessions on ${database.name}`, () => {
    const ctx = useDatabase(database);
    let eventId: number;
    let ids: Record<string, number>;
    let ann: Actor;
    let bob: Actor;
    let olga: Actor;

    before(async () => {
      ({ eventId, ids } = await importConference(ctx.db, buildEventDoc({ slug: 'changes-2027' })));
      ann = await newActor(ctx.db, 'Ann Attendee');
      bob = await newActor(ctx.db, 'Bob Attendee');
      olga = await organizerOf(ctx.db, eventId);
      for (const code of ['keynote', 'ebpf', 'day2']) await starSession(ctx.db, ann, eventId, ids[code]!);
      await starSession(ctx.db, bob, eventId, ids.keynote!);
    });

    test('a fresh star has nothing to report; a title edit is not a change', async () => {
      await updateSession(moduleContext(ctx.db), olga, eventId, ids.day2!, { title: 'Day Two Opener (updated title)' });
      assert.equal((await getMyAgenda(ctx.db, ann, eventId)).changes.size, 0);
    });

    test('moving a session in time, to another room, or cancelling it shows as a change with what it was', async () => {
      // The keynote was 09:15–10:00 in Main Hall (Europe/Amsterdam, CEST = UTC+2).
      await updateSession(moduleContext(ctx.db), olga, eventId, ids.keynote!, { start: '2027-04-16T11:00' });
      const mainHall = await ctx.db.selectFrom('rooms').select('id').where('event_id', '=', eventId).where('name', '=', 'Main Hall').executeTakeFirstOrThrow();
      await updateSession(moduleContext(ctx.db), olga, eventId, ids.ebpf!, { roomId: mainHall.id });
      await cancelSession(moduleContext(ctx.db), olga, eventId, ids.day2!);
      assert.equal((await getMyAgenda(ctx.db, ann, eventId)).changes.size, 0, 'draft edits are not public until released');
      await releaseDraft(ctx.db, eventId);

      const { changes } = await getMyAgenda(ctx.db, ann, eventId);
      assert.deepEqual(changes.get(ids.keynote!), { movedFrom: '2027-04-15T07:15:00Z', roomFrom: undefined, cancelled: false, restored: false });
      const sideRoom = await ctx.db.selectFrom('rooms').select('id').where('event_id', '=', eventId).where('name', '=', 'Side Room').executeTakeFirstOrThrow();
      assert.deepEqual(changes.get(ids.ebpf!), { movedFrom: null, roomFrom: sideRoom.id, cancelled: false, restored: false });
      assert.equal(changes.get(ids.day2!)?.cancelled, true);
      assert.equal(changes.size, 3);
      assert.deepEqual([...(await getMyAgenda(ctx.db, bob, eventId)).changes.keys()], [ids.keynote], 'Bob starred only the keynote');
    });

    test('marking as seen clears the changes for that person only, until the next move', async () => {
      await markAgendaChangesSeen(ctx.db, ann, eventId);
      assert.equal((await getMyAgenda(ctx.db, ann, eventId)).changes.size, 0);
      assert.equal((await getMyAgenda(ctx.db, bob, eventId)).changes.size, 1, "Bob's stay until he looks");
      await updateSession(moduleContext(ctx.db), olga, eventId, ids.keynote!, { start: '2027-04-16T12:00' });
      await releaseDraft(ctx.db, eventId);
      assert.deepEqual((await getMyAgenda(ctx.db, ann, eventId)).changes.get(ids.keynote!)?.movedFrom, '2027-04-16T09:00:00Z');
      await rejectsWith(markAgendaChangesSeen(ctx.db, null, eventId), 'UNAUTHENTICATED');
    });

    test('a cancelled session put back on the programme is reported too', async () => {
      await markAgendaChangesSeen(ctx.db, ann, eventId);
      await restoreSession(moduleContext(ctx.db), olga, eventId, ids.day2!);
      await releaseDraft(ctx.db, eventId);
      assert.deepEqual((await getMyAgenda(ctx.db, ann, eventId)).changes.get(ids.day2!), {
        movedFrom: null,
        roomFrom: undefined,
        cancelled: false,
        restored: true,
      });
    });

    test('starring again after removing the star starts from the session as it is now', async () => {
      await unstarSession(ctx.db, bob, eventId, ids.keynote!);
      await starSession(ctx.db, bob, eventId, ids.keynote!);
      assert.equal((await getMyAgenda(ctx.db, bob, eventId)).changes.size, 0);
    });
  });
}
