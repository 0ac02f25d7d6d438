import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDb, type Db } from '../../db/database.js';
import { testDatabases, postgresSkipReason } from '../../../test/support/databases.js';
import { buildEventDoc } from '../../../test/factories/event-doc.js';
import { importEventDocument } from './import.actions.js';
import { findEventHead, loadProgramSnapshot } from './snapshot.queries.js';
import { toEventDocument } from './event-document.js';
import type { DomainError } from '../../lib/domain-error.js';
import { moduleContext, TEST_OPERATOR } from '../../../test/support/module-context.js';

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

for (const database of testDatabases) {
  describe(`event import on ${database.name}`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    before(async () => {
      const created = await database.create({ migrated: true });
      drop = created.drop;
      db = createDb(created.config);
    });
    after(async () => {
      await db.destroy();
      await drop();
    });

    const counts = async () => ({
      sessions: (
        await db
          .selectFrom('sessions')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
      speakers: (
        await db
          .selectFrom('speakers')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
      links: (
        await db
          .selectFrom('session_links')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    });

    test('a new document creates the event with its whole programme', async () => {
      const summary = await importEventDocument(moduleContext(db), TEST_OPERATOR, buildEventDoc());
      assert.equal(summary.created, true);
      assert.deepEqual(summary.sessions, { added: 5, changed: 0, removed: 0 });
      assert.deepEqual(await counts(), { sessions: 5, speakers: 3, links: 1 });
      const head = await findEventHead(db, 'testconf-2027');
      const snap = (await loadProgramSnapshot(db, head!.id))!;
      const keynote = snap.sessionByCode.get('keynote')!;
      // 09:15 in Amsterdam in April (CEST, UTC+2) is 07:15 UTC.
      assert.equal(keynote.startsAt, '2027-04-15T07:15:00Z');
      assert.equal(keynote.endsAt, '2027-04-15T08:00:00Z');
      assert.deepEqual(
        snap.sessionByCode.get('day2')!.speakerIds.map((id) => snap.speakerById.get(id)!.code),
        ['ada', 'grace'],
      );
      assert.deepEqual([...snap.sessionsByDay.keys()], ['2027-04-15', '2027-04-16']);
    });

    test('re-importing the same document changes nothing, not even the version', async () => {
      const before = await findEventHead(db, 'testconf-2027');
      const ids = await db.selectFrom('sessions').select(['id', 'sequence']).orderBy('id').execute();
      const summary = await importEventDocument(moduleContext(db), TEST_OPERATOR, buildEventDoc());
      assert.equal(summary.changed, false);
      assert.equal((await findEventHead(db, 'testconf-2027'))!.version, before!.version);
      assert.deepEqual(await db.selectFrom('sessions').select(['id', 'sequence']).orderBy('id').execute(), ids);
    });

    test('exporting and re-importing the export is a no-op', async () => {
      const head = await findEventHead(db, 'testconf-2027');
      const doc = toEventDocument((await loadProgramSnapshot(db, head!.id))!);
      const summary = await importEventDocument(moduleContext(db), TEST_OPERATOR, JSON.parse(JSON.stringify(doc)));
      assert.equal(summary.changed, false);
    });

    test('an edited document updates sessions in place and bumps version and sequence', async () => {
      const head = await findEventHead(db, 'testconf-2027');
      const doc = toEventDocument((await loadProgramSnapshot(db, head!.id))!);
      const keynoteId = (await db.selectFrom('sessions').select('id').where('code', '=', 'keynote').executeTakeFirstOrThrow()).id;
      doc.sessions.find((s) => s.code === 'keynote')!.title = 'The Keynote, Revised';
      doc.sessions = doc.sessions.filter((s) => s.code !== 'ebpf');
      const summary = await importEventDocument(moduleContext(db), TEST_OPERATOR, doc);
      assert.deepEqual(summary.sessions, { added: 0, changed: 1, removed: 1 });
      assert.equal(summary.version, head!.version + 1);
      const row = await db.selectFrom('sessions').selectAll().where('code', '=', 'keynote').executeTakeFirstOrThrow();
      assert.equal(row.id, keynoteId);
      assert.equal(row.title, 'The Keynote, Revised');
      assert.equal(row.sequence, 1);
      assert.equal((await counts()).sessions, 4);
    });

    test('a document with problems lists each with its path and writes nothing', async () => {
      const before = await counts();
      const doc = buildEventDoc({
        slug: 'broken-2027',
        sessions: [
          { code: 'a', title: 'A', room: 'Main Hall', start: '2027-04-15T10:00', durationMinutes: 60, speakers: ['ada'] },
          { code: 'b', title: 'B', room: 'Main Hall', start: '2027-04-15T10:30', durationMinutes: 30, speakers: ['grace'] },
          { code: 'c', title: 'C', room: 'Side Room', start: '2027-04-15T10:15', durationMinutes: 30, speakers: ['ada'] },
        ],
      });
      await assert.rejects(importEventDocument(moduleContext(db), TEST_OPERATOR, doc), (err: DomainError) => {
        assert.equal(err.code, 'EVENT_DOCUMENT_INVALID');
        assert.deepEqual(
          err.problems.map((p) => p.path),
          ['sessions[1].start', 'sessions[2].speakers[0]'],
        );
        assert.match(err.problems[0]!.message, /overlaps "A" \(sessions\[0\]\) in room "Main Hall"/);
        return true;
      });
      const bad = buildEventDoc({
        slug: 'broken-2027',
        sessions: [{ code: 'z', title: 'Z', room: 'Hall Z', start: '2027-05-01T10:00' }],
        event: { timeZone: 'Mars/Olympus' },
      });
      await assert.rejects(importEventDocument(moduleContext(db), TEST_OPERATOR, bad), (err: DomainError) => {
        assert.deepEqual(
          err.problems.map((p) => `${p.path}: ${p.message}`),
          ['event.timeZone: unknown time zone "Mars/Olympus" (use an IANA name such as Europe/Brussels)', 'sessions[0].room: unknown room "Hall Z"'],
        );
        return true;
      });
      const outside = buildEventDoc({ slug: 'broken-2027', sessions: [{ code: 'z', title: 'Z', room: 'Main Hall', start: '2027-05-01T10:00' }] });
      await assert.rejects(importEventDocument(moduleContext(db), TEST_OPERATOR, outside), /1 problem/);
      const extra = { ...buildEventDoc({ slug: 'broken-2027' }), colour: 'red' };
      await assert.rejects(importEventDocument(moduleContext(db), TEST_OPERATOR, extra), (err: DomainError) => {
        assert.deepEqual(err.problems, [{ path: '(document)', message: 'unknown field "colour"' }]);
        return true;
      });
      assert.deepEqual(await counts(), before);
      assert.equal(await findEventHead(db, 'broken-2027'), undefined);
    });

    test('local times across a daylight-saving change map to the right instants', async () => {
      const doc = buildEventDoc({
        slug: 'dst-2027',
        event: { startDate: '2027-03-27', endDate: '2027-03-28' },
        sessions: [
          { code: 'sat', title: 'Saturday', room: 'Main Hall', start: '2027-03-27T10:00' },
          { code: 'sun', title: 'Sunday', room: 'Main Hall', start: '2027-03-28T10:00' },
        ],
      });
      await importEventDocument(moduleContext(db), TEST_OPERATOR, doc);
      const rows = await db
        .selectFrom('sessions')
        .innerJoin('events', 'events.id', 'sessions.event_id')
        .select(['sessions.code', 'starts_at'])
        .where('events.slug', '=', 'dst-2027')
        .orderBy('starts_at')
        .execute();
      assert.deepEqual(
        rows.map((r) => r.starts_at),
        ['2027-03-27T09:00:00Z', '2027-03-28T08:00:00Z'],
      );
      const skipped = buildEventDoc({
        slug: 'dst-2027',
        event: { startDate: '2027-03-27', endDate: '2027-03-28' },
        sessions: [{ code: 'x', title: 'X', room: 'Main Hall', start: '2027-03-28T02:30' }],
      });
      await assert.rejects(importEventDocument(moduleContext(db), TEST_OPERATOR, skipped), /1 problem/);
    });
  });
}
