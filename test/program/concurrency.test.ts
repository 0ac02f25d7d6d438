import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createDb, type Db } from '../../src/db/database.js';
import { DomainError } from '../../src/lib/domain-error.js';
import { createRoom } from '../../src/modules/program/room.actions.js';
import { createSession } from '../../src/modules/program/session.actions.js';
import { createSpeaker } from '../../src/modules/speakers/speaker.actions.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { organizerWithEvent, useDatabase } from './support.js';
import { moduleContext } from '../support/module-context.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

/** Settles all attempts; returns how many succeeded and the codes of the failures. */
async function race(attempts: Array<() => Promise<unknown>>) {
  const results = await Promise.allSettled(attempts.map((run) => run()));
  const codes = results.flatMap((r) => (r.status === 'rejected' ? [r.reason instanceof DomainError ? r.reason.code : String(r.reason)] : []));
  return { won: results.filter((r) => r.status === 'fulfilled').length, codes };
}

for (const database of testDatabases) {
  describe(`concurrent writes on ${database.name}`, () => {
    const ctx = useDatabase(database);

    test('of overlapping sessions created at once in one room, exactly one wins', async () => {
      const { actor, event } = await organizerWithEvent(ctx.db, 'race-room');
      const room = await createRoom(moduleContext(ctx.db), actor, event.id, { name: 'Hall' });
      // On PostgreSQL the attempts also come through a second connection pool, as from a second server process.
      const other: Db = database.name === 'postgres' ? createDb(ctx.config, { poolSize: 4 }) : ctx.db;
      try {
        const attempt = (db: Db, i: number) => () =>
          createSession(moduleContext(db), actor, event.id, {
            kind: 'talk',
            title: `Racer ${i}`,
            roomId: room.id,
            start: `2027-04-15T10:${String(i * 5).padStart(2, '0')}`,
            durationMinutes: 30,
          });
        const { won, codes } = await race([0, 1, 2, 3, 4, 5].map((i) => attempt(i % 2 ? other : ctx.db, i)));
        assert.equal(won, 1);
        assert.deepEqual(codes, Array(5).fill('SESSION_ROOM_CONFLICT'));
        const stored = await ctx.db.selectFrom('sessions').select('title').where('event_id', '=', event.id).execute();
        assert.equal(stored.length, 1);
      } finally {
        if (other !== ctx.db) await other.destroy();
      }
    });

    test('of sessions created at once with one speaker at the same time, exactly one wins', async () => {
      const { actor, event } = await organizerWithEvent(ctx.db, 'race-speaker');
      const speaker = await createSpeaker(moduleContext(ctx.db), actor, event.id, { name: 'Busy Person' });
      const rooms = await Promise.all(['R1', 'R2', 'R3', 'R4'].map((name) => createRoom(moduleContext(ctx.db), actor, event.id, { name })));
      const { won, codes } = await race(
        rooms.map(
          (room, i) => () =>
            createSession(moduleContext(ctx.db), actor, event.id, {
              kind: 'talk',
              title: `Talk ${i}`,
              roomId: room.id,
              start: '2027-04-15T14:00',
              durationMinutes: 30,
              speakerIds: [speaker.id],
            }),
        ),
      );
      assert.equal(won, 1);
      assert.deepEqual(codes, Array(3).fill('SPEAKER_DOUBLE_BOOKED'));
    });

    test('concurrent writes to one event each bump its version exactly once', async () => {
      const { actor, event } = await organizerWithEvent(ctx.db, 'race-version');
      const { won } = await race(Array.from({ length: 8 }, (_, i) => () => createRoom(moduleContext(ctx.db), actor, event.id, { name: `Room ${i}` })));
      assert.equal(won, 8);
      const row = await ctx.db.selectFrom('events').select('version').where('id', '=', event.id).executeTakeFirstOrThrow();
      assert.equal(row.version, event.version + 8);
      const positions = await ctx.db.selectFrom('rooms').select('position').where('event_id', '=', event.id).orderBy('position').execute();
      assert.deepEqual(
        positions.map((p) => p.position),
        [0, 1, 2, 3, 4, 5, 6, 7],
      );
    });
  });
}
