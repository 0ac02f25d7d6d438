import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runHallway as run, waitReady } from '../support/processes.js';
import { buildEventDoc } from '../factories/event-doc.js';

test('the server answers health checks, logs JSON, and shuts down gracefully on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hallway-serve-'));
  try {
    const dbFile = join(dir, 'h.sqlite');
    const env = { DATABASE_URL: `sqlite:${dbFile}`, HOST: '127.0.0.1', PORT: String(await freePort()), LOG_LEVEL: 'debug' };
    const doc = join(dir, 'doc.json');
    writeFileSync(doc, JSON.stringify(buildEventDoc()));
    const imported = run(['event', 'import', doc], env);
    assert.equal(await new Promise((r) => imported.on('close', r)), 0);

    const server = run(['serve'], env);
    let log = '';
    server.stdout!.on('data', (d) => (log += d));
    server.stderr!.on('data', (d) => (log += d));
    const exited = new Promise<number | null>((r) => server.on('close', (code) => r(code)));
    const base = `http://127.0.0.1:${env.PORT}`;
    await waitReady(base, server);

    assert.deepEqual(await (await fetch(`${base}/healthz`)).json(), { status: 'ok' });
    assert.deepEqual(await (await fetch(`${base}/readyz`)).json(), { status: 'ready', database: 'ok' });
    assert.ok(existsSync(`${dbFile}-wal`), 'SQLite runs in WAL mode');

    // Requests the server has accepted when SIGTERM arrives still get their answer.
    const seen = () => log.split('\n').filter((l) => l.includes('"request received"') && l.includes('"route":"/events/:slug/schedule"')).length;
    const before = seen();
    const inFlight = Array.from({ length: 8 }, () => fetch(`${base}/events/testconf-2027/schedule`).then((r) => r.status));
    while (seen() < before + 8) await new Promise((r) => setTimeout(r, 5));
    server.kill('SIGTERM');
    const statuses = await Promise.all(inFlight);
    assert.deepEqual(statuses, Array(8).fill(200));
    assert.equal(await exited, 0);

    const lines = log
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; level: number });
    assert.ok(lines.some((l) => l.msg === 'Hallway is listening'));
    // One line per answered request (issue 19), with its id.
    const answered = lines.filter((l) => l.msg === 'request' && (l as { route?: string }).route === '/events/:slug/schedule');
    assert.equal(answered.length, 8);
    assert.ok(answered.every((l) => typeof (l as { requestId?: string }).requestId === 'string'));
    assert.ok(
      lines.some((l) => l.msg === 'shut down cleanly'),
      'the shutdown completed',
    );
    assert.equal(existsSync(`${dbFile}-wal`), false, 'the database was closed (WAL checkpointed and removed)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
