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
 * Several Hallway processes may start on one fresh SQLite file at the same moment (two servers
 * behind a proxy, a server and `hallway migrate`). The migration lock makes one apply the schema
 * while the others wait and then find nothing left to do. Without it, the second one died with
 * "table … already exists" and its server never started.
 */

const dir = mkdtempSync(join(tmpdir(), 'hallway-migrate-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts a process that opens `file` and migrates it when `go` resolves. */
function migrator(file: string, go: Promise<void>): { ready: Promise<void>; done: Promise<Run> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/migrate-on-signal.ts', file], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const ready = new Promise<void>((resolve) =>
    child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.startsWith('ready\n')) resolve();
    }),
  );
  child.stderr.on('data', (d) => (stderr += d));
  void go.then(() => child.stdin.end('go\n'));
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code, stdout: stdout.replace(/^ready\n/, ''), stderr })));
  return { ready, done };
}

test('three processes migrating one fresh SQLite file at the same instant: each migration is applied exactly once and all succeed', async () => {
  const file = join(dir, 'fresh.sqlite');
  let release!: () => void;
  const go = new Promise<void>((resolve) => (release = resolve));
  const runs = [1, 2, 3].map(() => migrator(file, go));
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
