import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseConfig } from '../../src/config.js';
import { createDb, type Db } from '../../src/db/database.js';
import { fixedClock } from '../../src/lib/clock.js';
import { runScheduledBackup } from '../../src/modules/backup/backup.actions.js';
import { claimScheduledBackup } from '../../src/modules/backup/backup.queries.js';
import { backupKindOf, backupsToPrune, scheduledBackupName } from '../../src/modules/backup/backup.js';
import { startTestApp } from '../support/app.js';
import { testDatabases } from '../support/databases.js';

/*
 * Scheduled backups (issue 19, BACKUP_DIR): one process of those sharing the database takes each
 * turn (a claim in the database), a backup is due once per interval, and only the newest
 * BACKUP_KEEP scheduled backups stay (other files in the folder are never touched).
 */

const HOUR = 3_600_000;

test('scheduled backup names sort by time; pruning keeps the newest and touches only scheduled backups', () => {
  assert.equal(scheduledBackupName(new Date('2027-03-01T12:00:00.250Z'), 'sqlite'), 'hallway-20270301T120000Z.sqlite');
  assert.equal(scheduledBackupName(new Date('2027-03-01T12:00:00Z'), 'postgres'), 'hallway-20270301T120000Z.pgdump');
  const files = ['hallway-20270303T000000Z.sqlite', 'notes.txt', 'hallway-20270301T000000Z.sqlite', 'hallway-manual.sqlite', 'hallway-20270302T000000Z.sqlite'];
  assert.deepEqual(backupsToPrune(files, 2), ['hallway-20270301T000000Z.sqlite']);
  assert.deepEqual(backupsToPrune(files, 5), []);
  assert.equal(backupKindOf(Buffer.from('SQLite format 3\0rest')), 'sqlite');
  assert.equal(backupKindOf(Buffer.from('PGDMP\u0001')), 'postgres');
  assert.equal(backupKindOf(Buffer.from('SQLite format 2\0')), null);
  assert.equal(backupKindOf(Buffer.alloc(0)), null);
});

for (const database of testDatabases) {
  describe(`scheduled backups on ${database.name}`, () => {
    let config: DatabaseConfig;
    let drop: () => Promise<void>;
    let db: Db;
    let dir: string;
    before(async () => {
      ({ config, drop } = await database.create({ migrated: true }));
      db = createDb(config);
      dir = mkdtempSync(join(tmpdir(), 'hallway-scheduled-'));
    });
    after(async () => {
      await db?.destroy();
      await drop?.();
      rmSync(dir, { recursive: true, force: true });
    });

    test('of processes racing for the same turn exactly one wins; the next turn is an interval later', async () => {
      const others = [createDb(config), createDb(config), createDb(config)];
      try {
        const now = new Date('2030-01-01T00:00:00Z');
        const won = await Promise.all([db, ...others].map((d) => claimScheduledBackup(d, now, 24 * HOUR)));
        assert.equal(won.filter(Boolean).length, 1, JSON.stringify(won));
        assert.equal(await claimScheduledBackup(db, new Date(now.getTime() + 23 * HOUR), 24 * HOUR), false);
        const later = new Date(now.getTime() + 24 * HOUR);
        const next = await Promise.all([db, ...others].map((d) => claimScheduledBackup(d, later, 24 * HOUR)));
        assert.equal(next.filter(Boolean).length, 1);
      } finally {
        for (const d of others) await d.destroy();
      }
    });

    test('a backup is written when due, none before, and only the newest BACKUP_KEEP stay', async () => {
      await db.deleteFrom('settings').where('key', '=', 'backup.last_started_at').execute();
      writeFileSync(join(dir, 'notes.txt'), 'keep me');
      const clock = fixedClock('2027-03-01T12:00:00Z');
      const settings = { database: config, backups: { dir, intervalHours: 24, keep: 2 } };
      const ext = database.name === 'sqlite' ? 'sqlite' : 'pgdump';
      const first = await runScheduledBackup(db, settings, clock);
      assert.equal(first?.file, join(dir, `hallway-20270301T120000Z.${ext}`));
      assert.ok(existsSync(first.file));
      clock.advance(23 * HOUR);
      assert.equal(await runScheduledBackup(db, settings, clock), null, 'not due yet');
      clock.advance(HOUR);
      assert.ok(await runScheduledBackup(db, settings, clock));
      clock.advance(24 * HOUR);
      const third = await runScheduledBackup(db, settings, clock);
      assert.deepEqual(third?.pruned, [`hallway-20270301T120000Z.${ext}`]);
      assert.deepEqual(readdirSync(dir).sort(), [`hallway-20270302T120000Z.${ext}`, `hallway-20270303T120000Z.${ext}`, 'notes.txt']);
    });
  });
}

test('a server with BACKUP_DIR writes the first backup soon after it starts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hallway-scheduled-app-'));
  const app = await startTestApp({ webhookDispatcher: false, env: { BACKUP_DIR: dir, BACKUP_KEEP: '3' } });
  try {
    const deadline = Date.now() + 60_000;
    while (!readdirSync(dir).some((f) => /^hallway-\d{8}T\d{6}Z\.sqlite$/.test(f))) {
      assert.ok(Date.now() < deadline, 'no scheduled backup within 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
