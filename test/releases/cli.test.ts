import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDb, type Db } from '../../src/db/database.js';
import { importEventDocument } from '../../src/modules/schedule/import.actions.js';
import { buildEventDoc } from '../factories/event-doc.js';
import { createTestUser } from '../factories/users.js';
import { postgresSkipReason, testDatabases } from '../support/databases.js';
import { moduleContext, TEST_OPERATOR } from '../support/module-context.js';
import { hallwayCli as hallway } from '../support/processes.js';

/** `hallway schedule release`: the same action as the back office, as the command-line operator. */

if (postgresSkipReason) test(postgresSkipReason, { skip: postgresSkipReason }, () => {});

for (const database of testDatabases) {
  describe(`hallway schedule release on ${database.name}`, () => {
    let env: Record<string, string>;
    let drop: () => Promise<void>;
    let db: Db;
    let eventId: number;
    let adaEmail: string;
    const releases = async () =>
      (
        await db
          .selectFrom('schedule_releases')
          .select(['name', 'comment', 'notifications', 'released_by_label'])
          .where('event_id', '=', eventId)
          .orderBy('number')
          .execute()
      ).slice();
    const mails = async () => (await db.selectFrom('mail_outbox').select('to_address').execute()).map((m) => m.to_address);

    before(async () => {
      const created = await database.create({ migrated: true });
      drop = created.drop;
      env = { DATABASE_URL: created.config.kind === 'sqlite' ? `sqlite:${created.config.filename}` : created.config.url };
      db = createDb(created.config);
      // A draft (never released): the first release publishes it.
      await importEventDocument(moduleContext(db), TEST_OPERATOR, buildEventDoc({ event: { published: false } }));
      eventId = (await db.selectFrom('events').select('id').where('slug', '=', 'testconf-2027').executeTakeFirstOrThrow()).id;
      const ada = await createTestUser(db, { email: 'ada@example.org' });
      adaEmail = ada.email;
      await db.updateTable('speakers').set({ user_id: ada.id }).where('event_id', '=', eventId).where('code', '=', 'ada').execute();
    });
    after(async () => {
      await db?.destroy();
      await drop?.();
    });

    test('the first release publishes the event, lists the changes and mails the speakers who have an address', async () => {
      const r = await hallway(['schedule', 'release', 'testconf-2027', '--comment', 'First programme'], env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        r.stdout,
        [
          'testconf-2027: released version "1" (number 1): 5 changes; 1 speaker mail queued',
          '  New: "Welcome", Main Hall, 2027-04-15 09:00',
          '  New: "The Keynote", Main Hall, 2027-04-15 09:15',
          '  New: "Coffee break", 2027-04-15 10:00',
          '  New: "eBPF for Humans", Side Room, 2027-04-15 10:30',
          '  New: "Day Two Opener", Main Hall, 2027-04-16 09:00',
          'Speakers without an e-mail address (tell them yourself): Grace Sample, Linus Case',
          '',
        ].join('\n'),
      );
      assert.deepEqual(await releases(), [
        { name: '1', comment: 'First programme', notifications: 'sent', released_by_label: 'hallway schedule release (command line)' },
      ]);
      assert.equal((await db.selectFrom('events').select('published').where('id', '=', eventId).executeTakeFirstOrThrow()).published, 1);
      assert.deepEqual(await mails(), [adaEmail]);
      const audit = await db.selectFrom('audit_log').select(['action', 'actor_label']).where('action', '=', 'schedule.released').execute();
      assert.deepEqual(audit, [{ action: 'schedule.released', actor_label: 'hallway schedule release (command line)' }]);
    });

    test('refusals exit 2 with a clear message and write nothing: nothing changed, a name taken, an unknown event, bad usage', async () => {
      const nothing = await hallway(['schedule', 'release', 'testconf-2027'], env);
      assert.equal(nothing.code, 2);
      assert.equal(nothing.stdout, '');
      assert.equal(nothing.stderr, 'hallway: Nothing changed since release "1": move, add or cancel a session first. Nothing was released.\n');

      // Day two's opener (Ada and Grace) moves two hours later in the draft.
      await db
        .updateTable('sessions')
        .set({ starts_at: '2027-04-16T09:00:00Z', ends_at: '2027-04-16T09:30:00Z' })
        .where('event_id', '=', eventId)
        .where('code', '=', 'day2')
        .execute();
      const taken = await hallway(['schedule', 'release', 'testconf-2027', '--name', '1'], env);
      assert.equal(taken.code, 2);
      assert.match(taken.stderr, /^hallway: This event already has a release called "1"; choose another name\.\n {2}name: /);

      const unknown = await hallway(['schedule', 'release', 'nope'], env);
      assert.equal(unknown.code, 2);
      assert.equal(unknown.stderr, 'hallway: No event "nope" (drafts included).\n');
      for (const args of [
        ['schedule', 'release'],
        ['schedule', 'release', 'testconf-2027', '--bogus'],
        ['schedule', 'publish', 'testconf-2027'],
        ['schedule', 'release', 'a', 'b'],
      ]) {
        const usage = await hallway(args, env);
        assert.equal(usage.code, 2, args.join(' '));
        assert.match(usage.stderr, /^hallway: .*\n\nUsage: hallway <command>/, args.join(' '));
        assert.match(usage.stderr, /schedule release <slug> \[--name NAME\] \[--comment TEXT\] \[--hold-mails\]/);
      }
      assert.equal((await releases()).length, 1, 'nothing released');
      assert.deepEqual(await mails(), [adaEmail], 'nobody mailed');
    });

    test('--name and --hold-mails: the move is released under that name, the speaker mails held', async () => {
      const r = await hallway(['schedule', 'release', 'testconf-2027', '--name', 'Friday fix', '--hold-mails'], env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        r.stdout,
        'testconf-2027: released version "Friday fix" (number 2): 1 change; speaker mails held (send them from the Releases page of the back office, or the API)\n' +
          '  Moved: "Day Two Opener", from Main Hall, 2027-04-16 09:00 to Main Hall, 2027-04-16 11:00\n' +
          'Speakers without an e-mail address (tell them yourself): Grace Sample\n',
      );
      assert.deepEqual(
        (await releases()).map((x) => [x.name, x.notifications]),
        [
          ['1', 'sent'],
          ['Friday fix', 'held'],
        ],
      );
      assert.deepEqual(await mails(), [adaEmail], 'Ada is not mailed while the mails are held');
    });
  });
}
