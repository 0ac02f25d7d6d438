import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { Migrator, type Migration } from 'kysely';
import { createDb } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { listReleases, readReleaseSlots } from '../../src/modules/schedule/release.queries.js';
import { loadProgramSnapshot } from '../../src/modules/schedule/snapshot.queries.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { importSource } from '../support/source-module.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

const MIGRATIONS = fileURLToPath(new URL('../../src/db/migrations/', import.meta.url));
const RELEASES = '2026-12-08T0100-create-schedule-releases';

describe('migrating to released versions', () => {
  for (const database of testDatabases) {
    test(`a published event becomes "released version 1" of what is public now; a draft gets none (${database.name})`, async () => {
      const { config, drop } = await database.create();
      const db = createDb(config);
      try {
        const migrations: Record<string, Migration> = {};
        for (const f of (await readdir(MIGRATIONS)).filter((n) => n.endsWith('.ts')).sort()) {
          if (f.replace(/\.ts$/, '') < RELEASES) migrations[f.replace(/\.ts$/, '')] = (await importSource(join(MIGRATIONS, f))) as unknown as Migration;
        }
        const { error } = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateToLatest();
        assert.equal(error, undefined);
        const at = '2027-01-01T00:00:00Z';
        const c = await db
          .insertInto('communities')
          .values({ slug: 'c', name: 'C', created_at: at } as never)
          .returning('id')
          .executeTakeFirstOrThrow();
        const event = (slug: string, published: number) =>
          db
            .insertInto('events')
            .values({
              community_id: c.id,
              slug,
              kind: 'conference',
              title: slug,
              acronym: slug,
              time_zone: 'Europe/Amsterdam',
              start_date: '2027-04-15',
              end_date: '2027-04-15',
              published,
              version: 7,
              created_at: at,
              updated_at: '2027-01-02T10:00:00Z',
            } as never)
            .returning('id')
            .executeTakeFirstOrThrow();
        const live = await event('live', 1);
        const draft = await event('draft', 0);
        const room = await db
          .insertInto('rooms')
          .values({ event_id: live.id, name: 'Hall', capacity: 100, position: 0 } as never)
          .returning('id')
          .executeTakeFirstOrThrow();
        const speakers = [];
        for (const [i, name] of ['Ada', 'Bob'].entries()) {
          speakers.push(
            await db
              .insertInto('speakers')
              .values({ event_id: live.id, code: name.toLowerCase(), name, position: i } as never)
              .returning('id')
              .executeTakeFirstOrThrow(),
          );
        }
        const session = (eventId: number, code: string, start: string, roomId: number | null, status = 'confirmed') =>
          db
            .insertInto('sessions')
            .values({
              event_id: eventId,
              code,
              guid: randomUUID(),
              kind: 'talk',
              title: code,
              status,
              room_id: roomId,
              starts_at: start,
              ends_at: start.replace(/T(\d\d)/, (_, h) => `T${String(Number(h) + 1).padStart(2, '0')}`),
              duration_minutes: 60,
              created_at: at,
              updated_at: at,
            } as never)
            .returning('id')
            .executeTakeFirstOrThrow();
        const talk = await session(live.id, 'talk', '2027-04-15T08:00:00Z', room.id);
        await session(live.id, 'gone', '2027-04-15T10:00:00Z', null, 'cancelled');
        await session(draft.id, 'wip', '2027-04-15T08:00:00Z', null);
        await db
          .insertInto('session_speakers')
          .values([
            { session_id: talk.id, speaker_id: speakers[1]!.id, position: 0 },
            { session_id: talk.id, speaker_id: speakers[0]!.id, position: 1 },
          ])
          .execute();

        await migrateToLatest(db);
        const [release, ...more] = await listReleases(db, live.id);
        assert.equal(more.length, 0);
        assert.deepEqual([release!.name, release!.number, release!.releasedAt, release!.notifications], ['1', 1, '2027-01-02T10:00:00Z', 'none']);
        const slots = await readReleaseSlots(db, release!.id);
        assert.deepEqual(
          slots.map((s) => [s.code, s.status, s.roomName, s.startsAt, s.speakerIds]),
          [
            ['talk', 'confirmed', 'Hall', '2027-04-15T08:00:00Z', [speakers[1]!.id, speakers[0]!.id]],
            ['gone', 'cancelled', '', '2027-04-15T10:00:00Z', []],
          ],
        );
        assert.deepEqual(await listReleases(db, draft.id), [], 'a draft event is released when it is published');
        const snap = (await loadProgramSnapshot(db, live.id))!;
        assert.deepEqual(
          snap.sessions.map((s) => [s.code, s.status, s.speakerIds]),
          [
            ['talk', 'confirmed', [speakers[1]!.id, speakers[0]!.id]],
            ['gone', 'cancelled', []],
          ],
          'the public sees what it saw before',
        );
      } finally {
        await db.destroy();
        await drop();
      }
    });
  }
});
