import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { createDb, type Db } from '../../src/db/database.js';

/*
 * A server's SQLite database is checkpointed by a worker thread, so commits on the one
 * connection never wait for a checkpoint's fsyncs. Observable from outside: the database file
 * itself (not only its -wal log) receives the committed pages while the process keeps writing,
 * long before the main connection's own threshold.
 */

const dir = mkdtempSync(join(tmpdir(), 'hallway-wal-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** 200 commits of 2 KB rows: ~100+ pages in the log, below both automatic thresholds. */
async function writeSome(db: Db): Promise<void> {
  await sql`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`.execute(db);
  for (let i = 0; i < 200; i++) await db.transaction().execute((trx) => sql`INSERT INTO notes (body) VALUES (${'x'.repeat(2000)})`.execute(trx));
}

async function fileSizeAfterWrites(file: string, backgroundCheckpoints: boolean): Promise<{ size: number; rows: number }> {
  const db = createDb({ kind: 'sqlite', filename: file }, { backgroundCheckpoints });
  try {
    await writeSome(db);
    // The worker checkpoints every 100 ms; give it a few rounds.
    for (let i = 0; backgroundCheckpoints && i < 20 && statSync(file).size < 400_000; i++) await sleep(100);
    const size = statSync(file).size;
    const rows = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM notes`.execute(db)).rows[0]!.n);
    return { size, rows };
  } finally {
    await db.destroy();
  }
}

test('committed pages reach the database file from the background checkpointer while the connection stays open', async () => {
  const withWorker = await fileSizeAfterWrites(join(dir, 'worker.sqlite'), true);
  const without = await fileSizeAfterWrites(join(dir, 'plain.sqlite'), false);
  assert.equal(withWorker.rows, 200);
  assert.ok(withWorker.size >= 400_000, `the file holds the 200 × 2 KB rows (${withWorker.size} bytes)`);
  assert.ok(without.size < 100_000, `without the worker the pages are still only in the log (${without.size} bytes)`);
});

test('the data is all there after the database is closed and opened again', async () => {
  const file = join(dir, 'reopen.sqlite');
  await fileSizeAfterWrites(file, true);
  const db = createDb({ kind: 'sqlite', filename: file });
  try {
    const r = await sql<{ n: number; len: number }>`SELECT count(*) AS n, sum(length(body)) AS len FROM notes`.execute(db);
    assert.deepEqual({ n: Number(r.rows[0]!.n), len: Number(r.rows[0]!.len) }, { n: 200, len: 400_000 });
  } finally {
    await db.destroy();
  }
});
