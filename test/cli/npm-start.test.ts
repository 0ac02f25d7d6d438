import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { miniSchedule } from '../api-manage/support.js';
import { freePort, waitReady } from '../support/processes.js';

/*
 * `npm start` builds src/ into dist/ (scripts/build.mjs) and runs the compiled server with
 * --demo-if-empty. This runs the same two steps on an empty database and checks that the built
 * server serves what a first visitor opens: the demo's home, a schedule, the stylesheet, the
 * service worker, and the API, from files that exist only in the build.
 */

test('npm start: the build compiles the server, which fills an empty database with the demo and serves it', async () => {
  const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts.start;
  assert.equal(start, 'node scripts/build.mjs && node dist/cli/index.js serve --demo-if-empty', 'the test runs what npm start runs');

  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
  assert.match(built.stdout, /built \d+ files into dist\//);
  assert.ok(existsSync('dist/db/migrations/2026-11-22T0500-create-program.js'), 'migrations are compiled too');
  assert.ok(!existsSync('dist/modules/program/session.test.js'), 'tests are not part of the build');

  const dir = mkdtempSync(join(tmpdir(), 'hallway-npm-start-'));
  // The built importer parses in a worker thread loaded from dist/ (no TypeScript loader there).
  writeFileSync(join(dir, 'mini.xml'), miniSchedule('Built Import Conf'));
  const imported = spawnSync(process.execPath, ['dist/cli/index.js', 'import', join(dir, 'mini.xml'), '--event', 'built-import'], {
    env: { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'imported.sqlite')}`, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });
  assert.equal(imported.status, 0, imported.stderr);
  assert.match(imported.stdout, /built-import/);
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/cli/index.js', 'serve', '--demo-if-empty'], {
    env: { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'h.sqlite')}`, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitReady(base, child);
    const home = await (await fetch(`${base}/`)).text();
    assert.match(home, /Cloud Native Riverside/, log);
    const schedule = await fetch(`${base}/events/riverside-meetup-2027-02/schedule`);
    assert.equal(schedule.status, 200);
    assert.match(await schedule.text(), /Doors open/);
    const css = await fetch(`${base}/assets/app.css`);
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /text\/css/);
    assert.equal((await fetch(`${base}/sw.js`)).status, 200);
    const events = (await (await fetch(`${base}/api/v1/events`)).json()) as { data: { slug: string }[] };
    assert.ok(events.data.some((e) => e.slug === 'riverconf-2027'));
    // The demo conference's call for proposals is open, and its event page leads to it.
    assert.match(await (await fetch(`${base}/events/riverconf-2027`)).text(), /href="\/events\/riverconf-2027\/cfp"/);
    const call = await (await fetch(`${base}/events/riverconf-2027/cfp`)).text();
    assert.match(call, /class="lede cfp-open"/, 'the call is open');
    assert.match(call, /href="[^"]*\/cfp\/submit[^"]*"/, 'with a way to submit');
  } finally {
    child.kill('SIGTERM');
    assert.equal(await exited, 0, log);
    rmSync(dir, { recursive: true, force: true });
  }
});
