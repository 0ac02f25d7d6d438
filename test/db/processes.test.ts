import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { createDb } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/*
 * Several processes on one SQLite file: two servers started together, or the CLI next to a
 * running server. Each has its own connection; these tests release other processes at a chosen
 * instant and check that nobody fails where waiting would do.
 */

const dir = mkdtempSync(join(tmpdir(), 'hallway-processes-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts test/support/sqlite-on-signal.ts; it does `args` when `go` resolves. */
function otherProcess(args: string[], go: Promise<void>): { ready: Promise<void>; said: (line: string) => Promise<void>; done: Promise<Run> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/sqlite-on-signal.ts', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const said = (line: string) =>
    new Promise<void>((resolve) => {
      const check = () => stdout.split('\n').includes(line) && resolve();
      child.stdout.on('data', check);
      check();
    });
  child.stdout.on('data', (d) => (stdout += d));
  const ready = said('ready');
  child.stderr.on('data', (d) => (stderr += d));
  void go.then(() => child.stdin.end('go\n'));
  const done = new Promise<Run>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout: stdout.replace(/^ready\n/, '').replace(/^writing\n/, ''), stderr })),
  );
  return { ready, said, done };
}

function signal(): { go: Promise<void>; release: () => void } {
  let release!: () => void;
  const go = new Promise<void>((resolve) => (release = resolve));
  return { go, release };
}

test('three processes migrating one fresh file at the same instant: each migration is applied exactly once and all succeed', async () => {
  const file = join(dir, 'fresh.sqlite');
  const { go, release } = signal();
  const runs = [1, 2, 3].map(() => otherProcess(['migrate', file], go));
  await Promise.all(runs.map((r) => r.ready));
  release();
  const results = await Promise.all(runs.map((r) => r.done));
  for (const r of results) assert.equal(r.code, 0, r.stderr);
  const applied = results.flatMap((r) => JSON.parse(r.stdout) as string[]);

  const db = createDb({ kind: 'sqlite', filename: file });
  try {
    const recorded = (await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db)).rows.map((r) => r.name);
    assert.ok(recorded.includes('2026-11-22T0500-create-program'));
    assert.deepEqual([...applied].sort(), recorded, 'every recorded migration was applied by exactly one process');
    assert.deepEqual(await migrateToLatest(db), [], 'nothing left to do');
  } finally {
    await db.destroy();
  }
});

test('a transaction that reads and then writes is not failed by another process writing in between: the other one waits', async () => {
  const file = join(dir, 'shared.sqlite');
  const db = createDb({ kind: 'sqlite', filename: file });
  try {
    await migrateToLatest(db);
    const { go, release } = signal();
    const other = otherProcess(['write', file, 'other'], go);
    await other.ready;
    await db.transaction().execute(async (trx) => {
      await trx.selectFrom('settings').select('key').execute();
      release();
      // The other process is at its write while this transaction is still open.
      await other.said('writing');
      await trx.insertInto('settings').values({ key: 'mine', value: 'x' }).execute();
    });
    const run = await other.done;
    assert.equal(run.code, 0, run.stderr);
    const keys = (await db.selectFrom('settings').select('key').where('key', 'in', ['mine', 'other']).orderBy('key').execute()).map((r) => r.key);
    assert.deepEqual(keys, ['mine', 'other'], 'both writes are kept');
  } finally {
    await db.destroy();
  }
});
